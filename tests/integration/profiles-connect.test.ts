import { createServer } from 'node:net';

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SessionInfo } from '../../shared/contract/session';
import { loadConfig } from '../../main/engine/config';
import { createDatabasePools, REPLICA_RETRY_MS, withReadScope } from '../../main/engine/db/replica';
import { createEngine } from '../../main/engine/engine';
import { silentLogger } from '../../main/engine/logger';
import { migratePostgres } from '../../main/migrate/postgres';
import { checkServices } from '../../main/profiles/check';
import { splitSecret } from '../../main/profiles/credentials';
import { emptyServices } from '../../main/profiles/model';
import { createTestDatabase, type TestDatabase } from './support/database';
import { requireEnv } from './support/env';

/**
 * Issue 11 against the real dev stack: test-connection per service says what works and precisely
 * what does not, and the read replica serves read-only calls with a fallback to the primary.
 */

/** A port nothing listens on (fetch refuses "bad ports" like 1 outright, so pick a real free one). */
const closedPort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
};

const withUrl = (url: string, change: (u: URL) => void): string => {
  const u = new URL(url);
  change(u);
  return u.href;
};

describe('profiles: test connection per service', () => {
  const services = (): ReturnType<typeof emptyServices> => {
    const s = emptyServices();
    s.postgres = splitSecret(requireEnv('DATABASE_URL'));
    s.postgresReplica = splitSecret(requireEnv('DATABASE_URL'));
    s.rabbitmq = splitSecret(requireEnv('RABBITMQ_URL'));
    s.rabbitmqManagement = { url: requireEnv('RABBITMQ_MANAGEMENT_URL'), secret: null };
    s.redis = splitSecret(requireEnv('REDIS_URL'));
    return s;
  };

  it('finds every configured service up with its version, and says what is optional', async () => {
    const checks = await checkServices(services(), undefined);
    const by = Object.fromEntries(checks.map((c) => [c.service, c]));
    for (const key of ['postgres', 'postgresReplica', 'rabbitmq', 'rabbitmqManagement', 'redis'] as const) {
      expect(by[key]?.state, `${key}: ${by[key]?.message}`).toBe('up');
      expect(by[key]?.version, key).toMatch(/^\d+\./);
      expect(by[key]?.target, key).not.toContain(new URL(requireEnv('REDIS_URL')).password);
    }
    // The "replica" here is the primary itself: it works, and the check says it takes no load off.
    expect(by['postgresReplica']?.message).toContain('this server is a primary, not a standby');
    expect(by['qdrant']).toMatchObject({ state: 'not_configured', message: 'Qdrant is not set (optional).' });
  });

  it('says precisely what is wrong with each kind of mistake', async () => {
    const s = services();
    s.postgres = { ...s.postgres, secret: 'wrong-password' };
    s.postgresReplica = { url: withUrl(s.postgresReplica.url!, (u) => (u.pathname = '/no_such_db_here')), secret: s.postgresReplica.secret };
    s.rabbitmq = { ...s.rabbitmq, secret: 'wrong-password' };
    s.rabbitmqManagement = { url: withUrl(s.rabbitmqManagement.url!, (u) => (u.password = 'wrong')), secret: null };
    s.redis = { ...s.redis, secret: 'wrong-password' };
    const port = await closedPort();
    s.qdrant = { url: `http://127.0.0.1:${port}`, secret: null };
    const checks = await checkServices(s, undefined, 4000);
    const message = Object.fromEntries(checks.map((c) => [c.service, c.message]));
    expect(checks.every((c) => c.state === 'down')).toBe(true);
    expect(message['postgres']).toMatch(/^Postgres at postgres:\/\/postgres@127\.0\.0\.1:\d+\/sluice: Postgres refused user "postgres": .*password authentication failed.*Check the user and password/);
    expect(message['postgresReplica']).toMatch(/database "no_such_db_here" does not exist: create it, or fix the database name at the end of the URL/);
    expect(message['rabbitmq']).toMatch(/RabbitMQ refused user "sluice" \(ACCESS_REFUSED\): check the user and password/);
    expect(message['rabbitmqManagement']).toMatch(/the management API refused the user and password \(HTTP 401\)/);
    expect(message['redis']).toMatch(/Redis refused the password .*: check it/);
    expect(message['qdrant']).toBe(`Qdrant at http://127.0.0.1:${port}/: nothing is listening at 127.0.0.1:${port} (connection refused): check the host and port, and that Qdrant is running.`);
    for (const c of checks) expect(c.message).not.toContain('wrong-password');
  });

  it('names a host that does not resolve', async () => {
    const s = emptyServices();
    s.redis = { url: 'redis://no-such-host.invalid:6379', secret: null };
    const [check] = await checkServices(s, ['redis'], 4000);
    expect(check?.message).toContain('the host name "no-such-host.invalid" does not resolve');
  });
});

describe('read replica', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('replica');
    await migratePostgres(db.url);
  });
  afterAll(async () => {
    await db?.drop();
  });

  const appName = withUrl.bind(null);
  const whoAnswers = `SELECT current_setting('application_name') AS app`;

  it('runs read-only scopes on the replica and everything else on the primary', async () => {
    const replicaUrl = appName(db.url, (u) => u.searchParams.set('application_name', 'sluice-replica'));
    const primaryUrl = appName(db.url, (u) => u.searchParams.set('application_name', 'sluice-primary'));
    const pools = createDatabasePools(primaryUrl, replicaUrl);
    try {
      const read = await withReadScope(true, () => pools.pool.query<{ app: string }>(whoAnswers));
      expect(read.rows[0]?.app).toBe('sluice-replica');
      const write = await withReadScope(false, () => pools.pool.query<{ app: string }>(whoAnswers));
      expect(write.rows[0]?.app).toBe('sluice-primary');
      // Outside any call (scheduler, coordinator): the primary.
      expect((await pools.pool.query<{ app: string }>(whoAnswers)).rows[0]?.app).toBe('sluice-primary');
      const client = await withReadScope(true, () => pools.pool.connect());
      try {
        expect((await client.query<{ app: string }>(whoAnswers)).rows[0]?.app).toBe('sluice-replica');
      } finally {
        client.release();
      }
      expect(pools.replicaState()).toMatchObject({ state: 'up', message: null });
    } finally {
      await pools.end();
    }
  });

  it('sends a write of a call declared read-only to the primary when the standby refuses it', async () => {
    // A read-only session stands in for a hot standby: it refuses writes with SQLSTATE 25006.
    const standbyUrl = appName(db.url, (u) => u.searchParams.set('options', '-c default_transaction_read_only=on'));
    const pools = createDatabasePools(db.url, standbyUrl);
    try {
      await pools.primary.query('CREATE TABLE IF NOT EXISTS replica_probe (n int)');
      const refused = new pg.Client({ connectionString: standbyUrl });
      await refused.connect();
      await expect(refused.query('INSERT INTO replica_probe VALUES (0)')).rejects.toMatchObject({ code: '25006' });
      await refused.end();
      await withReadScope(true, () => pools.pool.query('INSERT INTO replica_probe VALUES (1)'));
      expect((await pools.primary.query<{ n: number }>('SELECT n FROM replica_probe')).rows).toEqual([{ n: 1 }]);
      // Not a sign of a replica outage.
      expect(pools.replicaState().state).toBe('up');
    } finally {
      await pools.end();
    }
  });

  it('falls back to the primary with a notice when the replica is down, and tries it again later', async () => {
    let now = 1_000_000;
    const changes: string[] = [];
    const pools = createDatabasePools(db.url, 'postgres://reader:secret-pw@127.0.0.1:1/sluice', { now: () => now, onReplicaChange: (s) => changes.push(s.state) });
    try {
      const read = await withReadScope(true, () => pools.pool.query<{ n: number }>('SELECT 1 AS n'));
      expect(read.rows[0]?.n).toBe(1);
      const state = pools.replicaState();
      expect(state.state).toBe('down');
      expect(state.message).toMatch(/^The read replica at postgres:\/\/reader:\*\*\*@127\.0\.0\.1:1\/sluice cannot be reached \(.*\): read-only screens use the primary until it is back\.$/);
      expect(JSON.stringify(state)).not.toContain('secret-pw');
      expect(changes).toEqual(['down']);
      // Later reads try the replica again (still down here: the primary answers, the query's own error comes through).
      now += REPLICA_RETRY_MS + 1;
      await expect(withReadScope(true, () => pools.pool.query('SELEC 1'))).rejects.toThrow(/syntax error/);
      expect(changes).toEqual(['down']);
    } finally {
      await pools.end();
    }
  });

  it('tells the console through session.info and session.changed', async () => {
    const config = loadConfig({ DATABASE_URL: db.url, DATABASE_REPLICA_URL: 'postgres://reader@127.0.0.1:1/sluice', SLUICE_HOME: '/tmp/sluice-replica-test' });
    const engine = await createEngine(config, { mode: 'headless', logger: silentLogger(), jobs: false });
    const seen: unknown[] = [];
    const off = engine.subscribe((event, payload) => {
      if (event === 'session.changed') seen.push(payload);
    });
    try {
      const ctx = { transport: 'http' as const, tenantId: null, principal: 'ana', role: 'viewer' as const };
      await expect(engine.call('tenants.list', {}, ctx)).resolves.toEqual({ tenants: [] });
      const info = SessionInfo.parse(await engine.call('session.info', {}, ctx));
      expect(info.replica.state).toBe('down');
      expect(info.replica.message).toContain('read-only screens use the primary until it is back');
      expect(seen).toEqual([expect.objectContaining({ reason: 'replica' })]);
    } finally {
      off();
      await engine.close();
    }
  });
});
