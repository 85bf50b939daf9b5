import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it, vi } from 'vitest';

import { ProfileInput } from '../../shared/contract/profiles';
import type { EngineConfig } from '../engine/config';
import type { Engine } from '../engine/engine';
import { silentLogger } from '../engine/logger';
import { testSealer } from '../testing/test-sealer';
import { EngineHost, type LocalStack } from './host';
import type { ProfileService } from './service';
import { ProfileStore } from './store';

const LOCAL_ENDPOINTS = { databaseUrl: 'postgres://sluice:local-pw@127.0.0.1:55432/sluice', rabbitmqUrl: 'amqp://sluice:local@127.0.0.1:55672', rabbitmqManagementUrl: 'http://sluice:local@127.0.0.1:55673', redisUrl: 'redis://127.0.0.1:56379' };

const setup = (env: NodeJS.ProcessEnv = {}) => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-host-'));
  const sealer = testSealer();
  const store = new ProfileStore(join(dir, 'profiles.json'), sealer);
  const started: EngineConfig[] = [];
  const closed: number[] = [];
  const createEngine = vi.fn((config: EngineConfig, profiles: ProfileService) => {
    const n = started.push(config);
    return Promise.resolve({
      config,
      version: '0',
      coordinator: null,
      call: (method: string) => (method === 'session.info' ? Promise.resolve({ active: profiles.active(), firstRun: profiles.firstRun(), engine: n }) : Promise.resolve({ engine: n })),
      subscribe: () => () => undefined,
      close: () => (closed.push(n), Promise.resolve()),
    } as unknown as Engine);
  });
  const localStack: LocalStack = { up: vi.fn(() => Promise.resolve({ endpoints: LOCAL_ENDPOINTS, startedNow: true })), status: () => Promise.resolve(LOCAL_ENDPOINTS), down: vi.fn(() => Promise.resolve()) };
  const migrate = vi.fn(() => Promise.resolve());
  const host = new EngineHost({ store, sealer, env: { SLUICE_HOME: dir, ...env }, logger: silentLogger(), createEngine, migrate, localStack });
  return { host, store, started, closed, localStack, migrate };
};

const ctx = { transport: 'ipc' as const, tenantId: null, principal: 'desktop', role: 'admin' as const };

describe('EngineHost: the desktop engine across profiles', () => {
  it('starts a fresh install with no services and asks for the first-run wizard', async () => {
    const { host, started } = setup();
    await host.start();
    expect(started[0]).toMatchObject({ databaseUrl: null, rabbitmqUrl: null, redisUrl: null });
    await expect(host.call('session.info', {}, ctx)).resolves.toMatchObject({ active: null, firstRun: true });
    await expect(host.profiles.state()).resolves.toMatchObject({ profiles: [], activeId: null, firstRun: true, canEdit: true, mode: 'desktop' });
    expect(host.desktopSession()).toEqual({ principal: 'desktop', role: 'admin' });
    await host.close();
  });

  it("switches to a remote profile: a new engine with the profile's secrets, its role for the desktop user, the title told", async () => {
    const { host, store, started, closed, migrate } = setup();
    await host.start();
    const saved = await host.profiles.save(ProfileInput.parse({ name: 'Production', kind: 'remote', role: 'viewer', services: { postgres: { url: 'postgres://ro:prod-secret@db.prod:5432/sluice' }, postgresReplica: { url: 'postgres://ro@replica.prod:5432/sluice', secret: 'replica-secret' } } }));
    expect(JSON.stringify(saved)).not.toContain('prod-secret');
    const titles: (string | null)[] = [];
    host.onProfileChange((p) => titles.push(p?.name ?? null));
    const answer = await host.profiles.activate(saved.id);
    expect(answer.message).toMatch(/Switching to "Production"/);
    await vi.waitFor(() => expect(started).toHaveLength(2));
    await expect(host.call('system.health', {}, ctx)).resolves.toEqual({ engine: 2 });
    expect(closed).toEqual([1]);
    expect(started[1]).toMatchObject({ databaseUrl: 'postgres://ro:prod-secret@db.prod:5432/sluice', databaseReplicaUrl: 'postgres://ro:replica-secret@replica.prod:5432/sluice', profile: { id: 'production', kind: 'remote' } });
    expect(migrate).toHaveBeenCalledWith('postgres://ro:prod-secret@db.prod:5432/sluice');
    expect(host.desktopSession()).toEqual({ principal: 'desktop (Production)', role: 'viewer' });
    expect(titles).toEqual(['Production']);
    // Remembered for the next launch.
    expect(store.read().activeId).toBe('production');
    // The active profile cannot be deleted from under the engine.
    await expect(Promise.resolve().then(() => host.profiles.delete('production'))).rejects.toThrow(/switch to another profile first/);
    await host.close();
  });

  it('starts the local stack for a local profile and stops only a stack it started', async () => {
    const { host, started, localStack } = setup();
    await host.start();
    const local = await host.profiles.save(ProfileInput.parse({ name: 'Local', kind: 'local' }));
    await host.switchTo(local.id);
    expect(started[1]).toMatchObject({ databaseUrl: LOCAL_ENDPOINTS.databaseUrl, redisUrl: LOCAL_ENDPOINTS.redisUrl, profile: { kind: 'local' } });
    await host.close();
    expect(localStack.down).toHaveBeenCalledTimes(1);
  });

  it('keeps running with no services when a profile cannot start, and says why', async () => {
    const { host, started } = setup();
    await host.start();
    const local = await host.profiles.save(ProfileInput.parse({ name: 'Broken Local', kind: 'local' }));
    const { localStack } = { localStack: (host as unknown as { options: { localStack: LocalStack } }).options.localStack };
    vi.mocked(localStack.up).mockRejectedValueOnce(new Error('port 55432 is taken.'));
    await host.switchTo(local.id);
    expect(started[1]).toMatchObject({ databaseUrl: null });
    expect(host.active()).toMatchObject({ id: 'broken-local', error: 'The engine could not start with this profile: port 55432 is taken. Fix the profile or switch to another one.' });
    await host.close();
  });

  it('uses the environment as a read-only profile when Sluice was started with one', async () => {
    const { host, started } = setup({ DATABASE_URL: 'postgres://env:env-secret@env-db:5432/sluice' });
    await host.start();
    expect(started[0]?.databaseUrl).toBe('postgres://env:env-secret@env-db:5432/sluice');
    const state = await host.profiles.state();
    expect(state).toMatchObject({ activeId: 'environment', firstRun: false });
    expect(state.profiles[0]).toMatchObject({ id: 'environment', editable: false, services: { postgres: { url: 'postgres://env@env-db:5432/sluice', hasSecret: true } } });
    expect(JSON.stringify(state)).not.toContain('env-secret');
    await expect(host.profiles.delete('environment')).rejects.toMatchObject({ code: 'forbidden' });
    await host.close();
  });

  it('tests a draft over a saved profile without saving it', async () => {
    const { host } = setup();
    await host.start();
    await host.profiles.save(ProfileInput.parse({ name: 'Staging', kind: 'remote', services: { postgres: { url: 'postgres://app:stored-secret@db.staging:5432/sluice' } } }));
    const services = await host.profiles.servicesForTest({ id: 'staging', draft: { postgres: { url: 'postgres://app@db2.staging:5432/sluice' }, redis: { url: 'redis://r:6379', secret: 'typed' } } });
    expect(services.postgres).toEqual({ url: 'postgres://app@db2.staging:5432/sluice', secret: 'stored-secret' });
    expect(services.redis).toEqual({ url: 'redis://r:6379', secret: 'typed' });
    expect((await host.profiles.servicesForTest({ id: 'staging', draft: null })).postgres.url).toBe('postgres://app@db.staging:5432/sluice');
    await host.close();
  });
});
