import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Supervisor } from '../../main/supervisor/supervisor';
import { createJobsHarness, settled, type JobsHarness } from './jobs-harness';

/**
 * Re-transform from raw through the jobs API with the source offline: the stored pages go through
 * transform and load again with the changed mapping (the synthetic connector's `suffix` stands in for
 * a tenant mapping), no extract is handled and no API is called; a normal run at the same moment
 * shows the source is really unreachable.
 */
describe('jobs: re-transform from raw with the source offline', () => {
  let j: JobsHarness;
  let supervisor: Supervisor;

  beforeAll(async () => {
    j = await createJobsHarness('retx');
    supervisor = await j.workers({ extract: 1, transform: 2, load: 2 });
  }, 120_000);
  afterAll(async () => {
    await j?.cleanup();
  });

  const values = async (integrationId: number): Promise<string[]> =>
    (await j.h.pool.query<{ value: string }>('SELECT value FROM synthetic_items WHERE integration_id = $1 ORDER BY external_id::int', [integrationId])).rows.map((r) => r.value);
  const extractsHandled = (): number => supervisor.pools().find((p) => p.stage === 'extract')?.processed ?? 0;

  it('applies a changed mapping to history without calling the source, and a fetch at the same time fails', async () => {
    const integrationId = await j.integration({ pages: 6, pageSize: 3 });
    const jobId = await j.job(integrationId, { runKind: 'incremental' });
    const first = await j.jobs['jobs.runNow']({ id: jobId, force: false }, j.ctx);
    expect(await j.h.waitForRunEnd(first.run.id)).toBe('succeeded');
    expect((await values(integrationId)).slice(0, 2)).toEqual(['item-0', 'item-1']);

    // The mapping changes, and the source goes offline: every page answers 404.
    await j.h.pool.query(`UPDATE integrations SET settings = jsonb_set(jsonb_set(settings, '{synthetic,suffix}', '"-v2"'), '{synthetic,brokenPage}', '0') WHERE id = $1`, [integrationId]);
    // Thread stats arrive throttled: read them once they have settled.
    const extractsBefore = await settled(async () => extractsHandled(), 400);
    expect(extractsBefore).toBe(6);
    const retransform = await j.jobs['jobs.retransform']({ id: jobId }, j.ctx);
    expect(retransform.run).toMatchObject({ kind: 'retransform', trigger: 'manual', jobId, startedBy: 'test-operator' });
    expect(retransform.message).toMatch(/re-transforms 6 stored unit\(s\) with the current mappings; no API is called/);
    expect(await j.h.waitForRunEnd(retransform.run.id)).toBe('succeeded');
    const after = await values(integrationId);
    expect(after).toHaveLength(18);
    expect(after.every((v) => /^item-\d+-v2$/.test(v))).toBe(true);
    expect(await settled(async () => extractsHandled(), 400)).toBe(extractsBefore);
    const detail = await j.runs['runs.get']({ id: retransform.run.id }, j.ctx);
    expect(detail.totals).toEqual({ units: 6, extracted: 18, transformed: 18, loaded: 18, failed: 0, skipped: 0, pending: 0 });

    // The source really is offline: a run that has to fetch fails its first page.
    const fetching = await j.jobs['jobs.runNow']({ id: jobId, force: false }, j.ctx);
    expect(await j.h.waitForRunEnd(fetching.run.id)).toBe('partial');
    const failed = (await j.h.pool.query("SELECT error FROM raw_extraction_data WHERE run_id = $1 AND status = 'failed'", [fetching.run.id])).rows;
    expect(failed).toEqual([{ error: expect.objectContaining({ stage: 'extract', status: 404 }) }]);
    expect((await j.runs['runs.get']({ id: fetching.run.id }, j.ctx)).totals).toMatchObject({ units: 1, failed: 1, loaded: 0 });
    expect(await values(integrationId)).toEqual(after);
  }, 90_000);
});
