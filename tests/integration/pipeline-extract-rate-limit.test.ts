import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createCoordination, type Coordination } from '../../workers/coordination';
import { FALLBACK_BUDGET } from '../../workers/pipeline/extract-limits';
import { markRunRateLimited, markRunResumed } from '../../workers/pipeline/extract-services';
import { createPipelineHarness, STEP, type PipelineHarness, type SyntheticRun } from './pipeline-harness';
import { startExtractStage, type ExtractStage } from './pipeline-extract-support';
import { waitFor } from './queue-harness';
import { requireEnv } from './support/env';

/**
 * A page the API answers with a rate limit pauses the integration in the shared limiter (Redis, so
 * every worker on every host waits), the run shows `rate_limited` until then, and the same page is
 * fetched again after the pause: the run ends `succeeded` with exact counts and no retry spent.
 */
describe('pipeline extract: shared rate limit and rate_limited runs', () => {
  let h: PipelineHarness;
  let watcher: Coordination;
  let stage: ExtractStage | null = null;

  beforeAll(async () => {
    h = await createPipelineHarness('xrate');
  }, 60_000);
  afterAll(async () => {
    await stage?.stop();
    await watcher?.close();
    await h?.cleanup();
  });

  const runRow = async (runId: number) =>
    (await h.pool.query<{ state: string; until: Date | null }>('SELECT state, rate_limited_until AS until FROM runs WHERE id = $1', [runId])).rows[0]!;

  /** Runs a 10 × 3 synthetic run whose page 4 is rate limited for 1.5 s; returns what was seen during the pause. */
  const rateLimitedRun = async (): Promise<{ run: SyntheticRun; until: number; pausedUntil: number | null; unitsDuringPause: number }> => {
    const run = await h.createRun({ pages: 10, pageSize: 3, rateLimitedPage: 4, rateLimitedForMs: 1_500 });
    let row = await runRow(run.runId);
    await waitFor(`run ${run.runId} to be rate_limited`, async () => (row = await runRow(run.runId)).state === 'rate_limited', 20_000);
    const until = row.until!.getTime();
    const pausedUntil = (await stage!.services.limits.limiter.state(`integration-${run.integrationId}`)).pausedUntil;
    const unitsDuringPause = (await h.outcome(run)).rawUnits;
    return { run, until, pausedUntil, unitsDuringPause };
  };

  const expectExactSuccess = async (run: SyntheticRun, until: number): Promise<void> => {
    expect(await h.waitForRunEnd(run.runId)).toBe('succeeded');
    const o = await h.outcome(run);
    expect(o).toMatchObject({ state: 'succeeded', items: 30, itemsWithLineage: 30, rawUnits: 10, distinctPages: 10, byStatus: { loaded: 10 } });
    expect(o.counters).toEqual([{ step: STEP, units: 10, extracted: 30, transformed: 30, loaded: 30, failed: 0, skipped: 0, pending: 0 }]);
    expect((await runRow(run.runId)).until).toBeNull();
    // The rate-limited page was fetched again only once the pause was over.
    const page4 = (await h.pool.query<{ at: Date }>("SELECT created_at AS at FROM raw_extraction_data WHERE run_id = $1 AND page_key = '|4'", [run.runId])).rows[0]!;
    expect(page4.at.getTime()).toBeGreaterThanOrEqual(until - 5);
    // Waiting was not a failure: no retry, no dead letter.
    expect(stage!.consumer.stats()).toMatchObject({ failed: 0, retried: 0, deadLettered: 0 });
    expect(await (await h.deadLetters()).count()).toBe(0);
  };

  it('moves run states only from where they may: never shortens a pause, never resumes early, never touches a paused run', async () => {
    const run = await h.createRun({ pages: 1, pageSize: 1 });
    const t = Date.parse('2030-01-01T00:00:00Z');
    expect(await markRunRateLimited(h.pool, run.runId, t)).toBe(true);
    expect(await markRunRateLimited(h.pool, run.runId, t - 60_000)).toBe(true);
    expect(await runRow(run.runId)).toEqual({ state: 'rate_limited', until: new Date(t) });
    expect(await markRunResumed(h.pool, run.runId, t - 1)).toBe(false);
    expect(await markRunResumed(h.pool, run.runId, t)).toBe(true);
    expect(await runRow(run.runId)).toEqual({ state: 'running', until: null });
    expect(await markRunResumed(h.pool, run.runId, t)).toBe(false);
    await h.pool.query("UPDATE runs SET state = 'paused' WHERE id = $1", [run.runId]);
    expect(await markRunRateLimited(h.pool, run.runId, t)).toBe(false);
    expect(await runRow(run.runId)).toEqual({ state: 'paused', until: null });
  });

  it('pauses the integration in Redis for every worker, shows rate_limited, then resumes and succeeds exactly', async () => {
    stage = await startExtractStage(h, { redisUrl: requireEnv('REDIS_URL') });
    // Another host's view of the same budget: its own connection, the deployment's key prefix.
    watcher = createCoordination({ redisUrl: requireEnv('REDIS_URL'), keyPrefix: h.queues.prefix, rateLimits: () => FALLBACK_BUDGET });
    const { run, until, pausedUntil, unitsDuringPause } = await rateLimitedRun();
    expect(stage.services.limits.mode).toBe('redis');
    expect(unitsDuringPause).toBe(4); // pages 0-3 stored, page 4 waits
    expect(pausedUntil).not.toBeNull();
    expect(Math.abs(pausedUntil! - until)).toBeLessThanOrEqual(1);
    expect((await watcher.rateLimiter.state(`integration-${run.integrationId}`)).pausedUntil).toBe(pausedUntil);
    await expectExactSuccess(run, until);
    await stage.stop();
    stage = null;
  }, 90_000);

  it('does the same with the in-process limiter when there is no Redis', async () => {
    stage = await startExtractStage(h, { redisUrl: null });
    const { run, until, pausedUntil, unitsDuringPause } = await rateLimitedRun();
    expect(stage.services.limits.mode).toBe('in-process');
    expect(unitsDuringPause).toBe(4);
    expect(Math.abs(pausedUntil! - until)).toBeLessThanOrEqual(1);
    await expectExactSuccess(run, until);
    await stage.stop();
    stage = null;
  }, 90_000);

  it('parks a page whose pause outlasts the handler’s wait in a delay queue, spending no attempt', async () => {
    stage = await startExtractStage(h, { redisUrl: requireEnv('REDIS_URL') }, { maxWaitMs: 1_000 });
    // Longer than the 1 s the handler may wait, a little longer than the first delay tier (5 s).
    const until = Date.now() + 5_800;
    const run = await h.createRun({ pages: 6, pageSize: 2, rateLimitedPage: 2, rateLimitedUntil: until });
    await waitFor(`run ${run.runId} to be rate_limited`, async () => (await runRow(run.runId)).state === 'rate_limited', 20_000);
    expect((await runRow(run.runId)).until!.getTime()).toBe(until);
    expect(await h.waitForRunEnd(run.runId)).toBe('succeeded');
    const o = await h.outcome(run);
    expect(o).toMatchObject({ state: 'succeeded', items: 12, itemsWithLineage: 12, rawUnits: 6, distinctPages: 6, byStatus: { loaded: 6 } });
    const page2 = (await h.pool.query<{ at: Date }>("SELECT created_at AS at FROM raw_extraction_data WHERE run_id = $1 AND page_key = '|2'", [run.runId])).rows[0]!;
    expect(page2.at.getTime()).toBeGreaterThanOrEqual(until - 5);
    // Six pages plus at least one parked delivery of page 2, none of them a failure or a retry.
    expect(stage.consumer.stats().processed).toBeGreaterThanOrEqual(7);
    expect(stage.consumer.stats()).toMatchObject({ failed: 0, retried: 0, deadLettered: 0 });
    expect((await runRow(run.runId)).until).toBeNull();
  }, 90_000);
});
