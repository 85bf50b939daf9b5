import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { loadOrCreateSecretKey } from './key';

describe('loadOrCreateSecretKey', () => {
  it('creates a 32-byte key once, owner-only, and reloads the same key', () => {
    const home = mkdtempSync(join(tmpdir(), 'sluice-key-'));
    const a = loadOrCreateSecretKey(home, null);
    expect(a.bytes).toHaveLength(32);
    expect(a.id).toMatch(/^[0-9a-f]{8}$/);
    expect(statSync(join(home, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSecretKey(home, null)).toEqual(a);
  });

  it('takes SLUICE_SECRET_KEY first and refuses a key of the wrong size', () => {
    const home = mkdtempSync(join(tmpdir(), 'sluice-key-'));
    const env = Buffer.alloc(32, 7).toString('base64');
    expect(loadOrCreateSecretKey(home, env).bytes[0]).toBe(7);
    expect(() => loadOrCreateSecretKey(home, Buffer.alloc(8).toString('base64'))).toThrow(/32 bytes/);
    writeFileSync(join(home, 'secret.key'), 'c2hvcnQ=');
    expect(() => loadOrCreateSecretKey(home, null)).toThrow(/openssl rand -base64 32/);
  });
});
