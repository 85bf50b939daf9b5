import type { Redis } from 'ioredis';

import { BucketSettings, checkCost, waitForTokens, type AcquireOptions, type RateLimiter, type RateLimitState, type SettingsFor, type TakeResult } from './rate-limit';
import { ensureConnected, lua, runScript } from './redis';

/**
 * The token bucket in Redis, one Lua script per operation so read-refill-take is atomic across all
 * workers. Time comes from Redis (`TIME`), not from the hosts, so hosts with skewed clocks share one
 * notion of "now" (Redis 7 replicates script effects, so TIME in a writing script is allowed).
 *
 * Keys: `sluice:rl:<integration>` hash {tokens, ts}; `sluice:rl:<integration>:pause` holds the
 * epoch ms of the pause end and expires at it.
 */
const PRELUDE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local capacity = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2]) / 1000
local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(b[1])
local ts = tonumber(b[2])
if tokens == nil or ts == nil then tokens = capacity; ts = now end
tokens = math.min(capacity, tokens + math.max(0, now - ts) * perMs)
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
`;

// Returns {granted, waitMs, tokens as string (Lua numbers become integers on the way out), pausedUntil}.
const TAKE = lua(`${PRELUDE}
local cost = tonumber(ARGV[3])
if paused > now then return {0, paused - now, tostring(tokens), paused} end
if tokens >= cost then
  tokens = tokens - cost
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', now)
  -- Once full again the hash says nothing a missing one would not: let it expire.
  redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / perMs) + 1000)
  return {1, 0, tostring(tokens), 0}
end
return {0, math.ceil((cost - tokens) / perMs), tostring(tokens), 0}
`);

const PEEK = lua(`${PRELUDE}
if paused <= now then paused = 0 end
return {tostring(tokens), paused}
`);

// Extends, never shortens: two workers seeing different reset headers keep the later one.
const PAUSE = lua(`
local at = tonumber(ARGV[1])
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if at <= cur then return 0 end
redis.call('SET', KEYS[1], at, 'PXAT', at)
return 1
`);

/** Uses a `commands` client it does not own (createCoordination closes it). */
export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly client: Redis,
    private readonly settingsFor: SettingsFor,
  ) {}

  async acquire(integrationKey: string, cost = 1, options?: AcquireOptions): Promise<{ waitedMs: number }> {
    const settings = BucketSettings.parse(this.settingsFor(integrationKey));
    checkCost(integrationKey, cost, settings);
    return waitForTokens(integrationKey, () => this.take(integrationKey, cost, settings), options);
  }

  async pauseUntil(integrationKey: string, resetAt: Date | number): Promise<void> {
    const at = Math.ceil(typeof resetAt === 'number' ? resetAt : resetAt.getTime());
    await ensureConnected(this.client);
    await runScript(this.client, PAUSE, [pauseKey(integrationKey)], [at]);
  }

  async state(integrationKey: string): Promise<RateLimitState> {
    const settings = BucketSettings.parse(this.settingsFor(integrationKey));
    await ensureConnected(this.client);
    const [tokens, paused] = (await runScript(this.client, PEEK, keys(integrationKey), [settings.capacity, settings.refillPerSecond])) as [string, number];
    return { integrationKey, tokens: Number(tokens), capacity: settings.capacity, refillPerSecond: settings.refillPerSecond, pausedUntil: paused > 0 ? paused : null };
  }

  private async take(integrationKey: string, cost: number, settings: BucketSettings): Promise<TakeResult> {
    await ensureConnected(this.client);
    const [granted, waitMs] = (await runScript(this.client, TAKE, keys(integrationKey), [settings.capacity, settings.refillPerSecond, cost])) as [number, number];
    return { granted: granted === 1, waitMs };
  }
}

const bucketKey = (integrationKey: string) => `sluice:rl:${integrationKey}`;
const pauseKey = (integrationKey: string) => `sluice:rl:${integrationKey}:pause`;
const keys = (integrationKey: string) => [bucketKey(integrationKey), pauseKey(integrationKey)];
