import { describe, expect, it } from 'vitest';

import { open, seal, sealedKeyId, SecretBoxError, type SecretKey } from './secret-box';

const key = (id: string, fill: number): SecretKey => ({ id, bytes: new Uint8Array(32).fill(fill) });
const k1 = key('k1', 1);
const k2 = key('k2', 2);

describe('secret box', () => {
  it('round-trips a token and never contains it in clear', async () => {
    const sealed = await seal(k1, 'ghp_sêcret-token', 'integration:7');
    expect(sealed).not.toContain('sêcret');
    expect(sealed.startsWith('v1.k1.')).toBe(true);
    expect(sealedKeyId(sealed)).toBe('k1');
    await expect(open([k2, k1], sealed, 'integration:7')).resolves.toBe('ghp_sêcret-token');
  });

  it('uses a fresh IV each time', async () => {
    expect(await seal(k1, 'same', 'c')).not.toBe(await seal(k1, 'same', 'c'));
  });

  it('refuses another row, a tampered value, an unknown key and a bad format', async () => {
    const sealed = await seal(k1, 'token', 'integration:7');
    await expect(open([k1], sealed, 'integration:8')).rejects.toThrow(/integrity check/);
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    await expect(open([k1], tampered, 'integration:7')).rejects.toBeInstanceOf(SecretBoxError);
    await expect(open([k2], sealed, 'integration:7')).rejects.toThrow(/sealed with key k1/);
    await expect(open([k1], 'plaintext-token', 'integration:7')).rejects.toThrow(/not in a format/);
  });

  it('refuses a key of the wrong size', async () => {
    await expect(seal({ id: 'short', bytes: new Uint8Array(16) }, 'x', 'c')).rejects.toThrow(/32 bytes/);
  });
});
