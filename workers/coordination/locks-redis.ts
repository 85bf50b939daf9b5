import type { Redis } from 'ioredis';

import { checkTtl, newToken, type Lock, type LockInfo, type LockService } from './locks';
import { ensureConnected, lua, runScript } from './redis';

/**
 * Locks in Redis. Keys: `sluice:lock:<key>` = "<token>:<fence>" with a PX TTL, and
 * `sluice:lock:<key>:fence`, a counter that is never deleted so fences keep growing across holders.
 * Acquire is one script so the fence is only spent when the lock is actually taken.
 */
const ACQUIRE = lua(`
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local fence = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. fence, 'PX', ARGV[2])
return fence
`);

// Compare-and-act: only the owner's exact value may renew or delete.
const RENEW = lua(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`);

const RELEASE = lua(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/**
 * Uses a `locks` client (no offline queue, no retries; see redis.ts) that it does not own.
 */
export class RedisLockService implements LockService {
  constructor(private readonly client: Redis) {}

  async acquire(key: string, ttlMs: number): Promise<Lock | null> {
    checkTtl(ttlMs);
    await ensureConnected(this.client);
    const token = newToken();
    const fence = (await runScript(this.client, ACQUIRE, [lockKey(key), `${lockKey(key)}:fence`], [token, ttlMs])) as number | null;
    if (fence === null) return null;
    const value = `${token}:${fence}`;
    const client = this.client;
    return {
      key,
      token,
      fence,
      ttlMs,
      renew: async () => (await runScript(client, RENEW, [lockKey(key)], [value, ttlMs])) === 1,
      release: async () => (await runScript(client, RELEASE, [lockKey(key)], [value])) === 1,
    };
  }

  async inspect(key: string): Promise<LockInfo | null> {
    await ensureConnected(this.client);
    const [value, ttl] = (await this.client.multi().get(lockKey(key)).pttl(lockKey(key)).exec()) ?? [];
    const v = value?.[1];
    const left = ttl?.[1];
    if (typeof v !== 'string' || typeof left !== 'number' || left <= 0) return null;
    return { key, fence: Number(v.slice(v.lastIndexOf(':') + 1)), ttlMs: left };
  }
}

const lockKey = (key: string) => `sluice:lock:${key}`;
