import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The access token of `sluice serve`. It comes from SLUICE_TOKEN or from `<home>/serve-token`,
 * created on first start with owner-only permissions and printed once as part of the console URL.
 */
export const loadOrCreateServeToken = (home: string, fromEnv: string | null): { token: string; created: boolean; path: string | null } => {
  if (fromEnv) return { token: fromEnv, created: false, path: null };
  const path = join(home, 'serve-token');
  if (existsSync(path)) {
    // A token others can read is not a secret; tighten it rather than refuse to start.
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    const token = readFileSync(path, 'utf8').trim();
    if (token.length >= 16) return { token, created: false, path };
  }
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const token = randomBytes(24).toString('base64url');
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  return { token, created: true, path };
};

export const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};
