import { randomBytes } from 'node:crypto';

import { afterAll, describe, expect, it } from 'vitest';

import { startWorkerHost, type RunningWorkerHost } from '../../main/cli/commands/worker';
import { workerHandlers } from '../../main/engine/handlers/workers';
import type { EmbeddedWorkers } from '../../main/engine/workers';
import { silentSupervisorLogger } from '../../main/supervisor/logger';
import type { Supervisor } from '../../main/supervisor/supervisor';
import type { CallContext } from '../../main/engine/types';
import { createSupervisorHarness } from './supervisor-harness';
import { waitFor } from './queue-harness';
import { requireEnv } from './support/env';
import { testWorkerEntries } from './support/entries';

/**
 * The workers API's pool controls against real threads: the engine's own pools scale and restart in
 * process; a `sluice worker` host is scaled and restarted from the console through Redis and answers
 * with its pools; a host that is gone is reported as not listening, not assumed done.
 */
describe('workers API: scale and restart pools, here and on a sluice worker host', () => {
  const h = createSupervisorHarness('wctl');
  const namespace = `it-wctl-${randomBytes(3).toString('hex')}:`;
  const ctx: CallContext = { transport: 'test', tenantId: null, principal: 'test' };
  let host: RunningWorkerHost | null = null;

  afterAll(async () => {
    await host?.stop(5_000);
    await h.cleanup();
  });

  const embeddedOf = (s: Supervisor): EmbeddedWorkers => ({
    status: () => ({ state: 'running', reason: null, hostId: 'it-embedded', pools: s.pools() }),
    offReason: null,
    scale: (stage, n) => s.scale(stage, n),
    restart: (stage) => s.restartPool(stage),
    stop: (grace) => s.stop(grace),
  });

  it("scales and restarts this engine's pools, refusing a bad count in words", async () => {
    const s = h.supervisor({ transform: 1 }, { handlers: { transform: 'noop' } });
    s.start();
    await s.waitUntilReady(30_000);
    const api = workerHandlers({ config: { redisUrl: null }, embedded: embeddedOf(s) });
    const up = await api['workers.scale']({ host: 'embedded', stage: 'transform', threads: 3 }, ctx);
    expect(up.message).toMatch(/^The transform pool of this engine is set to 3 thread\(s\)/);
    await waitFor('three transform threads', () => s.pools().find((p) => p.stage === 'transform')?.alive === 3, 30_000);
    const down = await api['workers.scale']({ host: 'embedded', stage: 'transform', threads: 1 }, ctx);
    expect(down.pools.find((p) => p.stage === 'transform')?.desired).toBe(1);
    await waitFor('one transform thread', () => s.pools().find((p) => p.stage === 'transform')?.alive === 1, 30_000);
    const restarted = await api['workers.restart']({ host: 'embedded', stage: 'transform' }, ctx);
    expect(restarted.message).toContain('restarted');
    await expect(api['workers.restart']({ host: 'embedded', stage: 'load' }, ctx)).rejects.toThrow('There is no load pool to restart; scale it up first.');
    const off = workerHandlers({ config: { redisUrl: null }, embedded: { ...embeddedOf(s), offReason: 'Embedded workers are off (SLUICE_WORKERS=off).' } });
    await expect(off['workers.scale']({ host: 'embedded', stage: 'load', threads: 1 }, ctx)).rejects.toThrow('This engine runs no worker pools: Embedded workers are off (SLUICE_WORKERS=off).');
    await s.stop(5_000);
  }, 90_000);

  it('scales and restarts a sluice worker host through Redis, and says when a host does not listen', async () => {
    host = await startWorkerHost({
      rabbitmqUrl: requireEnv('RABBITMQ_URL'),
      redisUrl: requireEnv('REDIS_URL'),
      stages: ['transform'],
      concurrency: 1,
      hostId: 'remote-a',
      handlers: { transform: 'noop' },
      topology: { prefix: h.prefix },
      entries: testWorkerEntries(),
      logger: silentSupervisorLogger,
      heartbeat: { intervalMs: 200, ttlMs: 1_000, namespace },
    });
    await host.supervisor.waitUntilReady(30_000);
    const none: EmbeddedWorkers = { status: () => ({ state: 'off', reason: 'off', hostId: null, pools: [] }), offReason: 'off', scale: () => undefined, restart: async () => undefined, stop: async () => undefined };
    const api = workerHandlers({ config: { redisUrl: requireEnv('REDIS_URL') }, embedded: none, hostsNamespace: namespace, remoteTimeoutMs: 10_000 });

    const status = await api['workers.status']({}, ctx);
    expect(status.hosts.map((x) => [x.hostId, x.state])).toEqual([['remote-a', 'alive']]);

    const scaled = await api['workers.scale']({ host: 'remote-a', stage: 'transform', threads: 2 }, ctx);
    expect(scaled.hostId).toBe('remote-a');
    expect(scaled.pools.find((p) => p.stage === 'transform')?.desired).toBe(2);
    await waitFor('two threads on the remote host', () => host!.supervisor.pools().find((p) => p.stage === 'transform')?.alive === 2, 30_000);
    // The heartbeat carries the new size to every console.
    await waitFor('the heartbeat to show two threads', async () => (await api['workers.status']({}, ctx)).hosts[0]?.heartbeat.pools[0]?.alive === 2, 10_000);

    const restarted = await api['workers.restart']({ host: 'remote-a', stage: 'transform' }, ctx);
    expect(restarted.message).toContain('remote-a restarted');
    await expect(api['workers.scale']({ host: 'remote-a', stage: 'load', threads: 65 } as never, ctx)).rejects.toThrow();

    await expect(api['workers.scale']({ host: 'gone-host', stage: 'transform', threads: 1 }, ctx)).rejects.toThrow(/Host gone-host is not listening for pool commands/);
  }, 120_000);
});
