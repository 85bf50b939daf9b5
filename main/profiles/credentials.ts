import type { ProfileServiceKey } from '../../shared/contract/profiles';

/**
 * Profiles keep a service's URL and its secret apart: the URL (host, port, user, database) is shown
 * and stored as is, the secret (password, API key) is sealed and never shown. These helpers split a
 * pasted URL, put the secret back when the engine needs the full URL, and make the hint.
 */

/** The URL with any password removed, and that password (decoded), if there was one. */
export const splitSecret = (url: string): { url: string; secret: string | null } => {
  const parsed = new URL(url);
  const secret = parsed.password === '' ? null : safeDecode(parsed.password);
  parsed.password = '';
  return { url: parsed.href, secret };
};

/** The URL a driver needs: the secret set as the URL's password (Qdrant's API key travels apart). */
export const joinSecret = (service: ProfileServiceKey, url: string, secret: string | null): string => {
  if (secret === null || service === 'qdrant') return url;
  const parsed = new URL(url);
  parsed.password = encodeURIComponent(secret);
  return parsed.href;
};

/**
 * What the console may show of a secret. The last four characters only of a long secret: on a
 * short database password they would give most of it away.
 */
export const credentialHint = (secret: string): string => (secret.length >= 16 ? `…${secret.slice(-4)}` : '…');

/** The URL without any credentials at all, for logs and messages. */
export const displayUrl = (url: string): string => {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.href;
  } catch {
    return '(not a URL)';
  }
};

const safeDecode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};
