/**
 * Authenticated encryption of integration secrets (API tokens) at rest: AES-256-GCM through WebCrypto,
 * which Node and the browser both provide, so the engine and the workers share one implementation
 * without importing node:crypto here. The sealed form names the key that sealed it, so keys can be
 * rotated: `v1.<keyId>.<iv b64url>.<ciphertext+tag b64url>`.
 */
export interface SecretKey {
  /** Short public id of the key (not secret), stored with each sealed value. */
  readonly id: string;
  /** 32 raw bytes. */
  readonly bytes: Uint8Array;
}

export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
}

const toB64url = (bytes: Uint8Array): string => {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

const fromB64url = (text: string): Uint8Array<ArrayBuffer> => {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
};

// The key type is spelled through the API: Node types do not declare the DOM global `CryptoKey`.
const importKey = (key: SecretKey): ReturnType<typeof crypto.subtle.importKey> => {
  if (key.bytes.length !== 32) throw new SecretBoxError(`Secret key ${key.id} must be 32 bytes, got ${key.bytes.length}.`);
  return crypto.subtle.importKey('raw', new Uint8Array(key.bytes), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
};

/** `context` (e.g. "integration:42") is bound into the ciphertext: a sealed value copied to another row does not open. */
export const seal = async (key: SecretKey, plaintext: string, context: string): Promise<string> => {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = new TextEncoder().encode(plaintext);
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(context) }, await importKey(key), data);
  return `v1.${key.id}.${toB64url(iv)}.${toB64url(new Uint8Array(ct))}`;
};

export const sealedKeyId = (sealed: string): string | null => {
  const parts = sealed.split('.');
  return parts.length === 4 && parts[0] === 'v1' ? (parts[1] ?? null) : null;
};

export const open = async (keys: readonly SecretKey[], sealed: string, context: string): Promise<string> => {
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== 'v1') throw new SecretBoxError('The stored secret is not in a format this Sluice understands; enter the token again.');
  const [, keyId, ivText, ctText] = parts as [string, string, string, string];
  const key = keys.find((k) => k.id === keyId);
  if (!key) throw new SecretBoxError(`The stored secret was sealed with key ${keyId}, which this engine does not have: configure that key (SLUICE_SECRET_KEY) or enter the token again.`);
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromB64url(ivText), additionalData: new TextEncoder().encode(context) },
      await importKey(key),
      fromB64url(ctText),
    );
    return new TextDecoder().decode(plain);
  } catch {
    throw new SecretBoxError('The stored secret failed its integrity check (wrong key, wrong row, or tampered); enter the token again.');
  }
};
