import { randomBytes } from 'node:crypto';

import { Command } from 'commander';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CliError } from '../../main/cli/command';
import { parseStages, register, startWorkerHost } from '../../main/cli/commands/worker';
import { hostKeys, listWorkerHosts, startHostHeartbeat } from '../../main/supervisor/hosts';
import { silentSupervisorLogger } from '../../main/supervisor/logger';
import { waitFor } from './queue-harness';
import { createSupervisorHarness, type SupervisorHarness } from './supervisor-harness';
import { requireEnv } from './support/env';
import { testWorkerEntries } from './support/entries';

describe('sluice worker: headless pools and host heartbeats', () => {
  let h: SupervisorHarness;
  let redis: Redis;
  // Our own key namespace, so parallel files and real hosts on the same Redis never mix.
  const namespace = `it-${randomBytes(3).toString('hex')}:sluice:`;

  beforeAll(async () => {
    h = createSupervisorHarness('host');
    redis = new Redis(requireEnv('REDIS_URL'));
  });
  afterAll(async () => {
    const leftovers = await redis.keys(`${namespace}*`);
    if (leftovers.length > 0) await redis.del(...leftovers);
    redis.disconnect();
    await h.cleanup();
  });

  it('runs the pools, heartbeats in Redis while up, and removes the heartbeat on a clean stop', async () => {
    const host = await startWorkerHost({
      rabbitmqUrl: requireEnv('RABBITMQ_URL'),
      redisUrl: requireEnv('REDIS_URL'),
      stages: ['transform', 'load'],
      concurrency: 1,
      hostId: 'host-a',
      // No database here: forward-only handlers (the default is the real pipeline, which needs Postgres).
      handlers: { transform: 'noop', load: 'noop' },
      topology: { prefix: h.prefix },
      entries: testWorkerEntries(),
      logger: silentSupervisorLogger,
      heartbeat: { intervalMs: 200, ttlMs: 1_000, namespace },
    });
    try {
      await host.supervisor.waitUntilReady(30_000);
      const key = hostKeys(namespace).host('host-a');
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(1_000);
      // Pool health reaches Redis with the next beats.
      await waitFor('heartbeat shows both pools alive', async () => {
        const [entry] = await listWorkerHosts(requireEnv('REDIS_URL'), { namespace });
        return entry?.heartbeat.pools.filter((p) => p.alive === 1).length === 2;
      });
      const hosts = await listWorkerHosts(requireEnv('REDIS_URL'), { namespace });
      expect(hosts).toHaveLength(1);
      expect(hosts[0]).toMatchObject({ hostId: 'host-a', state: 'alive', heartbeat: { pid: process.pid, stages: ['transform', 'load'] } });
    } finally {
      await host.stop(5_000);
    }
    expect(await redis.exists(hostKeys(namespace).host('host-a'))).toBe(0);
    expect(await listWorkerHosts(requireEnv('REDIS_URL'), { namespace })).toEqual([]);
  });

  it('lists a host whose heartbeat expired (died without a clean stop) as lost', async () => {
    // One beat, then none for a minute: as if the host died right after starting.
    const beat = await startHostHeartbeat({
      redisUrl: requireEnv('REDIS_URL'),
      hostId: 'host-b',
      namespace,
      intervalMs: 60_000,
      ttlMs: 300,
      snapshot: () => ({ hostId: 'host-b', host: 'box', pid: 1, started: new Date().toISOString(), at: new Date().toISOString(), stages: ['extract'], pools: [] }),
    });
    expect((await listWorkerHosts(requireEnv('REDIS_URL'), { namespace }))[0]).toMatchObject({ hostId: 'host-b', state: 'alive' });
    await waitFor('host-b key expired', async () => (await redis.exists(hostKeys(namespace).host('host-b'))) === 0, 5_000);
    expect(await listWorkerHosts(requireEnv('REDIS_URL'), { namespace })).toEqual([expect.objectContaining({ hostId: 'host-b', state: 'lost' })]);
    await beat.stop();
    expect(await listWorkerHosts(requireEnv('REDIS_URL'), { namespace })).toEqual([]);
  });

  it('refuses to start without RABBITMQ_URL, in one line', async () => {
    const saved = { ...process.env };
    delete process.env['RABBITMQ_URL'];
    // An empty home: no local stack to borrow a URL from.
    process.env['SLUICE_HOME'] = `/tmp/sluice-it-${randomBytes(3).toString('hex')}`;
    try {
      const program = new Command('sluice').exitOverride();
      register(program);
      await expect(program.parseAsync(['node', 'sluice', 'worker', '--stages', 'transform'])).rejects.toThrow(/^RABBITMQ_URL is not set: point it at the RabbitMQ server/);
    } finally {
      process.env = saved;
    }
  });

  it('rejects unknown stages as a usage error', () => {
    expect(() => parseStages('extract,publish')).toThrow(CliError);
    expect(() => parseStages('extract,publish')).toThrow(/Unknown stage "publish" in --stages/);
    expect(parseStages('load, load,transform')).toEqual(['load', 'transform']);
  });

});
