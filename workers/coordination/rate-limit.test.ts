import { describe, expect, it } from 'vitest';

import { MemoryRateLimiter, RateLimitWaitError } from './rate-limit';

const limiter = (capacity: number, refillPerSecond: number) => new MemoryRateLimiter(() => ({ capacity, refillPerSecond }));

describe('MemoryRateLimiter', () => {
  it('lets a burst of `capacity` through at once, then paces at the refill rate', async () => {
    const rl = limiter(3, 20); // one token per 50 ms after the burst
    const started = Date.now();
    const done: number[] = [];
    await Promise.all(Array.from({ length: 9 }, () => rl.acquire('jira:1').then(() => done.push(Date.now() - started))));
    done.sort((a, b) => a - b);
    expect(done.slice(0, 3).every((t) => t < 30)).toBe(true);
    // The k-th acquisition (0-based) cannot happen before (k - 2) refills of 50 ms.
    done.forEach((t, k) => expect(t).toBeGreaterThanOrEqual(Math.max(0, (k - 2) * 50) - 5));
    expect((await rl.state('jira:1')).tokens).toBeLessThan(1);
  });

  it('keeps integrations apart', async () => {
    const rl = limiter(1, 1);
    await rl.acquire('a');
    const { waitedMs } = await rl.acquire('b');
    expect(waitedMs).toBeLessThan(20);
  });

  it('pauses everyone until the reset time, and never shortens a pause', async () => {
    const rl = limiter(10, 10);
    const resetAt = Date.now() + 150;
    await rl.pauseUntil('gh:1', resetAt);
    await rl.pauseUntil('gh:1', Date.now() + 10); // an older header must not cut the pause short
    expect((await rl.state('gh:1')).pausedUntil).toBe(resetAt);
    const { waitedMs } = await rl.acquire('gh:1');
    expect(waitedMs).toBeGreaterThanOrEqual(140);
    expect((await rl.state('gh:1')).pausedUntil).toBeNull();
  });

  it('gives up with the retry time when the wait would exceed maxWaitMs', async () => {
    const rl = limiter(1, 1);
    await rl.acquire('x');
    const err = await rl.acquire('x', 1, { maxWaitMs: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitWaitError);
    expect((err as RateLimitWaitError).retryAt).toBeGreaterThan(Date.now() + 800);
    expect((err as Error).message).toMatch(/rate_limited/);
  });

  it('stops waiting when aborted', async () => {
    const rl = limiter(1, 0.5);
    await rl.acquire('x');
    const controller = new AbortController();
    const started = Date.now();
    const pending = rl.acquire('x', 1, { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('refuses costs that can never fit and invalid settings', async () => {
    await expect(limiter(5, 1).acquire('x', 6)).rejects.toThrow(/can never fit/);
    await expect(limiter(5, 1).acquire('x', 0)).rejects.toThrow(/positive integer/);
    await expect(limiter(0, 1).acquire('x')).rejects.toThrow();
  });

  it('reports a full bucket for an integration never used', async () => {
    expect(await limiter(7, 2).state('new')).toEqual({ integrationKey: 'new', tokens: 7, capacity: 7, refillPerSecond: 2, pausedUntil: null });
  });
});
