import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ProfileInput } from '../../shared/contract/profiles';
import { testSealer } from '../testing/test-sealer';
import { ProfileFileError, ProfileStore, secretKeyId, storedView } from './store';

const PG_PASSWORD = 'pg-password-which-is-long-W1x2';
const KEY = 'q3+pY0b7Wm1c4n8Vx2Lr5sT9uZ6aB0dE3fG7hJ1kM4o=';

const fresh = (sealer = testSealer()) => {
  const path = join(mkdtempSync(join(tmpdir(), 'sluice-profiles-')), 'profiles.json');
  return { path, sealer, store: new ProfileStore(path, sealer, () => new Date('2026-03-01T10:00:00Z')) };
};

const staging = (over: Record<string, unknown> = {}) =>
  ProfileInput.parse({
    name: 'Staging EU',
    kind: 'remote',
    role: 'operator',
    services: {
      postgres: { url: `postgres://sluice:${encodeURIComponent(PG_PASSWORD)}@db.staging:5432/sluice` },
      rabbitmq: { url: 'amqp://sluice@mq.staging:5672', secret: 'mq-secret' },
      redis: { url: 'redis://redis.staging:6379' },
    },
    secretKey: KEY,
    ...over,
  });

describe('ProfileStore', () => {
  it('seals every credential: the file holds URLs and hints, never a password or key', async () => {
    const { store, path } = fresh();
    const saved = await store.save(staging());
    expect(saved.id).toBe('staging-eu');
    const text = readFileSync(path, 'utf8');
    for (const secret of [PG_PASSWORD, 'mq-secret', KEY, encodeURIComponent(PG_PASSWORD)]) expect(text).not.toContain(secret);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const view = storedView(saved, null);
    expect(view.services.postgres).toEqual({ url: 'postgres://sluice@db.staging:5432/sluice', hasSecret: true, secretHint: '…W1x2' });
    expect(view.services.rabbitmq).toEqual({ url: 'amqp://sluice@mq.staging:5672', hasSecret: true, secretHint: '…' });
    expect(view.services.redis).toEqual({ url: 'redis://redis.staging:6379', hasSecret: false, secretHint: null });
    expect(view.services.qdrant).toEqual({ url: null, hasSecret: false, secretHint: null });
    expect(view.secretKey).toEqual({ configured: true, keyId: secretKeyId(KEY) });
    expect(JSON.stringify(view)).not.toContain(PG_PASSWORD);
  });

  it('opens the secrets only for the engine, in memory', async () => {
    const { store } = fresh();
    await store.save(staging());
    const resolved = await store.resolve('staging-eu');
    expect(resolved.services.postgres).toEqual({ url: 'postgres://sluice@db.staging:5432/sluice', secret: PG_PASSWORD });
    expect(resolved.services.rabbitmq.secret).toBe('mq-secret');
    expect(resolved).toMatchObject({ role: 'operator', kind: 'remote', secretKey: KEY });
  });

  it('keeps a stored secret when an edit leaves it out, replaces or removes it when told', async () => {
    const { store } = fresh();
    await store.save(staging());
    await store.save(ProfileInput.parse({ id: 'staging-eu', name: 'Staging EU', kind: 'remote', services: { postgres: { url: 'postgres://sluice@db2.staging:5432/sluice' }, rabbitmq: { url: 'amqp://sluice@mq.staging:5672', secret: null } } }));
    const resolved = await store.resolve('staging-eu');
    expect(resolved.services.postgres).toEqual({ url: 'postgres://sluice@db2.staging:5432/sluice', secret: PG_PASSWORD });
    expect(resolved.services.rabbitmq.secret).toBeNull();
    // Services left out stay; the platform key stays; the role went back to the default.
    expect(resolved.services.redis.url).toBe('redis://redis.staging:6379');
    expect(resolved.secretKey).toBe(KEY);
    expect(resolved.role).toBe('admin');
    await store.save(ProfileInput.parse({ id: 'staging-eu', name: 'Staging EU', kind: 'remote', services: { postgres: { url: 'postgres://sluice@db2.staging:5432/sluice', secret: 'new-one' }, redis: { url: null } }, secretKey: null }));
    const again = await store.resolve('staging-eu');
    expect(again.services.postgres.secret).toBe('new-one');
    expect(again.services.redis).toEqual({ url: null, secret: null });
    expect(again.secretKey).toBeNull();
  });

  it('refuses a taken name, an unknown id, and deleting the active profile', async () => {
    const { store } = fresh();
    await store.save(staging());
    await expect(store.save(staging({ name: 'staging eu' }))).rejects.toMatchObject({ code: 'conflict', issues: [{ path: 'name' }] });
    await expect(store.save(staging({ id: 'nope' }))).rejects.toMatchObject({ code: 'not_found' });
    const second = await store.save(staging({ name: 'Staging-EU!' }));
    expect(second.id).toBe('staging-eu-2');
    store.setActive('staging-eu');
    expect(() => store.delete('staging-eu', 'staging-eu')).toThrow(/active one: switch to another profile first/);
    store.delete('staging-eu-2', 'staging-eu');
    expect(store.read().profiles.map((p) => p.id)).toEqual(['staging-eu']);
  });

  it('stores no endpoints for the local stack', async () => {
    const { store } = fresh();
    const local = await store.save(ProfileInput.parse({ name: 'Local', kind: 'local' }));
    expect(Object.values(storedView(local, 'local').services).every((s) => s.url === null && !s.hasSecret)).toBe(true);
    expect(storedView(local, 'local').active).toBe(true);
  });

  it('refuses to store a credential where no keychain exists, but saves profiles without one', async () => {
    const { store } = fresh(testSealer({ protection: 'unavailable' }));
    await expect(store.save(staging())).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('no OS keychain') });
    await expect(store.save(ProfileInput.parse({ name: 'Trusted', kind: 'remote', services: { postgres: { url: 'postgres://sluice@db:5432/sluice' } } }))).resolves.toMatchObject({ id: 'trusted' });
  });

  it('seals again when the keychain asks, and says what to do when it cannot open a secret', async () => {
    const { store, sealer, path } = fresh();
    await store.save(staging());
    const before = readFileSync(path, 'utf8');
    sealer.reseal = true;
    await store.resolve('staging-eu');
    expect(readFileSync(path, 'utf8')).not.toBe(before);
    sealer.reseal = false;
    expect((await store.resolve('staging-eu')).services.postgres.secret).toBe(PG_PASSWORD);
    const other = new ProfileStore(path, testSealer());
    await expect(other.resolve('staging-eu')).rejects.toMatchObject({ message: expect.stringContaining('cannot be opened with this computer') });
  });

  it('refuses a profiles file others can read or that is damaged, saying how to fix it', () => {
    const { store, path } = fresh();
    store.setActive(null);
    chmodSync(path, 0o640);
    expect(() => store.read()).toThrow(ProfileFileError);
    expect(() => store.read()).toThrow(`chmod 600 ${path}`);
    writeFileSync(path, '{"version":2}', { mode: 0o600 });
    chmodSync(path, 0o600);
    expect(() => store.read()).toThrow(/damaged at version/);
  });
});
