import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import type { CredentialProtection } from '../../shared/contract/profiles';
import type { CredentialSealer } from '../profiles/sealer';

/**
 * A CredentialSealer for tests and the e2e desktop harness, standing in for Electron safeStorage
 * (which needs the Electron binary): real AES-256-GCM with a key that lives in this process only,
 * so what lands in the profiles file is as opaque as the OS keychain would make it.
 */
export const testSealer = (options: { protection?: CredentialProtection; key?: Buffer } = {}): CredentialSealer & { reseal: boolean; sealedCount: number } => {
  const key = options.key ?? randomBytes(32);
  const sealer = {
    reseal: false,
    sealedCount: 0,
    note: options.protection === 'weak' ? 'test: weak protection' : null,
    protection: () => Promise.resolve(options.protection ?? 'os'),
    seal: (plain: string) => {
      sealer.sealedCount += 1;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Promise.resolve(`test1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`);
    },
    open: (sealed: string) => {
      if (!sealed.startsWith('test1:')) return Promise.reject(new Error('not sealed by this sealer'));
      const raw = Buffer.from(sealed.slice(6), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      try {
        const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
        return Promise.resolve({ plain, reseal: sealer.reseal });
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
  };
  return sealer;
};
