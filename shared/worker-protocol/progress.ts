import { z } from 'zod';


/**
 * Live progress signals from worker threads to the engines (DESIGN.md section 5, "Progress"):
 * over Redis pub/sub across hosts (channel PROGRESS_CHANNEL, prefixed like the deployment's keys),
 * or through the worker protocol to the supervisor of the same process when there is no Redis.
 * Validated when published and again when received.
 *
 * Version 2: workers send "run changed" signals (`stages` that committed something, `counters`
 * null) coalesced per run, and the engine reads the counters from Postgres when it pushes the
 * contract's `runs.progress` event: nothing is computed or written per record on the worker side.
 * Publishers that know counters may still send them.
 */
export const PROGRESS_EVENT_VERSION = 2;

/** The pub/sub channel (after the deployment's key prefix). */
export const PROGRESS_CHANNEL = 'sluice:progress';

/** The pipeline stages (protocol.ts's Stage; declared here too so the two modules stay acyclic). */
const ProgressStage = z.enum(['extract', 'transform', 'load', 'vectorize']);

const Count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Units of one step, counted per stage they have passed (`failed` in any stage). */
export const StepProgress = z.strictObject({
  stepKey: z.string().min(1).max(200),
  extracted: Count,
  transformed: Count,
  loaded: Count,
  vectorized: Count,
  failed: Count,
});
export type StepProgress = z.infer<typeof StepProgress>;

/** The integration's shared rate-limit budget as the extract side last saw it. */
export const RateLimitProgress = z.strictObject({
  tokens: z.number().min(0),
  capacity: z.number().int().min(1),
  /** When a paused (429) integration may call the API again; null when not paused. */
  resetAt: z.iso.datetime({ offset: true }).nullable(),
});
export type RateLimitProgress = z.infer<typeof RateLimitProgress>;

export const ProgressCounters = z.strictObject({
  steps: z.array(StepProgress).max(100),
  rateLimit: RateLimitProgress.nullable().default(null),
});
export type ProgressCounters = z.output<typeof ProgressCounters>;
export type ProgressCountersInput = z.input<typeof ProgressCounters>;

export const ProgressEvent = z.strictObject({
  v: z.literal(PROGRESS_EVENT_VERSION),
  runId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  /** Which publisher sent it (host:pid:thread); with `seq`, lets a receiver drop stale events. */
  source: z.string().min(1).max(200),
  /** Grows by one per event of this run from this source. */
  seq: z.number().int().min(1),
  at: z.iso.datetime({ offset: true }),
  /** Stages that committed something for the run since the previous event. */
  stages: z.array(ProgressStage).max(4).default([]),
  /** Counters when the publisher knows them; null for a "run changed" signal. */
  counters: ProgressCounters.nullable(),
});
export type ProgressEvent = z.output<typeof ProgressEvent>;
