import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { SecretKey } from '../../../shared/lib/secret-box';

/**
 * The key that seals integration secrets in Postgres. From SLUICE_SECRET_KEY (base64 of 32 bytes;
 * every engine and worker host of one platform must share it), otherwise `<home>/secret.key`, created
 * once with owner-only permissions. Losing it means re-entering the integration tokens, nothing more.
 */
export const loadOrCreateSecretKey = (home: string, fromEnv: string | null | undefined): SecretKey => {
  if (fromEnv) return keyFrom(Buffer.from(fromEnv, 'base64'), 'SLUICE_SECRET_KEY');
  const path = join(home, 'secret.key');
  if (existsSync(path)) {
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    return keyFrom(Buffer.from(readFileSync(path, 'utf8').trim(), 'base64'), path);
  }
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const bytes = randomBytes(32);
  writeFileSync(path, `${bytes.toString('base64')}\n`, { mode: 0o600 });
  return keyFrom(bytes, path);
};

const keyFrom = (bytes: Buffer, source: string): SecretKey => {
  if (bytes.length !== 32) throw new Error(`The secret key in ${source} must be 32 bytes of base64 (got ${bytes.length} bytes); generate one with \`openssl rand -base64 32\`.`);
  return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 8), bytes: new Uint8Array(bytes) };
};
