import type pg from 'pg';
import { z } from 'zod';

/**
 * What workers tell Postgres about a run's progress. The rules live in SQL (migration 0004:
 * `sluice_try_complete_run`, `sluice_run_counters`) so the engine and every worker host apply the
 * same ones; these are the typed calls.
 */
type Queryable = Pick<pg.ClientBase, 'query'>;

export type UnitStatus = 'pending' | 'transformed' | 'loaded' | 'failed' | 'skipped';

/**
 * Moves one raw unit forward, guarded by its current status so a redelivered message changes
 * nothing (and counts nothing twice). Returns false when the unit had already moved on.
 */
export const advanceUnit = async (
  db: Queryable,
  rawId: string | number,
  from: readonly UnitStatus[],
  to: Exclude<UnitStatus, 'pending'>,
  error?: Record<string, unknown>,
): Promise<boolean> => {
  const res = await db.query(
    `UPDATE raw_extraction_data
        SET status = $3, attempts = attempts + 1, error = COALESCE($4::jsonb, error)
      WHERE id = $1 AND status = ANY($2::text[])`,
    [rawId, from, to, error ? JSON.stringify(error) : null],
  );
  return res.rowCount === 1;
};

/** The step's paginator reached its end: no more units will come. Idempotent. */
export const markExtractionDone = async (db: Queryable, runId: string | number, step: string): Promise<void> => {
  await db.query('UPDATE run_steps SET extraction_done_at = now(), updated_at = now() WHERE run_id = $1 AND step = $2 AND extraction_done_at IS NULL', [runId, step]);
};

/** Saves where extraction resumes; called only after the page it points past is durably stored. */
export const saveCheckpoint = async (db: Queryable, runId: string | number, step: string, checkpoint: unknown): Promise<void> => {
  await db.query('UPDATE run_steps SET checkpoint = $3::jsonb, updated_at = now() WHERE run_id = $1 AND step = $2', [runId, step, JSON.stringify(checkpoint)]);
};

export const TerminalRunState = z.enum(['succeeded', 'partial']);

/**
 * Finishes the run if it is done. Call it after committing a unit (or marking extraction done):
 * whichever caller commits last sees everything, and only one call can win. Returns the state set.
 */
export const tryCompleteRun = async (db: Queryable, runId: string | number): Promise<z.infer<typeof TerminalRunState> | null> => {
  const res = await db.query<{ state: string | null }>('SELECT sluice_try_complete_run($1) AS state', [runId]);
  const state = res.rows[0]?.state ?? null;
  return state === null ? null : TerminalRunState.parse(state);
};

export const StepCounters = z.object({
  step: z.string(),
  units: z.coerce.number(),
  extracted: z.coerce.number(),
  transformed: z.coerce.number(),
  loaded: z.coerce.number(),
  failed: z.coerce.number(),
  skipped: z.coerce.number(),
  pending: z.coerce.number(),
});
export type StepCounters = z.infer<typeof StepCounters>;

/** Live counters per step, derived from the run's raw units (consistent under any concurrency). */
export const runCounters = async (db: Queryable, runId: string | number): Promise<StepCounters[]> => {
  const res = await db.query('SELECT * FROM sluice_run_counters($1)', [runId]);
  return res.rows.map((r: unknown) => StepCounters.parse(r));
};
