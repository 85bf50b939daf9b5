import type { IncomingHttpHeaders } from 'node:http';

import { CLIENT_HEADER, SESSION_COOKIE } from '../../shared/contract/wire';
import { safeEqual, sessionValueFor } from './token';

export type AuthOutcome = { ok: true; principal: 'serve-token' | 'browser-session' } | { ok: false; reason: string };

const readCookie = (header: string | undefined, name: string): string | null => {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...rest] = part.trim().split('=');
    if (k === name) return rest.join('=');
  }
  return null;
};

/**
 * Who may call the headless API: a client with `Authorization: Bearer <token>` (CLI, scripts,
 * tests), or a browser holding the session cookie. Browser calls must also send the custom client
 * header, which a cross-site page cannot add without a CORS preflight we never grant.
 */
export const authenticate = (headers: IncomingHttpHeaders, token: string, opts: { requireClientHeader: boolean }): AuthOutcome => {
  const authorization = headers.authorization;
  if (authorization) {
    const m = /^Bearer\s+(.+)$/i.exec(authorization);
    if (m?.[1] && safeEqual(m[1].trim(), token)) return { ok: true, principal: 'serve-token' };
    return { ok: false, reason: 'The bearer token is wrong. Use the token printed by `sluice serve` (or SLUICE_TOKEN).' };
  }
  const cookie = readCookie(headers.cookie, SESSION_COOKIE);
  if (cookie && safeEqual(cookie, sessionValueFor(token))) {
    if (opts.requireClientHeader && headers[CLIENT_HEADER] !== '1') {
      return { ok: false, reason: `Browser calls must send the ${CLIENT_HEADER} header.` };
    }
    return { ok: true, principal: 'browser-session' };
  }
  return { ok: false, reason: 'This API needs the access token: open the URL printed by `sluice serve`, or send Authorization: Bearer <token>.' };
};

/** DNS-rebinding guard: only answer requests addressed to the host names we serve on. */
export const isAllowedHost = (hostHeader: string | undefined, allowed: ReadonlySet<string>): boolean =>
  hostHeader !== undefined && allowed.has(hostHeader.toLowerCase());

/** A WebSocket opened by a page must come from our own origin (cross-site WebSocket hijacking). */
export const isAllowedOrigin = (origin: string | undefined, allowedHosts: ReadonlySet<string>): boolean => {
  if (origin === undefined) return true; // non-browser clients send no Origin
  try {
    return allowedHosts.has(new URL(origin).host.toLowerCase());
  } catch {
    return false;
  }
};
