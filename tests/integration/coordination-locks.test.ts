import { randomUUID } from 'node:crypto';

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createCoordination, keepRenewed, type Coordination, type Lock } from '../../workers/coordination';
import { requireEnv } from './support/env';

/** Job locks against the real Redis: exclusivity, renewal, takeover, owner-only release. */
const prefix = `test-locks-${randomUUID().slice(0, 8)}:`;
const open: Coordination[] = [];
let admin: Redis;

const client = (redisUrl = requireEnv('REDIS_URL')): Coordination => {
  const c = createCoordination({ redisUrl, keyPrefix: prefix, rateLimits: () => ({ capacity: 1, refillPerSecond: 1 }) });
  open.push(c);
  return c;
};

const waitFor = async <T>(what: string, attempt: () => Promise<T | null>, timeoutMs = 5_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await attempt();
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
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

describe('job locks in Redis', () => {
  it('gives the lock to exactly one of 10 racing acquirers on separate connections', async () => {
    const racers = Array.from({ length: 10 }, () => client());
    const results = await Promise.all(racers.map((c) => c.locks.acquire('job:race', 5_000)));
    const winners = results.filter((l): l is Lock => l !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]!.fence).toBe(1);
    expect(await racers[0]!.locks.inspect('job:race')).toMatchObject({ key: 'job:race', fence: 1 });
    // The owner token never leaves the holder: the stored value is token:fence, inspect shows only the fence.
    expect(JSON.stringify(await racers[0]!.locks.inspect('job:race'))).not.toContain(winners[0]!.token);
    expect(await winners[0]!.release()).toBe(true);
    expect(await racers[0]!.locks.inspect('job:race')).toBeNull();
    const next = await racers[3]!.locks.acquire('job:race', 5_000);
    expect(next?.fence).toBe(2);
  });

  it('renewal keeps a short lock past its TTL; after renewals stop, another client takes over', async () => {
    const [holder, rival] = [client(), client()];
    const lock = (await holder.locks.acquire('job:renew', 300))!;
    const lost: string[] = [];
    const renewal = keepRenewed(lock, { onLost: (r) => lost.push(r) });
    const until = Date.now() + 1_000;
    while (Date.now() < until) {
      expect(await rival.locks.acquire('job:renew', 300)).toBeNull();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(lost).toEqual([]);

    // The holder "dies": renewals stop, the TTL runs out, the rival takes over with a larger fence.
    renewal.stop();
    const stoppedAt = Date.now();
    const taken = await waitFor('takeover', () => rival.locks.acquire('job:renew', 300));
    expect(Date.now() - stoppedAt).toBeLessThan(300 + 200);
    expect(taken.fence).toBe(lock.fence + 1);

    // The old holder can neither renew nor release the rival's lock.
    expect(await lock.renew()).toBe(false);
    expect(await lock.release()).toBe(false);
    expect(await rival.locks.inspect('job:renew')).toMatchObject({ fence: taken.fence });
    expect(await taken.release()).toBe(true);
  });

  it('tells a holder whose lock was taken over, through keepRenewed', async () => {
    const [holder, rival] = [client(), client()];
    const lock = (await holder.locks.acquire('job:lost', 200))!;
    // Simulate a stall longer than the TTL (e.g. a paused VM): the key expires and the rival takes it.
    const taken = await waitFor('expiry', () => rival.locks.acquire('job:lost', 5_000));
    const reasons: string[] = [];
    const renewal = keepRenewed(lock, { intervalMs: 20, onLost: (r) => reasons.push(r) });
    await waitFor('loss noticed', async () => (reasons.length > 0 ? true : null));
    renewal.stop();
    expect(reasons).toEqual(['taken']);
    expect(await rival.locks.inspect('job:lost')).toMatchObject({ fence: taken.fence });
  });

  it('keeps the lock through a dropped connection when it reconnects within the TTL', async () => {
    const [holder, rival] = [client(), client()];
    const lock = (await holder.locks.acquire('job:reconnect', 1_500))!;
    const lost: string[] = [];
    const renewal = keepRenewed(lock, { intervalMs: 150, onLost: (r) => lost.push(r) });
    // Kill every locks connection of this file (only ours: the name carries the prefix).
    const list = await admin.client('LIST');
    const ids = String(list)
      .split('\n')
      .filter((line) => line.includes(`name=sluice-locks-${prefix.replace(/[^\w.-]/g, '')}`))
      .map((line) => /id=(\d+)/.exec(line)![1]!);
    expect(ids.length).toBeGreaterThanOrEqual(1);
    for (const id of ids) await admin.client('KILL', 'ID', id);
    const until = Date.now() + 2_500;
    while (Date.now() < until) {
      expect(await rival.locks.acquire('job:reconnect', 1_500).catch(() => null)).toBeNull();
      await new Promise((r) => setTimeout(r, 100));
    }
    renewal.stop();
    expect(lost).toEqual([]);
    expect(await lock.release()).toBe(true);
  });

  it('fails fast instead of queueing when Redis is unreachable', async () => {
    const down = client('redis://127.0.0.1:1');
    const started = Date.now();
    await expect(down.locks.acquire('job:down', 1_000)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
