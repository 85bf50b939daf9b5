import type pg from 'pg';
import { z } from 'zod';

import { planFor } from '../../../shared/connectors';
import { ApiError } from '../../../shared/contract/errors';
import { RunKind, type RunCounters, type RunDetail, type RunSummary } from '../../../shared/contract/runs';
import { RunState } from '../../../shared/domain/run-state';

/**
 * Reading runs for the API: summaries (history rows), details (steps, streams, partitions) and the
 * per-step counters. Live runs count their raw units (sluice_run_counters, migration 0004); finished
 * runs use the figures snapshot when they ended, so history stays cheap and survives raw retention.
 */

type Queryable = Pick<pg.ClientBase, 'query'>;

const COUNTER_KEYS = ['units', 'extracted', 'transformed', 'loaded', 'failed', 'skipped', 'pending'] as const;
const sums = (alias: string, from: (k: string) => string): string =>
  `jsonb_build_object(${COUNTER_KEYS.map((k) => `'${k}', coalesce(sum(${from(k)}), 0)`).join(', ')}) AS ${alias}`;

/** Totals of run `r`: the snapshot once every step has one, else live from its units. */
export const TOTALS_SQL = `CASE WHEN r.finished_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM run_steps s WHERE s.run_id = r.id AND s.final_counters IS NULL)
       THEN (SELECT ${sums('t', (k) => `(s.final_counters->>'${k}')::bigint`)} FROM run_steps s WHERE s.run_id = r.id)
       ELSE (SELECT ${sums('t', (k) => `c.${k}`)} FROM sluice_run_counters(r.id) c) END`;

export const RUN_COLUMNS = `r.id, r.tenant_id, r.job_id, r.integration_id, r.kind, r.trigger, r.started_by, r.state, r.error, r.source_run_id,
       r.rate_limited_until, r.created_at, r.started_at, r.finished_at, (${TOTALS_SQL}) AS totals`;

const Counters = z.object(Object.fromEntries(COUNTER_KEYS.map((k) => [k, z.coerce.number()])) as Record<(typeof COUNTER_KEYS)[number], z.ZodCoercedNumber>);

const RunRow = z.object({
  id: z.coerce.number(),
  tenant_id: z.coerce.number(),
  job_id: z.coerce.number().nullable(),
  integration_id: z.coerce.number(),
  kind: RunKind,
  trigger: z.enum(['manual', 'schedule', 'retry']),
  started_by: z.string().nullable(),
  state: RunState,
  error: z.unknown(),
  source_run_id: z.coerce.number().nullable(),
  rate_limited_until: z.date().nullable(),
  created_at: z.date(),
  started_at: z.date().nullable(),
  finished_at: z.date().nullable(),
  totals: Counters,
});

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

const ErrorShape = z.looseObject({ reason: z.string(), message: z.string() });

/** A runs row (selected with RUN_COLUMNS) as the contract's RunSummary. */
export const toRunSummary = (raw: unknown, now = Date.now()): RunSummary => {
  const row = RunRow.parse(raw);
  const start = row.started_at ?? row.created_at;
  const durationMs = Math.max(0, (row.finished_at?.getTime() ?? now) - start.getTime());
  const error = ErrorShape.safeParse(row.error);
  return {
    id: row.id,
    tenantId: row.tenant_id,
    jobId: row.job_id,
    integrationId: row.integration_id,
    kind: row.kind,
    trigger: row.trigger,
    startedBy: row.started_by,
    state: row.state,
    error: error.success ? error.data : null,
    sourceRunId: row.source_run_id,
    rateLimitedUntil: iso(row.rate_limited_until),
    createdAt: row.created_at.toISOString(),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    durationMs,
    totals: row.totals,
    throughputPerSec: durationMs > 0 ? Math.round((row.totals.loaded / (durationMs / 1000)) * 100) / 100 : 0,
  };
};

/** The run (in the caller's tenant scope), or a not_found ApiError naming it. */
export const readRunSummary = async (db: Queryable, runId: number): Promise<RunSummary> => {
  const res = await db.query(`SELECT ${RUN_COLUMNS} FROM runs r WHERE r.id = $1`, [runId]);
  if (res.rowCount === 0) throw new ApiError('not_found', `Run ${runId} does not exist in this tenant; pick one from the run history.`);
  return toRunSummary(res.rows[0]);
};

const StepRow = z.object({
  step: z.string(),
  ordinal: z.coerce.number(),
  extraction_done_at: z.date().nullable(),
  counters: Counters,
  streams: z.array(
    z.object({ stream: z.string(), done: z.boolean(), partitions: z.coerce.number(), partitions_done: z.coerce.number(), partitions_failed: z.coerce.number(), pages: z.coerce.number() }),
  ),
});

/** Per-step counters of a run: live from its units, or the snapshot of a finished run whose units are gone. */
export const stepCounters = async (db: Queryable, runId: number): Promise<Map<string, RunCounters>> => {
  const res = await db.query(
    `SELECT s.step, CASE WHEN c.units = 0 AND s.final_counters IS NOT NULL THEN s.final_counters ELSE to_jsonb(c) - 'step' END AS counters
       FROM run_steps s JOIN sluice_run_counters($1) c ON c.step = s.step WHERE s.run_id = $1`,
    [runId],
  );
  return new Map(res.rows.map((r: { step: string; counters: unknown }) => [r.step, Counters.parse(r.counters)]));
};

export const readRunDetail = async (db: Queryable, runId: number): Promise<RunDetail> => {
  const summary = await readRunSummary(db, runId);
  const integration = await db.query<{ provider: string; settings: Record<string, unknown> }>('SELECT provider, settings FROM integrations WHERE id = $1', [summary.integrationId]);
  const plan = integration.rows[0] ? planFor(integration.rows[0]) : undefined;
  const labels = new Map(plan?.steps.map((s) => [s.key, s.label]) ?? []);
  const counters = await stepCounters(db, runId);
  const res = await db.query(
    `SELECT s.step, s.ordinal, s.extraction_done_at,
            coalesce((SELECT jsonb_agg(jsonb_build_object('stream', st.stream, 'done', st.done_at IS NOT NULL,
                      'partitions', (SELECT count(*) FROM run_partitions p WHERE p.run_id = st.run_id AND p.stream = st.stream),
                      'partitions_done', (SELECT count(*) FROM run_partitions p WHERE p.run_id = st.run_id AND p.stream = st.stream AND p.done_at IS NOT NULL),
                      'partitions_failed', (SELECT count(*) FROM run_partitions p WHERE p.run_id = st.run_id AND p.stream = st.stream AND p.error IS NOT NULL),
                      'pages', (SELECT coalesce(sum(p.pages), 0) FROM run_partitions p WHERE p.run_id = st.run_id AND p.stream = st.stream)) ORDER BY st.ordinal)
                      FROM run_streams st WHERE st.run_id = s.run_id AND st.step = s.step), '[]'::jsonb) AS streams
       FROM run_steps s WHERE s.run_id = $1 ORDER BY s.ordinal`,
    [runId],
  );
  const zero: RunCounters = { units: 0, extracted: 0, transformed: 0, loaded: 0, failed: 0, skipped: 0, pending: 0 };
  const steps = res.rows.map((raw: Record<string, unknown>) => {
    const row = StepRow.parse({ ...raw, counters: zero });
    return {
      step: row.step,
      label: labels.get(row.step) ?? row.step,
      ordinal: row.ordinal,
      extractionDoneAt: iso(row.extraction_done_at),
      counters: counters.get(row.step) ?? zero,
      streams: row.streams.map((s) => ({ stream: s.stream, done: s.done, partitions: s.partitions, partitionsDone: s.partitions_done, partitionsFailed: s.partitions_failed, pages: s.pages })),
    };
  });
  return { ...summary, steps };
};
