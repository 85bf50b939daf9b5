import { describe, expect, it } from 'vitest';

import { backoffResetAt, RateLimitedError, resetAtFromHeaders } from './rate-limited';

const NOW = Date.parse('2026-11-25T12:00:00Z');

describe('rate-limit reset times from response headers', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(resetAtFromHeaders({ 'Retry-After': '30' }, NOW)).toBe(NOW + 30_000);
    expect(resetAtFromHeaders(new Headers({ 'retry-after': '1.5' }), NOW)).toBe(NOW + 1_500);
    expect(resetAtFromHeaders({ 'retry-after': 'Wed, 25 Nov 2026 12:01:00 GMT' }, NOW)).toBe(NOW + 60_000);
  });

  it('reads X-RateLimit-Reset as epoch seconds (GitHub), epoch ms or an ISO date (Jira), never in the past', () => {
    expect(resetAtFromHeaders({ 'x-ratelimit-reset': String(NOW / 1000 + 90) }, NOW)).toBe(NOW + 90_000);
    expect(resetAtFromHeaders({ 'X-RateLimit-Reset': String(NOW + 5_000) }, NOW)).toBe(NOW + 5_000);
    expect(resetAtFromHeaders({ 'x-ratelimit-reset': '2026-11-25T12:00:10Z' }, NOW)).toBe(NOW + 10_000);
    expect(resetAtFromHeaders({ 'x-ratelimit-reset': String(NOW / 1000 - 100) }, NOW)).toBe(NOW);
    // Retry-After wins when both are present.
    expect(resetAtFromHeaders({ 'retry-after': '2', 'x-ratelimit-reset': String(NOW / 1000 + 90) }, NOW)).toBe(NOW + 2_000);
  });

  it('says null when no header tells, and then backs off exponentially with jitter up to a minute', () => {
    expect(resetAtFromHeaders({ 'retry-after': 'soon', 'content-type': 'application/json' }, NOW)).toBeNull();
    expect(resetAtFromHeaders(new Headers(), NOW)).toBeNull();
    expect(backoffResetAt(0, NOW, () => 0)).toBe(NOW + 500);
    expect(backoffResetAt(0, NOW, () => 1)).toBe(NOW + 1_000);
    expect(backoffResetAt(3, NOW, () => 1)).toBe(NOW + 8_000);
    expect(backoffResetAt(20, NOW, () => 1)).toBe(NOW + 60_000);
  });

  it('carries the reset time and says when requests resume', () => {
    const error = new RateLimitedError(NOW + 1_000, 'Jira answered 429');
    expect(error).toMatchObject({ name: 'RateLimitedError', resetAt: NOW + 1_000 });
    expect(error.message).toBe('Jira answered 429; requests resume at 2026-11-25T12:00:01.000Z.');
  });
});
