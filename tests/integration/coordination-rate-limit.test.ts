import { randomUUID } from 'node:crypto';

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createCoordination, type Coordination } from '../../workers/coordination';
import { requireEnv } from './support/env';

/** Shared rate-limit budget across clients, against the real Redis; keys isolated by a prefix per file. */
const prefix = `test-rl-${randomUUID().slice(0, 8)}:`;
const settings = new Map<string, { capacity: number; refillPerSecond: number }>();
const open: Coordination[] = [];
let admin: Redis;

const client = (): Coordination => {
  const c = createCoordination({ redisUrl: requireEnv('REDIS_URL'), keyPrefix: prefix, rateLimits: (key) => settings.get(key) ?? { capacity: 5, refillPerSecond: 5 } });
  open.push(c);
  return c;
};

beforeAll(() => {
  admin = new Redis(requireEnv('REDIS_URL'));
});
afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length > 0) await admin.del(...keys);
  admin.disconnect();
});

describe('shared rate-limit budget in Redis', () => {
  it('two clients together never take more than the budget allows in any window', async () => {
    settings.set('jira:budget', { capacity: 5, refillPerSecond: 20 });
    const [a, b] = [client(), client()];
    expect(a.mode).toBe('redis');
    const grants: { at: number; who: string }[] = [];
    const started = Date.now();
    const hammer = async (c: Coordination, who: string) => {
      while (Date.now() - started < 800) {
        await c.rateLimiter.acquire('jira:budget');
        grants.push({ at: Date.now(), who });
      }
    };
    await Promise.all([hammer(a, 'a'), hammer(a, 'a'), hammer(b, 'b'), hammer(b, 'b')]);
    const elapsed = grants.at(-1)!.at - started;
    // Burst of 5, then 20/s. One token of slack for the round trip between Redis time and ours.
    expect(grants.length).toBeLessThanOrEqual(5 + Math.ceil((elapsed / 1000) * 20) + 1);
    expect(grants.length).toBeGreaterThanOrEqual(5 + Math.floor((700 / 1000) * 20) - 2);
    for (const g of grants) {
      const inWindow = grants.filter((h) => h.at >= g.at && h.at < g.at + 250).length;
      expect(inWindow).toBeLessThanOrEqual(5 + 5 + 1);
    }
    expect(new Set(grants.map((g) => g.who))).toEqual(new Set(['a', 'b']));
    const state = await b.rateLimiter.state('jira:budget');
    expect(state).toMatchObject({ capacity: 5, refillPerSecond: 20, pausedUntil: null });
    expect(state.tokens).toBeLessThan(5);
  });

  it('a pause set by one client makes the other wait until the reset', async () => {
    settings.set('gh:pause', { capacity: 100, refillPerSecond: 100 });
    const [a, b] = [client(), client()];
    const resetAt = Date.now() + 1_000;
    await a.rateLimiter.pauseUntil('gh:pause', new Date(resetAt));
    await a.rateLimiter.pauseUntil('gh:pause', resetAt - 200); // an older header does not shorten it
    expect((await b.rateLimiter.state('gh:pause')).pausedUntil).toBe(resetAt);
    const asked = Date.now();
    const { waitedMs } = await b.rateLimiter.acquire('gh:pause');
    // It waited for the reset (measured from when it asked, whatever the machine's load before that).
    expect(waitedMs).toBeGreaterThanOrEqual(resetAt - asked - 20);
    expect(Date.now()).toBeGreaterThanOrEqual(resetAt - 5);
    expect((await a.rateLimiter.state('gh:pause')).pausedUntil).toBeNull();
  });

  it('gives up past maxWaitMs, honours abort, and survives a flushed script cache (EVALSHA → EVAL)', async () => {
    settings.set('slow', { capacity: 1, refillPerSecond: 0.5 });
    const c = client();
    await c.rateLimiter.acquire('slow');
    await expect(c.rateLimiter.acquire('slow', 1, { maxWaitMs: 200 })).rejects.toMatchObject({ name: 'RateLimitWaitError' });
    const controller = new AbortController();
    const pending = c.rateLimiter.acquire('slow', 1, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });

    await admin.script('FLUSH');
    settings.set('fresh', { capacity: 2, refillPerSecond: 1 });
    expect((await c.rateLimiter.acquire('fresh')).waitedMs).toBeLessThan(100);
    expect((await c.rateLimiter.state('fresh')).tokens).toBeGreaterThanOrEqual(1);
    expect((await c.rateLimiter.state('fresh')).tokens).toBeLessThan(1.2);
  });

  it('keeps its keys under the prefix and lets the bucket expire once full again', async () => {
    settings.set('expiring', { capacity: 2, refillPerSecond: 20 });
    const c = client();
    await c.rateLimiter.acquire('expiring');
    const ttl = await admin.pttl(`${prefix}sluice:rl:expiring`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1050 + 50);
  });
});
