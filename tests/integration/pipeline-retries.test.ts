import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createPipelineHarness, STEP, type PipelineHarness } from './pipeline-harness';
import { waitFor } from './queue-harness';

/**
 * A unit whose transform keeps failing with an ordinary (retryable) error is retried with backoff
 * until the retry budget is spent; on its last attempt the handler marks it `failed`, so the run
 * still ends (partial) instead of waiting forever for a unit the queue has given up on.
 */
describe('pipeline stages: a unit that exhausts its retries', () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    h = await createPipelineHarness('retry');
  }, 60_000);
  afterAll(async () => {
    await h?.cleanup();
  });

  it('is retried, then marked failed and dead-lettered with retries_exhausted; the run ends partial', async () => {
    const supervisor = await h.start('pipeline', { extract: 1, transform: 1, load: 1 }, {}, { delayTiersMs: [100, 200], maxAttempts: 3 });
    const run = await h.createRun({ pages: 5, pageSize: 10, failingPage: 2 });
    expect(await h.waitForRunEnd(run.runId)).toBe('partial');

    const o = await h.outcome(run);
    expect(o).toMatchObject({ items: 40, rawUnits: 5, byStatus: { loaded: 4, failed: 1 } });
    expect(o.counters).toEqual([{ step: STEP, units: 5, extracted: 50, transformed: 40, loaded: 40, failed: 1, skipped: 0, pending: 0 }]);
    const failed = (await h.pool.query("SELECT page_key, error FROM raw_extraction_data WHERE run_id = $1 AND status = 'failed'", [run.runId])).rows[0];
    expect(failed).toMatchObject({ page_key: '|2', error: { stage: 'transform', reason: 'retries_exhausted', name: 'Error' } });

    const dead = await h.deadLetters();
    await waitFor('the exhausted message in the dead letters', async () => (await dead.count()) === 1, 10_000);
    const [letter] = (await dead.list()).items;
    expect(letter).toMatchObject({ reason: 'retries_exhausted', stage: 'transform', attempts: 3 });
    expect(letter!.error!.message).toMatch(/page 2 fails on purpose/);
    const retried = (): number => supervisor.pools().find((p) => p.stage === 'transform')?.retried ?? 0;
    await waitFor('the retry counts to reach the supervisor', () => retried() >= 2, 5_000);
    expect(retried()).toBe(2);
  }, 60_000);
});
