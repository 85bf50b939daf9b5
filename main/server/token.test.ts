import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { loadOrCreateServeToken, safeEqual } from './token';

describe('serve token', () => {
  it('is created once with owner-only permissions and then reused', () => {
    const home = mkdtempSync(join(tmpdir(), 'sluice-token-'));
    const first = loadOrCreateServeToken(home, null);
    expect(first.created).toBe(true);
    expect(first.token.length).toBeGreaterThanOrEqual(32);
    expect(statSync(join(home, 'serve-token')).mode & 0o777).toBe(0o600);
    const second = loadOrCreateServeToken(home, null);
    expect(second).toMatchObject({ token: first.token, created: false });
  });

  it('prefers SLUICE_TOKEN and writes nothing then', () => {
    const home = mkdtempSync(join(tmpdir(), 'sluice-token-'));
    expect(loadOrCreateServeToken(home, 'from-env-0123456789')).toEqual({ token: 'from-env-0123456789', created: false, path: null });
  });

  it('tightens a token file others can read, and replaces one too short to be a secret', () => {
    const home = mkdtempSync(join(tmpdir(), 'sluice-token-'));
    const path = join(home, 'serve-token');
    writeFileSync(path, 'x'.repeat(40));
    chmodSync(path, 0o644);
    expect(loadOrCreateServeToken(home, null).token).toBe('x'.repeat(40));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    writeFileSync(path, 'short');
    const replaced = loadOrCreateServeToken(home, null);
    expect(replaced.created).toBe(true);
    expect(readFileSync(path, 'utf8').trim()).toBe(replaced.token);
  });

  it('compares in constant time and only equal strings match', () => {
    expect(safeEqual('secret-token-123456', 'secret-token-123456')).toBe(true);
    expect(safeEqual('secret-token-123456', 'secret-token-123457')).toBe(false);
    expect(safeEqual('short', 'secret-token-123456')).toBe(false);
  });
});
