import { z } from 'zod';

/**
 * Live progress of a run as fanned out to consoles (DESIGN.md section 5, "Progress"). Validated when
 * published and again when received: events cross processes and hosts through Redis. The console
 * contract will re-export or mirror this once the API events for progress are added to shared/.
 */
export const PROGRESS_EVENT_VERSION = 1;

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
  /** Which publisher sent it (host:pid:thread); with `seq`, lets a console drop stale events. */
  source: z.string().min(1).max(200),
  /** Grows by one per event of this run from this source. */
  seq: z.number().int().min(1),
  at: z.iso.datetime({ offset: true }),
  counters: ProgressCounters,
});
export type ProgressEvent = z.output<typeof ProgressEvent>;
