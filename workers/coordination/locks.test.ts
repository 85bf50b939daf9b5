import { describe, expect, it } from 'vitest';

import { keepRenewed, MemoryLockService, type Lock } from './locks';

const waitFor = async (what: string, cond: () => boolean, timeoutMs = 3000) => {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('MemoryLockService', () => {
  it('gives a key to one holder at a time, with growing fences', async () => {
    let now = 0;
    const locks = new MemoryLockService(() => now);
    const a = (await locks.acquire('job:1', 1000))!;
    expect(a.fence).toBe(1);
    expect(await locks.acquire('job:1', 1000)).toBeNull();
    expect(await locks.acquire('job:2', 1000)).not.toBeNull();
    expect(await locks.inspect('job:1')).toEqual({ key: 'job:1', fence: 1, ttlMs: 1000 });
    expect(await a.release()).toBe(true);
    expect(await locks.inspect('job:1')).toBeNull();
    const b = (await locks.acquire('job:1', 1000))!;
    expect(b.fence).toBe(2);
    now += 1;
    expect(b.token).not.toBe(a.token);
  });

  it('renewal keeps the lock; a holder that stops renewing is taken over after its TTL', async () => {
    let now = 0;
    const locks = new MemoryLockService(() => now);
    const a = (await locks.acquire('job', 100))!;
    now = 90;
    expect(await a.renew()).toBe(true);
    now = 150; // past the first TTL, within the renewed one
    expect(await locks.acquire('job', 100)).toBeNull();
    now = 191;
    const b = (await locks.acquire('job', 100))!;
    expect(b.fence).toBe(2);
    // The stale holder can neither renew nor release the new holder's lock.
    expect(await a.renew()).toBe(false);
    expect(await a.release()).toBe(false);
    expect((await locks.inspect('job'))?.fence).toBe(2);
  });

  it('refuses silly TTLs', async () => {
    await expect(new MemoryLockService().acquire('k', 5)).rejects.toThrow(/TTL/);
  });
});

describe('keepRenewed', () => {
  it('keeps a short lock alive past its TTL until stopped', async () => {
    const locks = new MemoryLockService();
    const lock = (await locks.acquire('job', 150))!;
    const lost: string[] = [];
    const renewal = keepRenewed(lock, { onLost: (r) => lost.push(r) });
    await new Promise((r) => setTimeout(r, 400));
    expect(await locks.acquire('job', 150)).toBeNull();
    renewal.stop();
    expect(lost).toEqual([]);
    // Once renewals stop, the TTL runs out and another holder gets it.
    let next: Lock | null = null;
    const started = Date.now();
    while (!next) {
      next = await locks.acquire('job', 150);
      if (!next) await new Promise((r) => setTimeout(r, 10));
    }
    expect(Date.now() - started).toBeLessThan(300);
    expect(next.fence).toBe(2);
  });

  it('reports `taken` when a renewal finds another owner', async () => {
    const fake: Lock = { key: 'k', token: 't', fence: 1, ttlMs: 300, renew: async () => false, release: async () => false };
    const lost: string[] = [];
    keepRenewed(fake, { intervalMs: 20, onLost: (r) => lost.push(r) });
    await waitFor('loss', () => lost.length > 0);
    expect(lost).toEqual(['taken']);
  });

  it('reports `expired` only once failing renewals outlast the TTL', async () => {
    let calls = 0;
    const fake: Lock = {
      key: 'k',
      token: 't',
      fence: 1,
      ttlMs: 200,
      renew: async () => {
        calls++;
        throw new Error('Connection is closed.');
      },
      release: async () => false,
    };
    const started = Date.now();
    let lostAt = 0;
    const reasons: string[] = [];
    keepRenewed(fake, { intervalMs: 30, onLost: (r) => (reasons.push(r), (lostAt = Date.now())) });
    await waitFor('loss', () => reasons.length > 0);
    expect(reasons).toEqual(['expired']);
    expect(lostAt - started).toBeGreaterThanOrEqual(195);
    expect(calls).toBeGreaterThanOrEqual(3);
  });
});
