import { describe, expect, it } from 'vitest';

import { MemoryLockService } from '../coordination/locks';
import { MemoryProgressBus } from '../coordination/progress';
import { MemoryRateLimiter, RateLimitWaitError } from '../coordination/rate-limit';
import { PermanentError } from '../queue/errors';
import type { IntegrationInfo } from './connector';
import { budgetFor, ExtractLimits, integrationKey } from './extract-limits';
import { RateLimitedError } from './rate-limited';

const integration = (provider: string, settings: Record<string, unknown> = {}): IntegrationInfo => ({ id: 7, tenantId: 1, provider, baseUrl: 'https://x.invalid', settings });
const signal = new AbortController().signal;

/** ExtractLimits over an in-process limiter the test can inspect. */
const limitsWithMemory = (options: { maxRateLimitedInARow?: number; maxWaitMs?: number } = {}) => {
  let limiter: MemoryRateLimiter | null = null;
  const limits = new ExtractLimits({
    redisUrl: null,
    ...options,
    createCoordination: (o) => {
      limiter = new MemoryRateLimiter(o.rateLimits);
      return { mode: 'in-process', rateLimiter: limiter, locks: new MemoryLockService(), progress: new MemoryProgressBus(), close: async () => {} };
    },
  });
  return { limits, limiter: () => limiter! };
};

describe('extract rate-limit budgets', () => {
  it('uses the API default per connector or provider, overridden by the integration settings', () => {
    expect(budgetFor(integration('jira'))).toEqual({ capacity: 10, refillPerSecond: 10 });
    expect(budgetFor(integration('github'))).toEqual({ capacity: 20, refillPerSecond: 5_000 / 3_600 });
    // The connector decides which API is called: a synthetic integration is not held to GitHub's budget.
    expect(budgetFor(integration('github', { connector: 'synthetic' }), { capacity: 3, refillPerSecond: 4 })).toEqual({ capacity: 3, refillPerSecond: 4 });
    expect(budgetFor(integration('jira', { rateLimitPerSecond: 2.5 }))).toEqual({ capacity: 3, refillPerSecond: 2.5 });
    expect(budgetFor(integration('jira', { rateLimitPerSecond: 5, rateLimitBurst: 50 }))).toEqual({ capacity: 50, refillPerSecond: 5 });
    expect(() => budgetFor(integration('jira', { rateLimitPerSecond: -1 }))).toThrow(PermanentError);
    expect(integrationKey(integration('jira'))).toBe('integration-7');
  });

  it('takes one token per page from the integration bucket', async () => {
    const { limits, limiter } = limitsWithMemory();
    const jira = integration('jira', { rateLimitPerSecond: 1, rateLimitBurst: 3 });
    for (let i = 0; i < 3; i++) await limits.fetch(jira, signal, async () => i, async () => undefined);
    expect(Math.floor((await limiter().state('integration-7')).tokens)).toBe(0);
    expect(limits.mode).toBe('in-process');
  });

  it('pauses the integration on a rate limit, reports it, and fetches the same page again after the reset', async () => {
    const { limits, limiter } = limitsWithMemory();
    const resetAt = Date.now() + 300;
    const calls: number[] = [];
    const reported: number[] = [];
    const result = await limits.fetch(
      integration('jira'),
      signal,
      async (previous) => {
        calls.push(previous);
        if (previous === 0) throw new RateLimitedError(resetAt);
        // The pause is visible to every user of the limiter while this page waits for it.
        return { fetchedAt: Date.now() };
      },
      async (at) => {
        reported.push(at);
        expect((await limiter().state('integration-7')).pausedUntil).toBe(resetAt);
      },
    );
    expect(calls).toEqual([0, 1]);
    expect(reported).toEqual([resetAt]);
    expect(result.rateLimited).toBe(1);
    expect(result.page.fetchedAt).toBeGreaterThanOrEqual(resetAt);
  });

  it('gives up after too many rate limits in a row, and lets other errors through without pausing', async () => {
    const { limits, limiter } = limitsWithMemory({ maxRateLimitedInARow: 2 });
    const always = async (): Promise<never> => {
      throw new RateLimitedError(Date.now() + 5);
    };
    await expect(limits.fetch(integration('jira'), signal, always, async () => undefined)).rejects.toThrow(/answered rate limited 3 times in a row/);
    const other = limitsWithMemory();
    await expect(other.limits.fetch(integration('jira'), signal, async () => Promise.reject(new Error('boom')), async () => undefined)).rejects.toThrow('boom');
    expect((await other.limiter().state('integration-7')).pausedUntil).toBeNull();
    expect(limiter()).toBeInstanceOf(MemoryRateLimiter);
  });

  it('hands the page back (RateLimitWaitError) when the pause outlasts the allowed wait', async () => {
    const { limits } = limitsWithMemory({ maxWaitMs: 50 });
    const reported: number[] = [];
    const fetchPage = async (previous: number) => {
      if (previous === 0) throw new RateLimitedError(Date.now() + 60_000);
      return 'never';
    };
    await expect(limits.fetch(integration('jira'), signal, fetchPage, async (at) => void reported.push(at))).rejects.toBeInstanceOf(RateLimitWaitError);
    expect(reported).toHaveLength(1);
    await limits.close();
    expect(limits.mode).toBeNull();
  });
});
