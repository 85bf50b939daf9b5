import { describe, expect, it } from 'vitest';

import { authenticate, isAllowedHost, isAllowedOrigin } from './auth';
import { sessionValueFor } from './token';

const TOKEN = 'tok-0123456789abcdef';
const hosts = new Set(['127.0.0.1:7420', 'localhost:7420']);

describe('authenticate', () => {
  it('accepts the bearer token and refuses a wrong one with a reason', () => {
    expect(authenticate({ authorization: `Bearer ${TOKEN}` }, TOKEN, { requireClientHeader: true })).toEqual({ ok: true, principal: 'serve-token' });
    const wrong = authenticate({ authorization: 'Bearer nope' }, TOKEN, { requireClientHeader: true });
    expect(wrong.ok).toBe(false);
  });

  it('accepts the session cookie only with the client header when required (CSRF)', () => {
    const cookie = `other=1; sluice_session=${sessionValueFor(TOKEN)}`;
    expect(authenticate({ cookie, 'x-sluice-client': '1' }, TOKEN, { requireClientHeader: true }).ok).toBe(true);
    expect(authenticate({ cookie }, TOKEN, { requireClientHeader: true }).ok).toBe(false);
    expect(authenticate({ cookie }, TOKEN, { requireClientHeader: false }).ok).toBe(true);
    expect(authenticate({ cookie: `sluice_session=${TOKEN}` }, TOKEN, { requireClientHeader: false }).ok).toBe(false);
  });

  it('refuses a request with no credentials, saying where to find them', () => {
    const r = authenticate({}, TOKEN, { requireClientHeader: true });
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
