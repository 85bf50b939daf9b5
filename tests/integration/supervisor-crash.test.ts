import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { waitFor } from './queue-harness';
import { createSupervisorHarness, exactlyOnce, type SupervisorHarness } from './supervisor-harness';

describe('supervisor: crashed threads lose nothing and are restarted', () => {
  let h: SupervisorHarness;

  beforeAll(() => {
    h = createSupervisorHarness('crash');
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it('a thread killed mid-batch loses nothing: every message reaches the next stage', async () => {
    // Each thread dies (uncaught error) on its 30th first delivery while ~10 others are in flight unacked.
    const supervisor = h.supervisor({ transform: 2 }, { prefetch: 10, handlers: { transform: 'test-crash' }, handlerOptions: { crashAfter: 30, delayMs: 5 } });
    supervisor.start();
    await supervisor.waitUntilReady(30_000);
    const downstream = await h.countDownstream('load');
    const ids = await h.publishTransforms(200);

    await waitFor('all 200 ids forwarded to load', () => ids.every((id) => downstream.seen.has(id)), 40_000);
    const { missing, unexpected } = exactlyOnce(downstream.seen, ids);
    expect(missing).toEqual([]);
    expect(unexpected).toEqual([]);
    // Nothing was given up on: no retries, no dead letters, the stage queue is empty.
    await waitFor('transform queue drained', async () => (await h.queues.ready(h.queues.topology.stageQueue('transform'))) === 0);
    expect(await h.queues.ready(h.queues.topology.deadLetterQueue)).toBe(0);

    const pool = supervisor.pools()[0]!;
    expect(pool.restarts).toBeGreaterThanOrEqual(2);
    expect(pool.lastError?.message).toMatch(/test-crash: killed on purpose/);
    await waitFor('the pool is back to 2 threads', () => supervisor.pools()[0]!.alive === 2, 20_000);
    await supervisor.stop(5_000);
  });

  it('a thread that can never start is a visible crash loop with its reason, not a hot loop', async () => {
    const supervisor = h.supervisor({ load: 1 }, { handlers: { load: 'no-such-handler' } });
    supervisor.start();
    await waitFor('three restarts', () => (supervisor.pools()[0]?.restarts ?? 0) >= 3, 20_000);
    const pool = supervisor.pools()[0]!;
    expect(pool).toMatchObject({ stage: 'load', state: 'degraded', alive: 0, desired: 1 });
    expect(pool.crashStreak).toBeGreaterThanOrEqual(3);
    expect(pool.lastError?.message).toMatch(/No stage handler is named "no-such-handler"/);
    await expect(supervisor.waitUntilReady(300)).rejects.toThrow(/not ready within 300 ms: load 0\/1 degraded/);
    await supervisor.stop(1_000);
    expect(supervisor.pools()[0]!.state).toBe('stopped');
  });
});
