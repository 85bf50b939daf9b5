import type pg from 'pg';

import { ApiError } from '../../../shared/contract/errors';
import type { RawStatus } from '../../../shared/contract/raw';
import type { RunSummary } from '../../../shared/contract/runs';
import { isTerminal } from '../../../shared/domain/run-state';
import { withTenant } from '../db/tenant-scope';
import { startRerunFailed } from '../runs/continue';
import { RUN_COLUMNS, readRunSummary, toRunSummary } from '../runs/read';

/**
 * "Reprocess selected units" (issue 9) is the rerun-failed path of main/engine/runs restricted to the
 * selection: a new `rerun_failed` run of the units' run takes them over, resets them to pending with
 * the explicit reprocess of migration 0002 (reprocess_count + 1) and sends their transform through the
 * queue outbox, so the new run counts them and the old run's live figures no longer do. A failed page
 * (extract) is fetched again from its cursor instead. One run at a time: a run's units share page keys,
 * and one integration has one active run.
 */

const REPROCESSABLE: readonly RawStatus[] = ['failed', 'loaded', 'skipped'];

export const reprocessUnits = async (
  pool: pg.Pool,
  tenantId: number,
  ids: readonly number[],
  startedBy: string,
): Promise<{ run: RunSummary; sourceRunId: number; units: number; pages: number; message: string }> => {
  const wanted = [...new Set(ids)];
  const sourceRunId = await withTenant(pool, tenantId, async (client) => {
    const res = await client.query<{ id: string; run_id: string; status: RawStatus; state: string }>(
      'SELECT d.id, d.run_id, d.status, r.state FROM raw_extraction_data d JOIN runs r ON r.id = d.run_id WHERE d.id = ANY ($1::bigint[])',
      [wanted],
    );
    const found = new Map(res.rows.map((r) => [Number(r.id), r]));
    const missing = wanted.filter((id) => !found.has(id));
    if (missing.length > 0) throw new ApiError('not_found', `Unit${missing.length > 1 ? 's' : ''} ${missing.slice(0, 10).join(', ')} ${missing.length > 1 ? 'do' : 'does'} not exist in this tenant; refresh the list.`);
    const runs = [...new Set(res.rows.map((r) => Number(r.run_id)))];
    if (runs.length > 1) {
      throw new ApiError('bad_request', `The selected units belong to runs ${runs.sort((a, b) => a - b).join(', ')}; reprocess the units of one run at a time (filter the list by run).`, [{ path: 'ids', message: 'units of several runs' }]);
    }
    const first = res.rows[0]!;
    if (!isTerminal(first.state as RunSummary['state'])) {
      throw new ApiError('conflict', `Run ${first.run_id} is still ${first.state.replace('_', '-')}; reprocess its units once it has ended (or pause or cancel it).`);
    }
    const stuck = res.rows.filter((r) => !REPROCESSABLE.includes(r.status));
    if (stuck.length > 0) {
      throw new ApiError('conflict', `Unit ${stuck[0]!.id} is ${stuck[0]!.status}: only failed, loaded or skipped units can be reprocessed.`);
    }
    return Number(first.run_id);
  });
  const { runId, units, pages } = await startRerunFailed(pool, { tenantId, sourceRunId, trigger: 'manual', startedBy, unitIds: wanted });
  const run = await withTenant(pool, tenantId, (client) => readRunSummary(client, runId));
  const what = [units > 0 ? `${units} unit(s) transformed again` : '', pages > 0 ? `${pages} failed page(s) fetched again` : ''].filter(Boolean).join(', ');
  return { run, sourceRunId, units, pages, message: `Run ${runId} reprocesses ${wanted.length} selected unit(s) of run ${sourceRunId}: ${what}.` };
};

type Queryable = Pick<pg.ClientBase, 'query'>;

/** A run, its units' live status counts, and the runs that took units over from it. */
export const runUnits = async (db: Queryable, runId: number): Promise<{ run: RunSummary; counts: Record<RawStatus, number>; reprocessedBy: RunSummary[] }> => {
  const run = await readRunSummary(db, runId);
  const res = await db.query<{ status: RawStatus; n: string }>('SELECT status, count(*) AS n FROM raw_extraction_data WHERE run_id = $1 GROUP BY status', [runId]);
  const counts: Record<RawStatus, number> = { pending: 0, transformed: 0, loaded: 0, failed: 0, skipped: 0 };
  for (const r of res.rows) counts[r.status] = Number(r.n);
  const later = await db.query(`SELECT ${RUN_COLUMNS} FROM runs r WHERE r.source_run_id = $1 ORDER BY r.created_at DESC, r.id DESC LIMIT 20`, [runId]);
  return { run, counts, reprocessedBy: later.rows.map((r) => toRunSummary(r)) };
};
