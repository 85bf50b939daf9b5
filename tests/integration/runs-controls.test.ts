import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { failRun } from '../../main/engine/runs/controls';
import { withTenant } from '../../main/engine/db/tenant-scope';
import { waitFor } from './queue-harness';
import { createJobsHarness, settled, type JobsHarness } from './jobs-harness';

/**
 * Run controls with real worker threads on the synthetic connector: pause then resume ends with
 * exact counts; cancel processes nothing after the cancel point; a failed run continues as a resume
 * run; re-running failed units fixes exactly them. Every control goes through the API handlers.
 */
describe('runs: pause, resume, cancel, resume of a failed run, re-run failed units', () => {
  let j: JobsHarness;

  beforeAll(async () => {
    j = await createJobsHarness('ctl');
    await j.workers({ extract: 1, transform: 2, load: 2 }, { topology: { delayTiersMs: [200], maxAttempts: 2 } });
  }, 120_000);
  afterAll(async () => {
    await j?.cleanup();
  });

  const n = async (sql: string, params: unknown[]): Promise<number> => Number((await j.h.pool.query<{ n: string }>(sql, params)).rows[0]!.n);
  const units = (runId: number) => n('SELECT count(*) AS n FROM raw_extraction_data WHERE run_id = $1', [runId]);
  const items = (integrationId: number) => n('SELECT count(*) AS n FROM synthetic_items WHERE integration_id = $1', [integrationId]);

  it('pause stops fetching at a page boundary with in-flight units drained and the cursor kept; resume ends with exact counts', async () => {
    const pages = 300;
    const integrationId = await j.integration({ pages, pageSize: 2 });
    const jobId = await j.job(integrationId);
    const { run } = await j.jobs['jobs.runNow']({ id: jobId, force: false }, j.ctx);
    await waitFor('some pages', async () => (await units(run.id)) >= 10);
    const paused = await j.runs['runs.pause']({ id: run.id }, j.ctx);
    expect(paused.run.state).toBe('paused');
    expect(paused.message).toMatch(/fetching stops at the next page boundary/);

    // Fetching stops; what was in flight drains (every stored unit ends loaded), and nothing else happens.
    const stored = await settled(() => units(run.id));
    await waitFor('in-flight units to drain', async () => (await n("SELECT count(*) AS n FROM raw_extraction_data WHERE run_id = $1 AND status <> 'loaded'", [run.id])) === 0);
    expect(stored).toBeLessThan(pages);
    expect(await j.state(run.id)).toBe('paused');
    const partition = (await j.h.pool.query<{ cursor: string; pages: number }>("SELECT cursor, pages FROM run_partitions WHERE run_id = $1 AND stream = 'items'", [run.id])).rows[0]!;
    // The cursor is the next page to fetch: exactly the pages stored so far.
    expect(partition).toEqual({ cursor: String(stored), pages: stored });
    expect(await items(integrationId)).toBe(stored * 2);

    await expect(j.runs['runs.pause']({ id: run.id }, j.ctx)).rejects.toMatchObject({ code: 'conflict', message: `Cannot pause run ${run.id}: it is paused. Resume it to continue.` });
    const resumed = await j.runs['runs.resume']({ id: run.id }, j.ctx);
    expect(resumed.run.state).toBe('running');
    expect(resumed.message).toMatch(/1 partition\(s\) continue from their saved cursors/);
    expect(await j.h.waitForRunEnd(run.id, 90_000)).toBe('succeeded');
    const o = await j.h.outcome({ runId: run.id, integrationId, firstExtract: null as never });
    expect(o).toMatchObject({ state: 'succeeded', items: pages * 2, itemsWithLineage: pages * 2, rawUnits: pages, distinctPages: pages, byStatus: { loaded: pages } });
    const logs = (await j.runs['runs.logs']({ id: run.id, limit: 200 }, j.ctx)).logs.map((l) => l.message);
    expect(logs.some((m) => /^Paused by test-operator \(was running\)/.test(m))).toBe(true);
    expect(logs.some((m) => /^Resumed by test-operator: 1 partition\(s\) continue/.test(m))).toBe(true);
    await expect(j.runs['runs.resume']({ id: run.id }, j.ctx)).rejects.toMatchObject({ code: 'conflict', message: `Cannot resume run ${run.id}: it already ended (succeeded). Start a new run of its job instead.` });
  }, 150_000);

  it('cancel stops fetching and drops the queued work: no unit is processed after the cancel point', async () => {
    const integrationId = await j.integration({ pages: 3000, pageSize: 1 });
    const jobId = await j.job(integrationId);
    const { run } = await j.jobs['jobs.runNow']({ id: jobId, force: false }, j.ctx);
    await waitFor('some pages', async () => (await units(run.id)) >= 20);
    const cancelled = await j.runs['runs.cancel']({ id: run.id }, j.ctx);
    expect(cancelled.run).toMatchObject({ state: 'cancelled', error: { reason: 'cancelled', message: 'Cancelled by test-operator.' } });
    expect(cancelled.run.finishedAt).not.toBeNull();

    // The cancel point: what was processed when the cancel committed.
    const processedAtCancel = (await j.h.pool.query<{ id: string; status: string }>("SELECT id, status FROM raw_extraction_data WHERE run_id = $1 AND status IN ('transformed', 'loaded') ORDER BY id", [run.id])).rows;
    const itemsAtCancel = await items(integrationId);
    expect(processedAtCancel.every((u) => u.status === 'loaded')).toBe(true);

    // Let everything still queued or in flight be consumed.
    const total = await settled(() => units(run.id), 1_500);
    expect(total).toBeLessThan(3000);
    const after = (await j.h.pool.query<{ id: string; status: string }>("SELECT id, status FROM raw_extraction_data WHERE run_id = $1 AND status IN ('transformed', 'loaded') ORDER BY id", [run.id])).rows;
    expect(after).toEqual(processedAtCancel);
    expect(await items(integrationId)).toBe(itemsAtCancel);
    const byStatus = Object.fromEntries((await j.h.pool.query<{ status: string; n: string }>('SELECT status, count(*) AS n FROM raw_extraction_data WHERE run_id = $1 GROUP BY status', [run.id])).rows.map((r) => [r.status, Number(r.n)]));
    expect(byStatus).toEqual({ loaded: processedAtCancel.length, ...(total > processedAtCancel.length ? { skipped: total - processedAtCancel.length } : {}) });
    expect(await n('SELECT count(*) AS n FROM queue_outbox WHERE run_id = $1', [run.id])).toBe(0);
    expect(await j.state(run.id)).toBe('cancelled');
    await expect(j.runs['runs.cancel']({ id: run.id }, j.ctx)).rejects.toMatchObject({ code: 'conflict', message: `Cannot cancel run ${run.id}: it already ended (cancelled).` });
  }, 120_000);

  it('a failed run continues as a resume run from its checkpoints, and together they load every page exactly once', async () => {
    const pages = 400;
    const integrationId = await j.integration({ pages, pageSize: 3 });
    const jobId = await j.job(integrationId);
    const { run } = await j.jobs['jobs.runNow']({ id: jobId, force: false }, j.ctx);
    await waitFor('some pages', async () => (await units(run.id)) >= 10);
    // As the engine's sweep does for a run whose workers died: failed, with the reason.
    await j.runs['runs.pause']({ id: run.id }, j.ctx);
    await settled(() => units(run.id));
    expect(await withTenant(j.h.pool, j.h.tenantId, (c) => failRun(c, run.id, 'stalled', 'Run stalled (test).'))).toBe(true);

    const resumed = await j.runs['runs.resume']({ id: run.id }, j.ctx);
    expect(resumed.run).toMatchObject({ kind: 'resume', trigger: 'manual', sourceRunId: run.id, jobId });
    expect(await j.h.waitForRunEnd(resumed.run.id, 90_000)).toBe('succeeded');
    const both = [run.id, resumed.run.id];
    expect(await n('SELECT count(*) AS n FROM raw_extraction_data WHERE run_id = ANY ($1)', [both])).toBe(pages);
    expect(await n('SELECT count(DISTINCT page_key) AS n FROM raw_extraction_data WHERE run_id = ANY ($1)', [both])).toBe(pages);
    expect(await n("SELECT count(*) AS n FROM raw_extraction_data WHERE run_id = ANY ($1) AND status <> 'loaded'", [both])).toBe(0);
    expect(await items(integrationId)).toBe(pages * 3);
    // The failed run keeps its history: state, reason, and the figures it had when it failed.
    const old = await j.runs['runs.get']({ id: run.id }, j.ctx);
    expect(old).toMatchObject({ state: 'failed', error: { reason: 'stalled' } });
    expect(old.totals.units).toBeGreaterThan(0);
    expect(old.totals.units + (await units(resumed.run.id))).toBe(pages);
  }, 150_000);

  it('re-run failed units: a failed load and a failed page are processed again, and only they', async () => {
    // external_id 9 cannot be loaded until the "bug" is fixed; page 7 answers 404 until the source is fixed.
    await j.h.pool.query('CREATE TABLE IF NOT EXISTS reject_items (external_id text PRIMARY KEY)');
    await j.h.pool.query("INSERT INTO reject_items VALUES ('9') ON CONFLICT DO NOTHING");
    await j.h.pool.query(`CREATE OR REPLACE FUNCTION reject_marked() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF EXISTS (SELECT 1 FROM reject_items r WHERE r.external_id = NEW.external_id) THEN RAISE EXCEPTION 'item % is rejected (test)', NEW.external_id; END IF; RETURN NEW; END $$`);
    await j.h.pool.query('DROP TRIGGER IF EXISTS reject_marked ON synthetic_items');
    await j.h.pool.query('CREATE TRIGGER reject_marked BEFORE INSERT OR UPDATE ON synthetic_items FOR EACH ROW EXECUTE FUNCTION reject_marked()');
    const integrationId = await j.integration({ pages: 10, pageSize: 4, brokenPage: 7 });
    const jobId = await j.job(integrationId);
    const { run } = await j.jobs['jobs.runNow']({ id: jobId, force: false }, j.ctx);
    expect(await j.h.waitForRunEnd(run.id, 60_000)).toBe('partial');
    // Pages 0-6 stored (page 2 holds item 9 and failed to load), page 7 failed to fetch, 8-9 never asked for.
    const failed = (await j.h.pool.query<{ page_key: string; stage: string }>("SELECT page_key, error->>'stage' AS stage FROM raw_extraction_data WHERE run_id = $1 AND status = 'failed' ORDER BY page_key", [run.id])).rows;
    expect(failed).toEqual([{ page_key: '|2', stage: 'load' }, { page_key: '|7', stage: 'extract' }]);
    expect(await items(integrationId)).toBe(6 * 4);

    // Fix both, then re-run only the failed units.
    await j.h.pool.query('DELETE FROM reject_items');
    await j.h.pool.query("UPDATE integrations SET settings = settings #- '{synthetic,brokenPage}' WHERE id = $1", [integrationId]);
    const rerun = await j.runs['runs.rerunFailed']({ id: run.id }, j.ctx);
    expect(rerun.run).toMatchObject({ kind: 'rerun_failed', sourceRunId: run.id, jobId });
    expect(rerun.message).toMatch(/1 unit\(s\) to transform again, 1 page\(s\) to fetch again/);
    expect(await j.h.waitForRunEnd(rerun.run.id, 60_000)).toBe('succeeded');
    expect(await items(integrationId)).toBe(10 * 4);
    // The re-run holds the reprocessed unit and pages 7-9 fetched from page 7's cursor: nothing else was fetched again.
    const redone = (await j.h.pool.query<{ page_key: string; reprocess_count: number; status: string }>('SELECT page_key, reprocess_count, status FROM raw_extraction_data WHERE run_id = $1 ORDER BY page_key', [rerun.run.id])).rows;
    expect(redone).toEqual([
      { page_key: '|2', reprocess_count: 1, status: 'loaded' },
      { page_key: '|7', reprocess_count: 0, status: 'loaded' },
      { page_key: '|8', reprocess_count: 0, status: 'loaded' },
      { page_key: '|9', reprocess_count: 0, status: 'loaded' },
    ]);
    // The partial run's history is unchanged; its failed page is not re-run twice.
    const old = await j.runs['runs.get']({ id: run.id }, j.ctx);
    expect(old).toMatchObject({ state: 'partial', totals: { failed: 2 } });
    await expect(j.runs['runs.rerunFailed']({ id: run.id }, j.ctx)).rejects.toMatchObject({ code: 'conflict', message: `Run ${run.id} has no failed units left to re-run.` });
    await j.h.pool.query('DROP TRIGGER reject_marked ON synthetic_items');
  }, 120_000);
});
