import { randomUUID } from 'node:crypto';

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createCoordination, ProgressPublisher, subscribeProgress, type Coordination, type ProgressEvent } from '../../workers/coordination';
import { PROGRESS_CHANNEL } from '../../workers/coordination/progress';
import { RedisProgressBus } from '../../workers/coordination/progress-redis';
import { createRedis } from '../../workers/coordination/redis';
import { requireEnv } from './support/env';

/** Throttled progress over Redis pub/sub to several consoles; channel isolated by a prefix per file. */
const prefix = `test-progress-${randomUUID().slice(0, 8)}:`;
const open: Coordination[] = [];
const disposers: (() => Promise<void>)[] = [];
let admin: Redis;

const client = (): Coordination => {
  const c = createCoordination({ redisUrl: requireEnv('REDIS_URL'), keyPrefix: prefix, rateLimits: () => ({ capacity: 1, refillPerSecond: 1 }) });
  open.push(c);
  return c;
};

const counters = (n: number) => ({
  steps: [
    { stepKey: 'issues', extracted: n, transformed: Math.floor(n / 2), loaded: Math.floor(n / 3), vectorized: 0, failed: 0 },
    { stepKey: 'sprints', extracted: 1, transformed: 1, loaded: 1, vectorized: 1, failed: 0 },
  ],
  rateLimit: { tokens: 12.5, capacity: 100, resetAt: null },
});

const waitFor = async (what: string, cond: () => boolean, timeoutMs = 5_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

beforeAll(() => {
  admin = new Redis(requireEnv('REDIS_URL'));
});
afterAll(async () => {
  await Promise.all(disposers.map((d) => d()));
  await Promise.all(open.map((c) => c.close()));
  admin.disconnect();
});

describe('progress fan-out over Redis', () => {
  it('reaches every console at most N per second per run, and the last value always arrives', async () => {
    const [worker, consoleA, consoleB] = [client(), client(), client()];
    const seenA: (ProgressEvent & { receivedAt: number })[] = [];
    const seenB: ProgressEvent[] = [];
    disposers.push(await subscribeProgress(consoleA.progress, (e) => seenA.push({ ...e, receivedAt: Date.now() })));
    disposers.push(await subscribeProgress(consoleB.progress, (e) => seenB.push(e)));

    const publisher = new ProgressPublisher(worker.progress, { perSecond: 5, source: 'host-1:42:1' });
    const started = Date.now();
    let n = 0;
    while (Date.now() - started < 1_200) {
      publisher.report(501, counters(++n));
      if (n % 10 === 0) publisher.report(502, counters(n)); // a second run, throttled separately
      await new Promise((r) => setTimeout(r, 2));
    }
    await waitFor('the last value of run 501', () => seenA.filter((e) => e.runId === 501).at(-1)?.counters?.steps[0]?.extracted === n);
    await waitFor('console B caught up', () => seenB.filter((e) => e.runId === 501).at(-1)?.counters?.steps[0]?.extracted === n);

    const run501 = seenA.filter((e) => e.runId === 501);
    // 5/s over 1.2 s: 6 or 7 events plus the trailing one, never one per report.
    expect(run501.length).toBeLessThanOrEqual(5 * 1.2 + 2);
    expect(run501.length).toBeGreaterThanOrEqual(4);
    expect(n).toBeGreaterThan(run501.length * 10);
    for (const e of run501) expect(run501.filter((x) => x.receivedAt >= e.receivedAt && x.receivedAt < e.receivedAt + 1000).length).toBeLessThanOrEqual(5 + 1);
    expect(run501.map((e) => e.seq)).toEqual(run501.map((_, i) => i + 1));
    expect(run501[0]).toMatchObject({ v: 2, source: 'host-1:42:1', counters: { rateLimit: { tokens: 12.5, capacity: 100, resetAt: null } } });
    expect(seenA.some((e) => e.runId === 502)).toBe(true);
    expect(seenB.filter((e) => e.runId === 501).map((e) => e.seq)).toEqual(run501.map((e) => e.seq));
    await publisher.close();
  });

  it('drops messages on the channel that are not valid events, and says why', async () => {
    const invalid: string[] = [];
    const received: ProgressEvent[] = [];
    const publisher = createRedis({ url: requireEnv('REDIS_URL'), keyPrefix: prefix });
    disposers.push(async () => publisher.disconnect());
    const bus = new RedisProgressBus({
      publisher,
      subscriber: () => createRedis({ url: requireEnv('REDIS_URL'), role: 'subscriber', keyPrefix: prefix }),
      keyPrefix: prefix,
      onInvalid: (reason) => invalid.push(reason),
    });
    disposers.push(await bus.subscribe((e) => received.push(e)));
    // Another prefix (another test file or installation) is not heard at all. Published first: Redis
    // delivers one connection's messages in order, so it would have arrived before the two below.
    await admin.publish(`other-${prefix}${PROGRESS_CHANNEL}`, 'not json either');
    await admin.publish(`${prefix}${PROGRESS_CHANNEL}`, 'not json');
    await admin.publish(`${prefix}${PROGRESS_CHANNEL}`, JSON.stringify({ v: 99, runId: 1 }));
    await waitFor('two invalid messages', () => invalid.length >= 2);
    expect(invalid).toHaveLength(2);
    expect(invalid[0]).toMatch(/not JSON/);
    expect(invalid[1]).toMatch(/does not match the schema/);
    expect(received).toEqual([]);
  });
});
