import type { IncomingHttpHeaders } from 'node:http';

import { CLIENT_HEADER, SESSION_COOKIE } from '../../shared/contract/wire';
import type { Principal, Principals } from './principals';

export type AuthOutcome = { ok: true; principal: Principal } | { ok: false; reason: string };

export const readCookie = (header: string | undefined, name: string): string | null => {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...rest] = part.trim().split('=');
    if (k === name) return rest.join('=');
  }
  return null;
};

/**
 * Who may call the headless API: a client with `Authorization: Bearer <token>` (CLI, scripts,
 * tests) — the server token or a user's — or a browser holding a session cookie. Browser calls
 * must also send the custom client header, which a cross-site page cannot add without a CORS
 * preflight we never grant.
 */
export const authenticate = (headers: IncomingHttpHeaders, principals: Principals, opts: { requireClientHeader: boolean }): AuthOutcome => {
  const authorization = headers.authorization;
  if (authorization) {
    const m = /^Bearer\s+(.+)$/i.exec(authorization);
    const principal = m?.[1] ? principals.byToken(m[1].trim()) : null;
    if (principal) return { ok: true, principal };
    return { ok: false, reason: 'The bearer token is wrong or was revoked. Use the token printed by `sluice serve` (or SLUICE_TOKEN), or your own from `sluice users add`.' };
  }
  const cookie = readCookie(headers.cookie, SESSION_COOKIE);
  const principal = cookie ? principals.bySession(cookie) : null;
  if (principal) {
    if (opts.requireClientHeader && headers[CLIENT_HEADER] !== '1') {
      return { ok: false, reason: `Browser calls must send the ${CLIENT_HEADER} header.` };
    }
    return { ok: true, principal };
  }
  return { ok: false, reason: 'This API needs an access token: open the URL printed by `sluice serve` (or the one your admin gave you), or send Authorization: Bearer <token>.' };
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
