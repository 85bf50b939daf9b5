import { z } from 'zod';

import { RunState } from '../domain/run-state';
import { defineEvent, defineMethod } from './define';

/**
 * Runs in the API contract (DESIGN.md section 5): history with filters and cursor pagination, run
 * detail down to partitions, the controls (pause, resume, cancel, re-run failed units), persisted
 * logs with download, retention settings, and the live `runs.progress` push event.
 */

const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const Count = z.number().int().min(0);
const Time = z.string();

/** `discovery`: a finished one-unit run that keeps the answer of a custom-field discovery (Mappings hub, migration 0012). */
export const RunKind = z.enum(['incremental', 'full_refresh', 'retransform', 'resume', 'rerun_failed', 'discovery']);
export type RunKind = z.infer<typeof RunKind>;
export const RunTrigger = z.enum(['manual', 'schedule', 'retry']);
export type RunTrigger = z.infer<typeof RunTrigger>;

/** Units and records of a run or step: records for extracted/transformed/loaded, units for the rest. */
export const RunCounters = z.object({
  units: Count,
  extracted: Count,
  transformed: Count,
  loaded: Count,
  failed: Count,
  skipped: Count,
  pending: Count,
});
export type RunCounters = z.infer<typeof RunCounters>;

/** Why a run failed or was cancelled: `{ reason, message, ... }` as the engine recorded it. */
export const RunError = z.looseObject({ reason: z.string(), message: z.string() }).nullable();

export const RunSummary = z.object({
  id: Id,
  tenantId: Id,
  jobId: Id.nullable(),
  integrationId: Id,
  kind: RunKind,
  trigger: RunTrigger,
  startedBy: z.string().nullable(),
  state: RunState,
  error: RunError,
  /** The run a `resume` or `rerun_failed` run continues. */
  sourceRunId: Id.nullable(),
  rateLimitedUntil: Time.nullable(),
  createdAt: Time,
  startedAt: Time.nullable(),
  finishedAt: Time.nullable(),
  /** From start to end (or to now while live). */
  durationMs: Count.nullable(),
  totals: RunCounters,
  /** Loaded records per second over the run's duration. */
  throughputPerSec: z.number().min(0),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const StreamDetail = z.object({
  stream: z.string(),
  done: z.boolean(),
  partitions: Count,
  partitionsDone: Count,
  /** Partitions that gave up (an API error retrying cannot fix). */
  partitionsFailed: Count,
  pages: Count,
});

export const StepDetail = z.object({
  step: z.string(),
  label: z.string(),
  ordinal: Count,
  extractionDoneAt: Time.nullable(),
  counters: RunCounters,
  streams: z.array(StreamDetail),
});
export type StepDetail = z.infer<typeof StepDetail>;

export const RunDetail = RunSummary.extend({ steps: z.array(StepDetail) });
export type RunDetail = z.infer<typeof RunDetail>;

export const LogLevel = z.enum(['debug', 'info', 'warn', 'error']);
export const RunLog = z.object({
  id: Id,
  runId: Id,
  step: z.string().nullable(),
  level: LogLevel,
  message: z.string(),
  data: z.unknown(),
  at: Time,
});
export type RunLog = z.infer<typeof RunLog>;

export const Retention = z.object({
  /** Days to keep finished runs (only runs with no raw data left are deleted); null = forever. */
  runsDays: z.number().int().min(1).max(36500).nullable(),
  logsDays: z.number().int().min(1).max(36500).nullable(),
  /** Raw data is kept by default: deleting it loses re-transform and lineage for those rows. */
  rawDays: z.number().int().min(1).max(36500).nullable(),
});
export type Retention = z.infer<typeof Retention>;

const ById = z.object({ id: Id }).strict();

/** An opaque keyset cursor: the last row's created_at and id. */
const Cursor = z.string().max(200);

export const RunListFilter = z
  .object({
    jobId: Id.optional(),
    integrationId: Id.optional(),
    states: z.array(RunState).max(8).optional(),
    kinds: z.array(RunKind).max(RunKind.options.length).optional(),
    triggers: z.array(RunTrigger).max(3).optional(),
    /** ISO times: runs created in [since, until). */
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    cursor: Cursor.optional(),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .strict();

export const ControlResult = z.object({
  run: RunSummary,
  /** What the control did, for the operator ("paused; in-flight units drain, the cursor is kept"). */
  message: z.string(),
});

/** Per step and stage, as pushed live (rates are per second over the last few seconds). */
export const StepProgress = RunCounters.extend({
  step: z.string(),
  label: z.string(),
  extractionDone: z.boolean(),
  extractedPerSec: z.number().min(0),
  loadedPerSec: z.number().min(0),
  /**
   * The vectorize stage of the step, or null when vectors are off (no Qdrant configured). Vectors lag
   * behind a run, so these keep growing after it ended: `units` of the step's `ofUnits` loaded units
   * are vectorized; `entities` were embedded or confirmed unchanged by this run's loads.
   */
  vectorize: z.object({ units: Count, ofUnits: Count, entities: Count }).nullable(),
});
export type StepProgress = z.infer<typeof StepProgress>;

export const RunProgress = z.object({
  runId: Id,
  tenantId: Id,
  jobId: Id.nullable(),
  integrationId: Id,
  state: RunState,
  steps: z.array(StepProgress),
  totals: RunCounters,
  /** The integration's rate limit: when requests resume (null: not limited), and its budget when known. */
  rateLimit: z.object({ limitedUntil: Time.nullable(), tokens: z.number().min(0).nullable(), capacity: z.number().min(0).nullable() }),
  at: Time,
});
export type RunProgress = z.infer<typeof RunProgress>;

export const runsMethods = {
  'runs.list': defineMethod({
    summary: 'Run history of the tenant, newest first, with filters and a keyset cursor',
    mutates: false,
    input: RunListFilter,
    output: z.object({ runs: z.array(RunSummary), nextCursor: Cursor.nullable() }),
  }),
  'runs.get': defineMethod({
    summary: 'One run with its steps, streams and partition counts',
    mutates: false,
    input: ById,
    output: RunDetail,
  }),
  'runs.progressOf': defineMethod({
    summary: 'The progress of one run as `runs.progress` pushes it (for a card that opens after the last push); rates are 0',
    mutates: false,
    input: ById,
    output: RunProgress,
  }),
  'runs.pause': defineMethod({
    summary: 'Pause a running or rate-limited run: fetching stops at the next page boundary, in-flight units drain, cursors are kept',
    mutates: true,
    role: 'operator',
    input: ById,
    output: ControlResult,
  }),
  'runs.resume': defineMethod({
    summary: 'Resume a paused run from its cursors, or continue a failed run as a new `resume` run from its checkpoints',
    mutates: true,
    role: 'operator',
    input: ById,
    output: ControlResult,
  }),
  'runs.cancel': defineMethod({
    summary: 'Cancel a live run: fetching stops and its queued work is dropped (units skipped), not processed',
    mutates: true,
    role: 'operator',
    input: ById,
    output: ControlResult,
  }),
  'runs.rerunFailed': defineMethod({
    summary: 'Start a `rerun_failed` run that processes only the failed units of a finished run (failed pages are fetched again)',
    mutates: true,
    role: 'operator',
    input: ById,
    output: ControlResult,
  }),
  'runs.logs': defineMethod({
    summary: 'Persisted logs of a run, oldest first, with filters and a cursor',
    mutates: false,
    input: z
      .object({
        id: Id,
        levels: z.array(LogLevel).max(4).optional(),
        step: z.string().max(200).optional(),
        afterId: Id.optional(),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
    output: z.object({ logs: z.array(RunLog), nextAfterId: Id.nullable() }),
  }),
  'runs.logsExport': defineMethod({
    summary: 'All persisted logs of a run as NDJSON, for download',
    mutates: false,
    input: ById,
    output: z.object({ filename: z.string(), contentType: z.literal('application/x-ndjson'), lines: Count, content: z.string() }),
  }),
  'runs.getRetention': defineMethod({
    summary: 'Retention of runs, logs and raw data for the tenant',
    mutates: false,
    input: z.object({}).strict(),
    output: Retention,
  }),
  'runs.setRetention': defineMethod({
    summary: 'Set retention; raw data retention needs `confirmRawDeletion: true`',
    mutates: true,
    input: Retention.extend({ confirmRawDeletion: z.boolean().default(false) }).strict(),
    output: Retention,
  }),
};


export const runsEvents = {
  'runs.progress': defineEvent({
    summary: 'Live counters, rates and rate-limit state of a run; a few per second per run at most, and one when it ends',
    payload: RunProgress,
  }),
};
