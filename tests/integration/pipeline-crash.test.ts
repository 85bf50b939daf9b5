import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createPipelineHarness, STEP, type PipelineHarness } from './pipeline-harness';

/**
 * Worker threads killed mid-run, at the worst moment: `test-pipeline-crash` kills its thread right
 * after a database commit and before the publish that should follow it, on every 9th first delivery,
 * in all three stages, while up to 10 other messages per thread are in flight unacked. The supervisor
 * restarts the threads and the broker redelivers; the run must still end with exact figures.
 */
describe('pipeline stages: threads killed mid-run lose and duplicate nothing', () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    h = await createPipelineHarness('crash');
  }, 60_000);
  afterAll(async () => {
    await h?.cleanup();
  });

  it('ends succeeded with exactly 50 pages and 1000 items after repeated kills in every stage', async () => {
    const supervisor = await h.start('test-pipeline-crash', { extract: 1, transform: 2, load: 2 }, { crashAfter: 9 });
    const run = await h.createRun({ pages: 50, pageSize: 20 });
    expect(await h.waitForRunEnd(run.runId, 50_000)).toBe('succeeded');

    const o = await h.outcome(run);
    expect(o).toMatchObject({ state: 'succeeded', items: 1000, itemsWithLineage: 1000, rawUnits: 50, distinctPages: 50, byStatus: { loaded: 50 } });
    expect(o.counters).toEqual([{ step: STEP, units: 50, extracted: 1000, transformed: 1000, loaded: 1000, failed: 0, skipped: 0, pending: 0 }]);
    // Every item appears once per external id (the primary key guarantees it) and points at its own page.
    const misplaced = await h.pool.query(
      `SELECT s.external_id FROM synthetic_items s JOIN raw_extraction_data d ON d.id = s.raw_id
        WHERE s.integration_id = $1 AND (d.request_params->>'page')::int <> s.external_id::int / 20`,
      [run.integrationId],
    );
    expect(misplaced.rowCount).toBe(0);
    expect(await (await h.deadLetters()).count()).toBe(0);

    // The kills really happened, in each stage.
    for (const pool of supervisor.pools()) {
      if (pool.desired === 0) continue;
      expect(pool.restarts, `${pool.stage} restarts`).toBeGreaterThanOrEqual(pool.stage === 'extract' ? 3 : 1);
      expect(pool.lastError?.message).toMatch(/test-pipeline-crash: killed on purpose after commit/);
    }
  }, 70_000);
});
