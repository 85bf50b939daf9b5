import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ProfilesState } from '../../shared/contract/profiles';
import { SessionInfo } from '../../shared/contract/session';
import { createEngine } from '../../main/engine/engine';
import { silentLogger } from '../../main/engine/logger';
import type { CallContext } from '../../main/engine/types';
import { EngineHost, type LocalStack } from '../../main/profiles/host';
import { migrateOrWarn } from '../../main/profiles/local-stack';
import { ProfileStore } from '../../main/profiles/store';
import { testSealer } from '../../main/testing/test-sealer';
import { splitSecret } from '../../main/profiles/credentials';
import { createTestDatabase, type TestDatabase } from './support/database';
import { requireEnv } from './support/env';

/**
 * The desktop's engine host for real: profiles saved and switched through the contract calls the
 * console makes, each switch restarting a real engine against the profile's Postgres (migrated on
 * the way), the desktop user's role following the profile, and a profile that cannot connect
 * leaving the console running with the reason.
 */
const noStack: LocalStack = {
  up: () => Promise.reject(new Error('no local stack in this test')),
  status: () => Promise.resolve(null),
  down: () => Promise.resolve(),
};

describe('desktop engine host over real services', () => {
  let db: TestDatabase;
  let host: EngineHost;
  let profilesPath: string;
  const ctx = (): CallContext => ({ transport: 'ipc', tenantId: null, ...host.desktopSession() });
  const call = (method: string, input: unknown = {}) => host.call(method, input, ctx());
  const waitForProfile = async (id: string | null): Promise<SessionInfo> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const info = SessionInfo.parse(await call('session.info'));
      if ((info.profile?.id ?? null) === id) return info;
      if (Date.now() > deadline) throw new Error(`the engine did not switch to ${id}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase('profhost');
    const dir = mkdtempSync(join(tmpdir(), 'sluice-profhost-'));
    profilesPath = join(dir, 'profiles.json');
    const sealer = testSealer();
    host = new EngineHost({
      store: new ProfileStore(profilesPath, sealer),
      sealer,
      env: { SLUICE_HOME: dir, SLUICE_WORKERS: 'off' },
      logger: silentLogger(),
      createEngine: (config, profiles) => createEngine(config, { mode: 'desktop', logger: silentLogger(), profiles, jobs: false }),
      migrate: migrateOrWarn(silentLogger()),
      localStack: noStack,
    });
    await host.start();
  });
  afterAll(async () => {
    await host?.close();
    await db?.drop();
  });

  it('starts with no profile (first run), then saves and switches to a platform profile, migrated and connected', async () => {
    const first = SessionInfo.parse(await call('session.info'));
    expect(first).toMatchObject({ firstRun: true, profile: null, role: 'admin', mode: 'desktop' });
    await expect(call('tenants.list')).rejects.toMatchObject({ code: 'unavailable' });

    const pg = splitSecret(db.url);
    const saved = (await call('profiles.save', { name: 'Staging', kind: 'remote', role: 'operator', services: { postgres: { url: pg.url, ...(pg.secret ? { secret: pg.secret } : {}) }, redis: { url: requireEnv('REDIS_URL') } } })) as { id: string; services: { postgres: { hasSecret: boolean } } };
    expect(saved.id).toBe('staging');
    if (pg.secret) expect(readFileSync(profilesPath, 'utf8')).not.toContain(pg.secret);

    const tested = (await call('profiles.test', { id: 'staging' })) as { ok: boolean; checks: { service: string; state: string }[] };
    expect(tested.checks.filter((c) => c.state === 'up').map((c) => c.service).sort()).toEqual(['postgres', 'redis']);

    await call('profiles.activate', { id: 'staging' });
    const info = await waitForProfile('staging');
    expect(info).toMatchObject({ firstRun: false, role: 'operator', principal: 'desktop (Staging)', profileError: null });
    // The engine behind the console is now the profile's: migrated, with its tables.
    await expect(call('tenants.list')).resolves.toEqual({ tenants: [] });
    // And the profile's role holds: an operator cannot configure.
    await expect(call('tenants.create', { name: 'Nope' })).rejects.toMatchObject({ code: 'forbidden' });
    const state = ProfilesState.parse(await call('profiles.list'));
    expect(state).toMatchObject({ activeId: 'staging', firstRun: false, canEdit: true });
    expect(JSON.stringify(state)).not.toContain(pg.secret ?? '\u0000');
  });

  it('keeps the console running with the reason when a profile cannot connect, and switches back', async () => {
    await call('profiles.save', { name: 'Broken', kind: 'remote', role: 'admin', services: { postgres: { url: 'postgres://nobody@127.0.0.1:1/none' } } });
    const tested = (await call('profiles.test', { id: 'broken' })) as { ok: boolean; checks: { service: string; message: string }[] };
    expect(tested.ok).toBe(false);
    expect(tested.checks.find((c) => c.service === 'postgres')?.message).toContain('nothing is listening at 127.0.0.1:1');
    await call('profiles.activate', { id: 'broken' });
    const info = await waitForProfile('broken');
    // The engine started (with Postgres configured but down): the health report says so.
    const health = (await call('system.health')) as { services: { service: string; state: string }[] };
    expect(health.services.find((s) => s.service === 'postgres')?.state).toBe('down');
    expect(info.role).toBe('admin');
    await call('profiles.activate', { id: 'staging' });
    await waitForProfile('staging');
    await expect(call('tenants.list')).resolves.toEqual({ tenants: [] });
    // Not the active one any more: it can go.
    await expect(call('profiles.delete', { id: 'broken' })).resolves.toEqual({ id: 'broken', deleted: true });
  });
});
