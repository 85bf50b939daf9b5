import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { methodNames, methods, type MethodName } from '../../shared/contract/api';
import { SessionInfo } from '../../shared/contract/session';
import { CallResult } from '../../shared/contract/wire';
import { loadConfig } from '../../main/engine/config';
import { createEngine, type Engine } from '../../main/engine/engine';
import { silentLogger } from '../../main/engine/logger';
import { migratePostgres } from '../../main/migrate/postgres';
import { startHttpServer, type RunningServer } from '../../main/server/http';
import { addUser } from '../../main/server/users-file';
import { createTestDatabase, type TestDatabase } from './support/database';
import { requireEnv } from './support/env';

const SERVE_TOKEN = 'roles-serve-token-0123456789abcdef';

/**
 * Issue 11, roles over the real transport of `sluice serve`: users from a users file, each with a
 * role; every call goes through HTTP and the engine's dispatch, against real Postgres.
 */
describe('sluice serve: roles for every call', () => {
  let db: TestDatabase;
  let engine: Engine;
  let server: RunningServer;
  const tokens: Record<'viewer' | 'operator' | 'admin', string> = { viewer: '', operator: '', admin: '' };

  beforeAll(async () => {
    db = await createTestDatabase('roleshttp');
    await migratePostgres(db.url);
    const usersFile = join(mkdtempSync(join(tmpdir(), 'sluice-roles-')), 'users.json');
    for (const role of ['viewer', 'operator', 'admin'] as const) tokens[role] = addUser(usersFile, `ana-${role}`, role).token;
    const config = loadConfig({
      DATABASE_URL: db.url,
      RABBITMQ_URL: requireEnv('RABBITMQ_URL'),
      REDIS_URL: requireEnv('REDIS_URL'),
      SLUICE_HOME: mkdtempSync(join(tmpdir(), 'sluice-roles-home-')),
    });
    engine = await createEngine(config, { mode: 'headless', logger: silentLogger(), jobs: false });
    server = await startHttpServer(engine, { host: '127.0.0.1', port: 0, token: SERVE_TOKEN, usersFile, rendererDir: null, logger: silentLogger() });
  });
  afterAll(async () => {
    await server?.close();
    await engine?.close();
    await db?.drop();
  });

  const call = async (method: string, body: unknown, token: string): Promise<{ status: number; body: CallResult }> => {
    const res = await fetch(`${server.url}/api/v1/call/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-sluice-tenant': '1' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: CallResult.parse(await res.json()) };
  };
  const errorOf = (r: { body: CallResult }) => (r.body.ok ? null : r.body.error);
  const tenantCount = async (): Promise<number> => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      return Number((await c.query<{ n: string }>('SELECT count(*)::text AS n FROM tenants')).rows[0]!.n);
    } finally {
      await c.end();
    }
  };
  /** The desktop's own profile calls: open to every role on the desktop, refused to everyone by serve. */
  const LOCAL: readonly MethodName[] = ['profiles.save', 'profiles.delete', 'profiles.activate'];

  it('refuses a viewer every mutating method with a 403 that names the role needed, and changes nothing', async () => {
    const before = await tenantCount();
    const mutating = methodNames.filter((m) => methods[m].mutates && !LOCAL.includes(m));
    expect(mutating.length).toBeGreaterThan(20);
    for (const method of mutating) {
      const r = await call(method, {}, tokens.viewer);
      expect(r.status, method).toBe(403);
      expect(errorOf(r), method).toEqual({
        code: 'forbidden',
        message: `${method} needs the ${methods[method].role} role, and ana-viewer is a viewer: ask an admin of this Sluice to give you the ${methods[method].role} role, or sign in as a user who has it.`,
      });
    }
    // A well-formed write is refused the same way and leaves no trace.
    const create = await call('tenants.create', { name: 'Viewer Was Here' }, tokens.viewer);
    expect(create.status).toBe(403);
    expect(await tenantCount()).toBe(before);
  });

  it('lets a viewer read', async () => {
    const r = await call('tenants.list', {}, tokens.viewer);
    expect(r.status).toBe(200);
    const runs = await call('runs.list', {}, tokens.viewer);
    expect(runs.status).toBe(200);
  });

  it('refuses an operator every admin method, and lets their pipeline calls through to the handlers', async () => {
    const admin = methodNames.filter((m) => methods[m].role === 'admin');
    expect(admin).toEqual(expect.arrayContaining(['tenants.create', 'integrations.create', 'jobs.create', 'runs.setRetention']));
    for (const method of admin) {
      const r = await call(method, {}, tokens.operator);
      expect(r.status, method).toBe(403);
      expect(errorOf(r)?.message, method).toContain(`needs the admin role, and ana-operator is an operator`);
    }
    const operator = methodNames.filter((m) => methods[m].role === 'operator');
    expect(operator).toEqual(expect.arrayContaining(['runs.pause', 'runs.resume', 'runs.cancel', 'runs.rerunFailed', 'jobs.runNow', 'jobs.retransform', 'mappings.retransform']));
    for (const method of operator) {
      // Past the role check: the input is looked at (and found wanting), which a viewer never gets to.
      const r = await call(method, { not: 'valid' }, tokens.operator);
      expect(r.status, method).toBe(400);
      expect(errorOf(r)?.code, method).toBe('bad_request');
      expect((await call(method, { not: 'valid' }, tokens.viewer)).status, method).toBe(403);
    }
    const pause = await call('runs.pause', { id: 987654 }, tokens.operator);
    expect(pause.status).toBe(404);
  });

  it('lets an admin (a user or the server token) configure', async () => {
    const r = await call('tenants.create', { name: 'Made By Admin' }, tokens.admin);
    expect(r.status).toBe(200);
    const s = await call('tenants.create', { name: 'Made By Server Token' }, SERVE_TOKEN);
    expect(s.status).toBe(200);
  });

  it("refuses everyone the desktop's profile changes: serve's profile comes from its environment", async () => {
    for (const token of [tokens.viewer, tokens.admin]) {
      const save = await call('profiles.save', { name: 'Sneaky', kind: 'remote', services: { postgres: { url: 'postgres://x@evil.example:5432/x' } } }, token);
      expect(save.status).toBe(403);
      expect(errorOf(save)?.message).toMatch(/On `sluice serve` the profile comes from the server/);
      expect((await call('profiles.activate', { id: 'environment' }, token)).status).toBe(403);
      expect((await call('profiles.delete', { id: 'environment' }, token)).status).toBe(403);
      // Nor may a console make the server probe a host of its choosing.
      const probe = await call('profiles.test', { draft: { postgres: { url: 'postgres://x@10.0.0.1:5432/x' } } }, token);
      expect(probe.status).toBe(403);
    }
  });

  it('tells each console its role and profile through session.info, never a secret', async () => {
    for (const role of ['viewer', 'operator', 'admin'] as const) {
      const r = await call('session.info', {}, tokens[role]);
      expect(r.status).toBe(200);
      if (!r.body.ok) throw new Error(r.body.error.message);
      const info = SessionInfo.parse(r.body.result);
      expect(info).toMatchObject({ principal: `ana-${role}`, role, mode: 'headless', firstRun: false, profile: { id: 'environment', kind: 'environment' }, replica: { state: 'none' } });
    }
    const list = await call('profiles.list', {}, tokens.viewer);
    expect(list.status).toBe(200);
    const password = new URL(db.url).password;
    if (password) expect(JSON.stringify(list.body)).not.toContain(password);
    expect(JSON.stringify(list.body)).toContain('"canEdit":false');
  });
});
