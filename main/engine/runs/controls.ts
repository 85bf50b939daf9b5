import type pg from 'pg';

import { ApiError } from '../../../shared/contract/errors';
import type { RunSummary } from '../../../shared/contract/runs';
import { allowedTransitions, RunState, transition, type RunEvent } from '../../../shared/domain/run-state';
import { withTenant } from '../db/tenant-scope';
import { appendRunLogInTx } from './logs';
import { readRunSummary } from './read';
import { finishDoneStreams, republishOpenWork, tryComplete } from './republish';

/**
 * Run controls (DESIGN.md section 5). Each state change is one SQL statement guarded by the states the
 * run state machine (shared/domain/run-state.ts) allows it to leave, so two consoles racing get one
 * winner and the loser is told why in the machine's words.
 * - pause: the state only. Extract handlers of a run that is not running ack without fetching, so
 *   fetching stops at the next page boundary; transforms and loads in flight drain; cursors stay in
 *   run_partitions.
 * - resume: back to running, then an extract from every open partition's cursor (plus transform/load
 *   for units left pending) through the outbox, then the completion check: a run whose work all
 *   finished while it was paused ends now.
 * - cancel: cancelled with finished_at; its unsent outbox rows are deleted and its pending units are
 *   skipped in the same transaction, so nothing of it is processed after the cancel commits (a load
 *   holding its unit's lock commits first; a transform in flight finds its unit skipped). Messages
 *   still queued are consumed and dropped by the handlers.
 */

type Queryable = Pick<pg.ClientBase, 'query'>;

/** The states an event may leave, from the state machine (never a second copy of the table). */
export const statesLeftBy = (event: RunEvent): RunState[] => allowedTransitions().filter((t) => t.event === event).map((t) => t.from);

const HINT: Partial<Record<RunEvent, Partial<Record<RunState, string>>>> = {
  pause: { paused: ' Resume it to continue.', queued: ' Cancel it instead.' },
  resume: { running: ' It is running already.', rate_limited: ' It continues by itself when the rate limit resets.', cancelled: ' Start a new run of its job instead.', succeeded: ' Start a new run of its job instead.', partial: ' Re-run its failed units instead.' },
  cancel: {},
};

/** The machine's reason, with what the operator can do instead. */
export const refusal = (runId: number, state: RunState, event: RunEvent): ApiError => {
  const result = transition(state, event);
  const reason = result.ok ? `Run ${runId} changed state meanwhile.` : result.reason.replace('this run', `run ${runId}`);
  return new ApiError('conflict', `${reason}${HINT[event]?.[state] ?? ''}`);
};

const currentState = async (db: Queryable, runId: number): Promise<RunState> => {
  const res = await db.query<{ state: string }>('SELECT state FROM runs WHERE id = $1', [runId]);
  if (res.rowCount === 0) throw new ApiError('not_found', `Run ${runId} does not exist in this tenant; pick one from the run history.`);
  return RunState.parse(res.rows[0]!.state);
};

/** Moves the run by `event` if its state allows it (one guarded UPDATE); throws the refusal otherwise. */
const move = async (client: Queryable, runId: number, event: RunEvent, to: RunState, error: Record<string, unknown> | null = null): Promise<{ tenantId: number; integrationId: number; jobId: number | null; from: RunState }> => {
  // A terminal state gets its finished_at in the same statement (runs_finished_when_terminal).
  const res = await client.query<{ tenant_id: number; integration_id: string; job_id: string | null; from_state: string }>(
    `UPDATE runs r SET state = $3, updated_at = now(), error = coalesce($4::jsonb, r.error),
            finished_at = CASE WHEN $3 IN ('succeeded', 'partial', 'failed', 'cancelled') THEN now() ELSE r.finished_at END
       FROM (SELECT id, state AS from_state FROM runs WHERE id = $1 FOR UPDATE) old
      WHERE r.id = old.id AND r.state = ANY ($2::text[])
      RETURNING r.tenant_id, r.integration_id, r.job_id, old.from_state`,
    [runId, statesLeftBy(event), to, error ? JSON.stringify(error) : null],
  );
  const row = res.rows[0];
  if (!row) throw refusal(runId, await currentState(client, runId), event);
  return { tenantId: row.tenant_id, integrationId: Number(row.integration_id), jobId: row.job_id === null ? null : Number(row.job_id), from: RunState.parse(row.from_state) };
};

/** The final figures of a run that ends without the completion function (cancel, fail). */
export const snapshotCounters = async (client: Queryable, runId: number): Promise<void> => {
  await client.query(
    `UPDATE run_steps s SET final_counters = to_jsonb(c) - 'step', updated_at = now() FROM sluice_run_counters($1) c WHERE s.run_id = $1 AND s.step = c.step`,
    [runId],
  );
};

export interface ControlOutcome {
  readonly run: RunSummary;
  readonly message: string;
}

export const pauseRun = (pool: pg.Pool, tenantId: number, runId: number, by: string): Promise<ControlOutcome> =>
  withTenant(pool, tenantId, async (client) => {
    const moved = await move(client, runId, 'pause', 'paused');
    await appendRunLogInTx(client, runId, { level: 'info', message: `Paused by ${by} (was ${moved.from}): fetching stops at the next page boundary; in-flight units drain; cursors are kept.`, data: { by, from: moved.from } });
    return { run: await readRunSummary(client, runId), message: `Run ${runId} paused: fetching stops at the next page boundary and the units in flight finish; resume continues from the saved cursors.` };
  });

/** paused → running; the caller decides what to do with a run that is not paused (see handlers). */
export const resumePausedRun = async (pool: pg.Pool, tenantId: number, runId: number, by: string): Promise<ControlOutcome> => {
  const republished = await withTenant(pool, tenantId, async (client) => {
    const moved = await move(client, runId, 'resume', 'running');
    await finishDoneStreams(client, runId);
    const sent = await republishOpenWork(client, { id: runId, tenantId: moved.tenantId, integrationId: moved.integrationId });
    await appendRunLogInTx(client, runId, { level: 'info', message: `Resumed by ${by}: ${sent.extracts} partition(s) continue from their cursors, ${sent.transforms + sent.loads} unit(s) requeued.`, data: { by, ...sent } });
    return sent;
  });
  // After the commit: a run whose work all finished while it was paused ends here.
  const ended = await withTenant(pool, tenantId, (client) => tryComplete(client, runId));
  const run = await withTenant(pool, tenantId, (client) => readRunSummary(client, runId));
  const message = ended
    ? `Run ${runId} resumed and ended at once (${ended}): its work had all finished while it was paused.`
    : `Run ${runId} resumed: ${republished.extracts} partition(s) continue from their saved cursors.`;
  return { run, message };
};

export const cancelRun = (pool: pg.Pool, tenantId: number, runId: number, by: string): Promise<ControlOutcome> =>
  withTenant(pool, tenantId, async (client) => {
    const moved = await move(client, runId, 'cancel', 'cancelled', { reason: 'cancelled', message: `Cancelled by ${by}.`, by });
    const outbox = await client.query('DELETE FROM queue_outbox WHERE run_id = $1', [runId]);
    const skipped = await client.query(
      `UPDATE raw_extraction_data SET status = 'skipped', transformed = NULL, error = jsonb_build_object('reason', 'run_cancelled', 'at', now())
        WHERE run_id = $1 AND status IN ('pending', 'transformed')`,
      [runId],
    );
    await snapshotCounters(client, runId);
    await appendRunLogInTx(client, runId, {
      level: 'warn',
      message: `Cancelled by ${by} (was ${moved.from}): ${skipped.rowCount ?? 0} queued unit(s) dropped, ${outbox.rowCount ?? 0} unsent message(s) discarded.`,
      data: { by, from: moved.from, skippedUnits: skipped.rowCount ?? 0, droppedMessages: outbox.rowCount ?? 0 },
    });
    return { run: await readRunSummary(client, runId), message: `Run ${runId} cancelled: fetching stopped and ${skipped.rowCount ?? 0} queued unit(s) were dropped, not processed.` };
  });

/**
 * Ends a live run as failed with the reason (the engine's call: recovery, the sweep of runs without
 * activity). Its pending units stay pending so a `resume` run can take them over. False when the run
 * was no longer live.
 */
export const failRun = async (client: Queryable, runId: number, reason: string, message: string): Promise<boolean> => {
  const res = await client.query(
    `UPDATE runs SET state = 'failed', finished_at = now(), updated_at = now(), error = jsonb_build_object('reason', $3::text, 'message', $4::text)
      WHERE id = $1 AND state = ANY ($2::text[])`,
    [runId, statesLeftBy('fail'), reason, message],
  );
  if (res.rowCount !== 1) return false;
  await client.query('DELETE FROM queue_outbox WHERE run_id = $1', [runId]);
  await snapshotCounters(client, runId);
  await appendRunLogInTx(client, runId, { level: 'error', message, data: { reason } });
  return true;
};
