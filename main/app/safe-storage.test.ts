import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeEach, describe, expect, it, vi } from 'vitest';

import { ProfileInput } from '../../shared/contract/profiles';
import { ProfileStore } from '../profiles/store';
import { resetFakeElectron, safeStorage } from '../testing/fake-electron';
import { protectionOf, safeStorageSealer } from './safe-storage';

vi.mock('electron', () => import('../testing/fake-electron'));

const PASSWORD = 'production-password-7Qv9';
const input = ProfileInput.parse({ name: 'Production', kind: 'remote', role: 'viewer', services: { postgres: { url: `postgres://ro:${PASSWORD}@db.prod:5432/sluice` } } });
const storeAt = () => new ProfileStore(join(mkdtempSync(join(tmpdir(), 'sluice-ss-')), 'profiles.json'), safeStorageSealer('linux'));

beforeEach(() => resetFakeElectron());

describe('profile credentials sealed by Electron safeStorage', () => {
  it('keeps the password out of the profiles file and opens it for the engine', async () => {
    const store = storeAt();
    const saved = await store.save(input);
    const path = (store as unknown as { path: string }).path;
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(PASSWORD);
    expect(text).toMatch(/"sealed": "ss1:[A-Za-z0-9+/=]+"/);
    expect((await store.resolve(saved.id)).services.postgres.secret).toBe(PASSWORD);
  });

  it("cannot open another keychain's values, and says to enter them again", async () => {
    const store = storeAt();
    const saved = await store.save(input);
    safeStorage.rotateKeychain();
    await expect(store.resolve(saved.id)).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('enter them again') });
  });

  it('reports obfuscation-only Linux storage as weak, with what to do', async () => {
    safeStorage.backend = 'basic_text';
    expect(protectionOf('linux')).toBe('weak');
    expect(protectionOf('darwin')).toBe('os');
    const sealer = safeStorageSealer('linux');
    await expect(sealer.protection()).resolves.toBe('weak');
    expect(sealer.note).toMatch(/only obfuscated.*Start a keyring/);
    safeStorage.backend = 'kwallet5';
    expect(sealer.note).toBeNull();
  });

  it('stores no credential at all without a keychain', async () => {
    safeStorage.available = false;
    await expect(storeAt().save(input)).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('no OS keychain') });
    await expect(safeStorageSealer('linux').seal('x')).rejects.toThrow(/OS keychain is not available/);
  });
});
