import { setTimeout as sleep } from 'node:timers/promises';

import { z } from 'zod';

/**
 * A rate-limit budget per integration, shared by every extract worker (DESIGN.md section 3, Redis).
 * A token bucket: `capacity` requests may go at once, then `refillPerSecond` more each second. A 429
 * or an exhausted X-RateLimit-Remaining seen by one worker pauses the integration for all of them
 * until the reset time, so the others do not burn the penalty window too.
 *
 * Two implementations with this interface: Redis (every host) and in-process (one host, no REDIS_URL).
 */
export const BucketSettings = z.strictObject({
  capacity: z.number().int().min(1).max(1_000_000),
  refillPerSecond: z.number().positive().max(1_000_000),
});
export type BucketSettings = z.infer<typeof BucketSettings>;

export interface AcquireOptions {
  readonly signal?: AbortSignal;
  /**
   * Longest total wait before giving up with RateLimitWaitError (default 10 minutes). A caller that
   * hits it should release its worker and let the run become `rate_limited` rather than hold a thread.
   */
  readonly maxWaitMs?: number;
}

export interface RateLimitState {
  readonly integrationKey: string;
  /** Tokens available now (fractional while refilling). */
  readonly tokens: number;
  readonly capacity: number;
  readonly refillPerSecond: number;
  /** Epoch ms until which the integration is paused, or null. */
  readonly pausedUntil: number | null;
}

export interface RateLimiter {
  /** Waits until `cost` tokens are taken from the integration's bucket. */
  acquire(integrationKey: string, cost?: number, options?: AcquireOptions): Promise<{ waitedMs: number }>;
  /** Makes every worker wait until `resetAt` (never shortens an existing pause). */
  pauseUntil(integrationKey: string, resetAt: Date | number): Promise<void>;
  /** For the console: tokens left and pause, without taking anything. */
  state(integrationKey: string): Promise<RateLimitState>;
}

/** Settings per integration, from the integration's configuration. */
export type SettingsFor = (integrationKey: string) => BucketSettings;

/** The wait for a token would exceed the caller's limit. */
export class RateLimitWaitError extends Error {
  override readonly name = 'RateLimitWaitError';
  constructor(
    readonly integrationKey: string,
    /** Epoch ms when a token is expected (or the pause ends). */
    readonly retryAt: number,
    maxWaitMs: number,
  ) {
    super(`The rate limit of integration ${integrationKey} allows the next request at ${new Date(retryAt).toISOString()}, beyond the allowed wait of ${maxWaitMs} ms; mark the run rate_limited and resume it then.`);
  }
}

/** One attempt at taking tokens: granted, or how long until it could be. */
export interface TakeResult {
  readonly granted: boolean;
  readonly waitMs: number;
}

const DEFAULT_MAX_WAIT_MS = 10 * 60_000;

export const checkCost = (integrationKey: string, cost: number, settings: BucketSettings): void => {
  if (!Number.isInteger(cost) || cost < 1) throw new Error(`A rate-limit cost must be a positive integer; got ${cost}.`);
  if (cost > settings.capacity) {
    throw new Error(`A request costing ${cost} tokens can never fit the bucket of integration ${integrationKey} (capacity ${settings.capacity}); raise the capacity or split the request.`);
  }
};

/**
 * The wait loop both implementations share: try, sleep as long as the bucket says, try again.
 * Sleeps get up to 10% (max 50 ms) of jitter: workers woken by the same refill would otherwise all
 * ask in the same millisecond and all but one would lose and sleep again.
 */
export const waitForTokens = async (integrationKey: string, take: () => Promise<TakeResult>, options: AcquireOptions = {}): Promise<{ waitedMs: number }> => {
  const started = Date.now();
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  for (;;) {
    options.signal?.throwIfAborted();
    const result = await take();
    const waited = Date.now() - started;
    if (result.granted) return { waitedMs: waited };
    if (waited + result.waitMs > maxWaitMs) throw new RateLimitWaitError(integrationKey, Date.now() + result.waitMs, maxWaitMs);
    const jitter = Math.floor(Math.random() * Math.min(50, result.waitMs / 10 + 1));
    await sleep(Math.max(1, result.waitMs) + jitter, undefined, { signal: options.signal });
  }
};

/** Token bucket arithmetic shared by the in-process limiter (the Redis one runs the same in Lua). */
export const refill = (tokens: number, lastMs: number, nowMs: number, s: BucketSettings): number => Math.min(s.capacity, tokens + (Math.max(0, nowMs - lastMs) * s.refillPerSecond) / 1000);

/** In-process limiter for a single host without Redis. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly pauses = new Map<string, number>();

  constructor(
    private readonly settingsFor: SettingsFor,
    private readonly now: () => number = Date.now,
  ) {}

  async acquire(integrationKey: string, cost = 1, options?: AcquireOptions): Promise<{ waitedMs: number }> {
    const settings = BucketSettings.parse(this.settingsFor(integrationKey));
    checkCost(integrationKey, cost, settings);
    return waitForTokens(integrationKey, async () => this.take(integrationKey, cost, settings), options);
  }

  async pauseUntil(integrationKey: string, resetAt: Date | number): Promise<void> {
    const at = typeof resetAt === 'number' ? resetAt : resetAt.getTime();
    if (at > (this.pauses.get(integrationKey) ?? 0)) this.pauses.set(integrationKey, at);
  }

  async state(integrationKey: string): Promise<RateLimitState> {
    const settings = BucketSettings.parse(this.settingsFor(integrationKey));
    const now = this.now();
    const bucket = this.buckets.get(integrationKey);
    const paused = this.pauses.get(integrationKey) ?? 0;
    return {
      integrationKey,
      tokens: bucket ? refill(bucket.tokens, bucket.at, now, settings) : settings.capacity,
      capacity: settings.capacity,
      refillPerSecond: settings.refillPerSecond,
      pausedUntil: paused > now ? paused : null,
    };
  }

  private take(integrationKey: string, cost: number, settings: BucketSettings): TakeResult {
    const now = this.now();
    const paused = this.pauses.get(integrationKey) ?? 0;
    if (paused > now) return { granted: false, waitMs: paused - now };
    const bucket = this.buckets.get(integrationKey);
    const tokens = bucket ? refill(bucket.tokens, bucket.at, now, settings) : settings.capacity;
    if (tokens >= cost) {
      this.buckets.set(integrationKey, { tokens: tokens - cost, at: now });
      return { granted: true, waitMs: 0 };
    }
    return { granted: false, waitMs: Math.ceil(((cost - tokens) * 1000) / settings.refillPerSecond) };
  }
}
