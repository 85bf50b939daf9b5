import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { dispatch } from '../../main/engine/dispatch';
import { silentLogger } from '../../main/engine/logger';
import type { CallContext, EngineApi, Handlers } from '../../main/engine/types';
import { startHttpServer, type RunningServer } from '../../main/server/http';
import { methodNames } from '../../shared/contract/api';
import { repoRoot } from './supervisor-harness';

/**
 * `sluice users add|list|rotate|remove` as an operator runs it (the built CLI in its own process),
 * against a running `sluice serve` transport that re-reads the users file: a change takes effect at
 * once, without a restart, and the file holds token hashes only.
 */
const home = mkdtempSync(join(tmpdir(), 'sluice-users-cli-'));
const usersFile = join(home, 'users.json');
const sluice = (...args: string[]) => spawnSync(process.execPath, ['bin/sluice.js', 'users', ...args], { cwd: repoRoot, env: { ...process.env, SLUICE_HOME: home, SLUICE_USERS_FILE: '' }, encoding: 'utf8', timeout: 60_000 });

const seen: CallContext[] = [];
const handlers = Object.fromEntries(methodNames.map((m) => [m, (_i: unknown, ctx: CallContext) => (seen.push(ctx), Promise.resolve({ tenants: [] }))])) as unknown as Handlers;
const engine: EngineApi = { call: (method, input, ctx) => dispatch(handlers, method, input, ctx), subscribe: () => () => undefined };
let server: RunningServer;

beforeAll(async () => {
  server = await startHttpServer(engine, { host: '127.0.0.1', port: 0, token: 'users-cli-serve-token-0123456789', usersFile, rendererDir: null, logger: silentLogger() });
});
afterAll(async () => {
  await server?.close();
});

const status = async (token: string, method = 'tenants.list'): Promise<number> =>
  (await fetch(`${server.url}/api/v1/call/${method}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' })).status;

/** The users file is re-read when it changes; give the file watcher's stat a moment. */
const eventually = async (check: () => Promise<boolean>): Promise<void> => {
  const deadline = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the server did not pick up the users file change');
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('sluice users', () => {
  it('adds a user with a role and prints the token once; the file keeps its hash only, owner-only', async () => {
    const added = sluice('add', 'ana', '--role', 'operator');
    expect(added.status, added.stderr).toBe(0);
    const token = added.stdout.trim();
    expect(token).toMatch(/^sluice_[A-Za-z0-9_-]{43}$/);
    expect(added.stderr).toContain('it is not stored and will not be shown again');
    const text = readFileSync(usersFile, 'utf8');
    expect(text).not.toContain(token);
    expect(text).toMatch(/"tokenHash": "sha256:[0-9a-f]{64}"/);
    expect(statSync(usersFile).mode & 0o777).toBe(0o600);

    await eventually(async () => (await status(token)) === 200);
    expect(seen.at(-1)).toMatchObject({ principal: 'ana', role: 'operator' });
    // An operator, not an admin.
    expect(await status(token, 'tenants.create')).toBe(403);

    const list = sluice('list', '--json');
    expect(JSON.parse(list.stdout)).toEqual([{ name: 'ana', role: 'operator', createdAt: expect.any(String) }]);
    expect(list.stdout).not.toContain('sha256');
  });

  it('rotates a token (the old one stops at once) and can change the role', async () => {
    const before = sluice('add', 'ben').stdout.trim();
    await eventually(async () => (await status(before)) === 200);
    expect(seen.at(-1)).toMatchObject({ principal: 'ben', role: 'viewer' });
    const rotated = sluice('rotate', 'ben', '--role', 'admin');
    expect(rotated.status, rotated.stderr).toBe(0);
    const after = rotated.stdout.trim();
    await eventually(async () => (await status(before)) === 401);
    // Admin now: past the role check (to the input check, which `{}` fails).
    expect(await status(after, 'tenants.create')).toBe(400);
    expect(await status(after)).toBe(200);
    expect(seen.at(-1)).toMatchObject({ principal: 'ben', role: 'admin' });
  });

  it('removes a user: their token stops working without a restart', async () => {
    const token = sluice('add', 'cy', '--role', 'viewer').stdout.trim();
    await eventually(async () => (await status(token)) === 200);
    const removed = sluice('remove', 'cy');
    expect(removed.status).toBe(0);
    expect(removed.stderr).toContain('Removed cy.');
    await eventually(async () => (await status(token)) === 401);
  });

  it('says what is wrong: a taken or bad name, an unknown user, a role that does not exist', () => {
    const taken = sluice('add', 'ana');
    expect(taken.status).toBe(2);
    expect(taken.stderr).toContain('User "ana" already exists: use `sluice users rotate ana` for a new token, or remove it first.');
    const bad = sluice('add', 'Ana Smith');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('A user name is 1-64 lower-case letters');
    const unknown = sluice('remove', 'nobody');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('There is no user "nobody": `sluice users list` shows who exists.');
    const role = sluice('add', 'dee', '--role', 'root');
    expect(role.status).not.toBe(0);
    expect(role.stderr).toMatch(/Allowed choices are viewer, operator, admin/);
  });
});
