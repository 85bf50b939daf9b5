import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Supervisor } from '../../main/supervisor/supervisor';
import { waitFor } from './queue-harness';
import { createSupervisorHarness, exactlyOnce, type SupervisorHarness } from './supervisor-harness';

describe('supervisor pools (noop handlers, real RabbitMQ)', () => {
  let h: SupervisorHarness;
  let supervisor: Supervisor;

  beforeAll(async () => {
    h = createSupervisorHarness('pools');
    supervisor = h.supervisor({ transform: 2 }, { prefetch: 20 });
    supervisor.start();
    await supervisor.waitUntilReady(30_000);
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it('reports two active transform threads once they consume', () => {
    expect(supervisor.pools()).toEqual([expect.objectContaining({ stage: 'transform', state: 'running', desired: 2, alive: 2, restarts: 0, lastError: null })]);
  });

  it('processes every published message exactly once and forwards it to load', async () => {
    const downstream = await h.countDownstream('load');
    const ids = await h.publishTransforms(1_000);
    await waitFor('1000 messages forwarded to load', () => downstream.seen.size >= 1_000, 20_000);
    await waitFor('pool stats caught up', () => supervisor.pools()[0]!.processed === 1_000, 5_000);
    expect(exactlyOnce(downstream.seen, ids)).toEqual({ missing: [], duplicated: [], unexpected: [] });
    expect(supervisor.pools()[0]).toMatchObject({ processed: 1_000, failed: 0, retried: 0, deadLettered: 0, restarts: 0 });
    expect(await h.queues.ready(h.queues.topology.stageQueue('transform'))).toBe(0);
  });

  it('scales a pool up and down', async () => {
    supervisor.scale('transform', 3);
    await waitFor('3 transform threads alive', () => supervisor.pools()[0]!.alive === 3, 20_000);
    supervisor.scale('transform', 1);
    await waitFor('1 transform thread alive', () => supervisor.pools()[0]!.alive === 1, 20_000);
    expect(supervisor.pools()[0]).toMatchObject({ desired: 1, state: 'running', restarts: 0 });
    // Scaling a stage that had no pool creates it.
    supervisor.scale('load', 1);
    await waitFor('a load pool appears', () => supervisor.pools().some((p) => p.stage === 'load' && p.alive === 1), 20_000);
    supervisor.scale('load', 0);
    await waitFor('load pool idle', () => supervisor.pools().find((p) => p.stage === 'load')!.state === 'idle', 20_000);
  });

  it('refuses impossible pool sizes with a clear message', () => {
    expect(() => supervisor.scale('transform', -1)).toThrow(/pool size must be an integer from 0 to 64, got -1/);
  });

  it('restarts a pool without counting it as a crash', async () => {
    await supervisor.restartPool('transform');
    await waitFor('transform back to 1 thread', () => supervisor.pools()[0]!.alive === 1, 20_000);
    expect(supervisor.pools()[0]).toMatchObject({ restarts: 0, crashStreak: 0, processed: 1_000 });
  });
});
