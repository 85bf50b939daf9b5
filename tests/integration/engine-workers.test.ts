
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { WorkersStatus } from '../../shared/contract/workers';
import { loadConfig } from '../../main/engine/config';
import { createEngine, type Engine } from '../../main/engine/engine';
import { silentLogger } from '../../main/engine/logger';
import { migratePostgres } from '../../main/migrate/postgres';
import { createTestDatabase, type TestDatabase } from './support/database';
import { requireEnv } from './support/env';
import { testWorkerEntries } from './support/entries';

const ctx = { transport: 'test' as const, tenantId: null, principal: 'test' };

describe('worker pools embedded in the engine', () => {
  let db: TestDatabase;
  let engine: Engine;

  beforeAll(async () => {
    db = await createTestDatabase('engwork');
    await migratePostgres(db.url);
    const config = loadConfig({
      DATABASE_URL: db.url,
      RABBITMQ_URL: requireEnv('RABBITMQ_URL'),
      REDIS_URL: requireEnv('REDIS_URL'),
      SLUICE_WORKERS: 'extract=1,transform=2,load=1,vectorize=0',
      SLUICE_HOME: '/tmp/sluice-engine-workers-test',
    });
    engine = await createEngine(config, { mode: 'headless', logger: silentLogger(), workerEntries: testWorkerEntries() });
  });
  afterAll(async () => {
    await engine?.close();
    await db?.drop();
  });

  it('starts the configured pools and reports them through workers.status', async () => {
    const deadline = Date.now() + 60_000;
    let status = WorkersStatus.parse(await engine.call('workers.status', {}, ctx));
    while (status.embedded.pools.some((p) => p.alive < p.desired) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      status = WorkersStatus.parse(await engine.call('workers.status', {}, ctx));
    }
    expect(status.embedded.state).toBe('running');
    const alive = Object.fromEntries(status.embedded.pools.map((p) => [p.stage, [p.desired, p.alive]]));
    expect(alive).toMatchObject({ extract: [1, 1], transform: [2, 2], load: [1, 1] });
    expect(status.hostsNote).toBeNull();
  });

  it('is off with the reason when SLUICE_WORKERS=off or RabbitMQ is not configured', async () => {
    const off = await createEngine(loadConfig({ SLUICE_WORKERS: 'off', SLUICE_HOME: '/tmp/x' }), { mode: 'headless', logger: silentLogger(), workerEntries: testWorkerEntries() });
    const noMq = await createEngine(loadConfig({ DATABASE_URL: db.url, SLUICE_HOME: '/tmp/x' }), { mode: 'headless', logger: silentLogger(), workerEntries: testWorkerEntries() });
    try {
      const a = WorkersStatus.parse(await off.call('workers.status', {}, ctx));
      expect(a.embedded).toMatchObject({ state: 'off', pools: [] });
      expect(a.embedded.reason).toContain('SLUICE_WORKERS=off');
      expect(a.hostsNote).toContain('REDIS_URL');
      const b = WorkersStatus.parse(await noMq.call('workers.status', {}, ctx));
      expect(b.embedded.reason).toContain('RABBITMQ_URL');
    } finally {
      await off.close();
      await noMq.close();
    }
  });
});
