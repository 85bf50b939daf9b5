import { describe, expect, it } from 'vitest';

import { authenticate, isAllowedHost, isAllowedOrigin } from './auth';
import { Principals } from './principals';

const TOKEN = 'tok-0123456789abcdef';
const hosts = new Set(['127.0.0.1:7420', 'localhost:7420']);
const principals = new Principals({ serveToken: TOKEN, usersFile: null });
const sessionCookie = principals.sessionFor({ name: 'serve-token', role: 'admin' });

describe('authenticate', () => {
  it('accepts the bearer token as the admin serve-token and refuses a wrong one with a reason', () => {
    expect(authenticate({ authorization: `Bearer ${TOKEN}` }, principals, { requireClientHeader: true })).toEqual({ ok: true, principal: { name: 'serve-token', role: 'admin' } });
    const wrong = authenticate({ authorization: 'Bearer nope' }, principals, { requireClientHeader: true });
    expect(wrong).toMatchObject({ ok: false, reason: expect.stringContaining('wrong or was revoked') });
  });

  it('accepts the session cookie only with the client header when required (CSRF)', () => {
    const cookie = `other=1; sluice_session=${sessionCookie}`;
    expect(authenticate({ cookie, 'x-sluice-client': '1' }, principals, { requireClientHeader: true }).ok).toBe(true);
    expect(authenticate({ cookie }, principals, { requireClientHeader: true }).ok).toBe(false);
    expect(authenticate({ cookie }, principals, { requireClientHeader: false }).ok).toBe(true);
    // The token itself is not a session, and a cookie keyed by another server token does not open this one.
    expect(authenticate({ cookie: `sluice_session=${TOKEN}` }, principals, { requireClientHeader: false }).ok).toBe(false);
    const other = new Principals({ serveToken: 'another-token-0123456789', usersFile: null }).sessionFor({ name: 'serve-token', role: 'admin' });
    expect(authenticate({ cookie: `sluice_session=${other}` }, principals, { requireClientHeader: false }).ok).toBe(false);
  });

  it('refuses a request with no credentials, saying where to find them', () => {
    const r = authenticate({}, principals, { requireClientHeader: true });
    expect(r).toMatchObject({ ok: false });
    if (!r.ok) expect(r.reason).toContain('sluice serve');
  });
});

describe('host and origin guards', () => {
  it('answers only our own host names', () => {
    expect(isAllowedHost('127.0.0.1:7420', hosts)).toBe(true);
    expect(isAllowedHost('LOCALHOST:7420', hosts)).toBe(true);
    expect(isAllowedHost('attacker.example:7420', hosts)).toBe(false);
    expect(isAllowedHost(undefined, hosts)).toBe(false);
  });
  it('refuses cross-origin sockets but lets non-browser clients (no Origin) through', () => {
    expect(isAllowedOrigin('http://127.0.0.1:7420', hosts)).toBe(true);
    expect(isAllowedOrigin('https://evil.example', hosts)).toBe(false);
    expect(isAllowedOrigin('null', hosts)).toBe(false);
    expect(isAllowedOrigin(undefined, hosts)).toBe(true);
  });
});
