import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { waitFor } from './queue-harness';
import { createSupervisorHarness, exactlyOnce, type SupervisorHarness } from './supervisor-harness';

describe('supervisor: graceful stop', () => {
  let h: SupervisorHarness;

  beforeAll(() => {
    h = createSupervisorHarness('drain');
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it('drains in-flight messages before the threads exit, and leaves the rest queued', async () => {
    const supervisor = h.supervisor({ transform: 2 }, { prefetch: 5, handlers: { transform: 'test-slow' }, handlerOptions: { delayMs: 600 } });
    supervisor.start();
    await supervisor.waitUntilReady(30_000);
    const downstream = await h.countDownstream('load');
    const ids = await h.publishTransforms(60);
    await waitFor('both threads busy', () => supervisor.pools()[0]!.busy === 2, 10_000);
    const inFlightAtStop = supervisor.pools()[0]!.inFlight;
    expect(inFlightAtStop).toBeGreaterThan(0);

    await supervisor.stop(10_000);

    const pool = supervisor.pools()[0]!;
    expect(pool).toMatchObject({ state: 'stopped', alive: 0, restarts: 0, failed: 0 });
    // Whatever was in flight was finished and acked, not abandoned.
    expect(pool.processed).toBeGreaterThanOrEqual(inFlightAtStop);
    await waitFor('downstream saw every processed message', () => downstream.seen.size === pool.processed);
    const { duplicated, unexpected } = exactlyOnce(downstream.seen, ids);
    expect({ duplicated, unexpected }).toEqual({ duplicated: [], unexpected: [] });
    // The rest is still queued (ready, not lost, not stuck unacked).
    expect(await h.queues.ready(h.queues.topology.stageQueue('transform'))).toBe(60 - pool.processed);
  });

  it('a grace period that runs out hands unfinished messages back to the queue', async () => {
    const supervisor = h.supervisor({ transform: 1 }, { prefetch: 5, handlers: { transform: 'test-slow' }, handlerOptions: { delayMs: 5_000 } });
    // What the first test left queued; the thread takes 5 of it as soon as it consumes.
    const before = await h.queues.ready(h.queues.topology.stageQueue('transform'));
    expect(before).toBeGreaterThan(5);
    supervisor.start();
    await supervisor.waitUntilReady(30_000);
    await waitFor('the thread is busy', () => supervisor.pools()[0]!.inFlight === 5, 10_000);
    const started = Date.now();
    await supervisor.stop(300);
    // The thread ends itself right after the grace period (the supervisor's backstop would take 300 + 2000 ms).
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(supervisor.pools()[0]).toMatchObject({ processed: 0, restarts: 0 });
    await waitFor('the 5 unfinished messages are back', async () => (await h.queues.ready(h.queues.topology.stageQueue('transform'))) === before, 10_000);
  });
});
