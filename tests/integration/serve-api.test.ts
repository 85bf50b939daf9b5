import { once } from 'node:events';
import { request } from 'node:http';

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import { HealthReport } from '../../shared/contract/system';
import { CallResult, ServerSocketMessage } from '../../shared/contract/wire';
import { loadConfig } from '../../main/engine/config';
import { createEngine, type Engine } from '../../main/engine/engine';
import { silentLogger } from '../../main/engine/logger';
import { migratePostgres } from '../../main/migrate/postgres';
import { startHttpServer, type RunningServer } from '../../main/server/http';
import { createTestDatabase, type TestDatabase } from './support/database';
import { requireEnv } from './support/env';

const TOKEN = 'test-token-0123456789abcdef';

describe('sluice serve: HTTP + WebSocket transport of the contract', () => {
  let db: TestDatabase;
  let engine: Engine;
  let server: RunningServer;

  beforeAll(async () => {
    db = await createTestDatabase('serve');
    await migratePostgres(db.url);
    const seed = new pg.Client({ connectionString: db.url });
    await seed.connect();
    await seed.query("INSERT INTO tenants (name, tier, active) VALUES ('Zeta', 'basic', true), ('Alpha', 'premium', true), ('Old', 'free', false)");
    await seed.end();
    const config = loadConfig({
      DATABASE_URL: db.url,
      RABBITMQ_URL: requireEnv('RABBITMQ_URL'),
      RABBITMQ_MANAGEMENT_URL: requireEnv('RABBITMQ_MANAGEMENT_URL'),
      REDIS_URL: requireEnv('REDIS_URL'),
      SLUICE_HEALTH_INTERVAL_MS: '300',
      SLUICE_HOME: '/tmp/sluice-serve-test',
    });
    engine = await createEngine(config, { mode: 'headless', logger: silentLogger() });
    server = await startHttpServer(engine, { host: '127.0.0.1', port: 0, token: TOKEN, rendererDir: null, logger: silentLogger() });
  });
  afterAll(async () => {
    await server?.close();
    await engine?.close();
    await db?.drop();
  });

  const call = (method: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
    fetch(`${server.url}/api/v1/call/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('refuses a call without the token, saying how to get in', async () => {
    const res = await call('system.health', {}, {});
    expect(res.status).toBe(401);
    const body = CallResult.parse(await res.json());
    expect(body.ok).toBe(false);
    if (!body.ok) expect(body.error.message).toMatch(/URL printed by `sluice serve`/);
    expect((await call('system.health', {}, { authorization: 'Bearer wrong-token-wrong-token' })).status).toBe(401);
  });

  it('reports Postgres, RabbitMQ and Redis up with versions, and Qdrant not configured', async () => {
    const res = await call('system.health', {});
    expect(res.status).toBe(200);
    const body = CallResult.parse(await res.json());
    if (!body.ok) throw new Error(body.error.message);
    const report = HealthReport.parse(body.result);
    const byName = Object.fromEntries(report.services.map((s) => [s.service, s]));
    expect(byName['postgres']).toMatchObject({ state: 'up' });
    expect(byName['postgres']?.version).toMatch(/^\d+/);
    expect(byName['rabbitmq']).toMatchObject({ state: 'up', message: null });
    expect(byName['rabbitmq']?.version).toMatch(/^3\./);
    expect(byName['redis']?.state).toBe('up');
    expect(byName['redis']?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(byName['qdrant']).toMatchObject({ state: 'not_configured', target: null });
    expect(report.mode).toBe('headless');
  });

  it('lists tenants, active first then by name, and can leave out inactive ones', async () => {
    const all = CallResult.parse(await (await call('tenants.list', {})).json());
    if (!all.ok) throw new Error(all.error.message);
    expect((all.result as { tenants: { name: string }[] }).tenants.map((t) => t.name)).toEqual(['Alpha', 'Zeta', 'Old']);
    const active = CallResult.parse(await (await call('tenants.list', { includeInactive: false })).json());
    if (!active.ok) throw new Error(active.error.message);
    expect((active.result as { tenants: unknown[] }).tenants).toHaveLength(2);
  });

  it('rejects bad input with field-level issues, unknown methods, and oversized bodies', async () => {
    const bad = await call('tenants.list', { includeInactive: 'yes' });
    expect(bad.status).toBe(400);
    const badBody = CallResult.parse(await bad.json());
    if (badBody.ok) throw new Error('expected a failure');
    expect(badBody.error.code).toBe('bad_request');
    expect(badBody.error.issues?.[0]?.path).toBe('includeInactive');
    expect((await call('tenants.drop', {})).status).toBe(404);
    expect((await call('tenants.list', { includeInactive: true, extra: 1 })).status).toBe(400);
    const big = await call('tenants.list', { pad: 'x'.repeat(1_100_000) });
    expect(big.status).toBe(413);
  });

  it('refuses requests addressed to another host name (DNS rebinding)', async () => {
    // fetch() cannot forge Host; a raw request can, as a rebinding page's browser would send it.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/healthz', headers: { host: 'evil.example:80' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });

  it('signs a browser in with a session cookie that needs the client header', async () => {
    const login = await fetch(server.loginUrl, { redirect: 'manual' });
    expect(login.status).toBe(303);
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toContain(TOKEN);
    const session = cookie.split(';')[0]!;
    expect((await call('tenants.list', {}, { cookie: session, 'x-sluice-client': '1' })).status).toBe(200);
    expect((await call('tenants.list', {}, { cookie: session })).status).toBe(401);
    expect((await fetch(`${server.url}/auth?token=nope`, { redirect: 'manual' })).status).toBe(401);
  });

  it('pushes live health events to a subscribed socket and refuses foreign origins and missing tokens', async () => {
    const url = server.url.replace('http', 'ws') + '/api/v1/events';
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    await once(ws, 'open');
    ws.send(JSON.stringify({ type: 'subscribe', events: ['system.health'] }));
    const [data] = (await once(ws, 'message')) as [Buffer];
    const msg = ServerSocketMessage.parse(JSON.parse(data.toString()));
    expect(msg.type).toBe('event');
    if (msg.type === 'event') {
      expect(msg.event).toBe('system.health');
      expect(HealthReport.parse(msg.payload).services).toHaveLength(4);
    }
    ws.close();

    const anonymous = new WebSocket(url);
    const [, anonRes] = (await once(anonymous, 'unexpected-response')) as [unknown, { statusCode: number }];
    expect(anonRes.statusCode).toBe(401);
    const foreign = new WebSocket(url, { headers: { authorization: `Bearer ${TOKEN}`, origin: 'https://evil.example' } });
    const [, foreignRes] = (await once(foreign, 'unexpected-response')) as [unknown, { statusCode: number }];
    expect(foreignRes.statusCode).toBe(403);
  });
});
