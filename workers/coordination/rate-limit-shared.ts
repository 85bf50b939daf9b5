import { createHash } from 'node:crypto';

import { SHARED_BUDGETS_BYTES } from '../../shared/worker-protocol/protocol';

import { BucketSettings, checkCost, refill, waitForTokens, type AcquireOptions, type RateLimiter, type RateLimitState, type SettingsFor, type TakeResult } from './rate-limit';

/**
 * The in-process rate limiter for several worker threads of one host without Redis. A plain
 * MemoryRateLimiter lives in one thread, so N extract threads would each spend the full budget and
 * the API would answer 429. Here the buckets live in a SharedArrayBuffer that the engine creates once
 * (`createSharedBudgets`) and hands to every worker thread (workerData); all threads see one bucket.
 *
 * Layout: SLOTS slots, each with Int32 [lock, used, hashA, hashB] and Float64 [tokens, lastMs, pausedUntil].
 * A slot is claimed by the first thread that needs the integration (open addressing on a 64-bit hash
 * of the key). Each slot has a tiny spin-then-wait lock around a few arithmetic operations.
 */
const SLOTS = 256;
const INTS = 4;
const FLOATS = 3;
const FLOAT_BASE = SLOTS * INTS * 4; // byte offset of the Float64 part (8-aligned)

// The engine allocates the buffer from the protocol's constant; this layout must fill it exactly.
if (FLOAT_BASE + SLOTS * FLOATS * 8 !== SHARED_BUDGETS_BYTES) throw new Error('rate-limit-shared layout and SHARED_BUDGETS_BYTES disagree');

export const createSharedBudgets = (): SharedArrayBuffer => new SharedArrayBuffer(SHARED_BUDGETS_BYTES);

const hashKey = (key: string): [number, number] => {
  const h = createHash('sha1').update(key).digest();
  return [h.readInt32LE(0), h.readInt32LE(4)];
};

export class SharedMemoryRateLimiter implements RateLimiter {
  private readonly ints: Int32Array;
  private readonly floats: Float64Array;
  private readonly slotOf = new Map<string, number>();

  constructor(
    buffer: SharedArrayBuffer,
    private readonly settingsFor: SettingsFor,
    private readonly now: () => number = Date.now,
  ) {
    if (buffer.byteLength !== FLOAT_BASE + SLOTS * FLOATS * 8) throw new Error('The shared rate-limit buffer has the wrong size; create it with createSharedBudgets().');
    this.ints = new Int32Array(buffer, 0, SLOTS * INTS);
    this.floats = new Float64Array(buffer, FLOAT_BASE, SLOTS * FLOATS);
  }

  async acquire(integrationKey: string, cost = 1, options?: AcquireOptions): Promise<{ waitedMs: number }> {
    const settings = BucketSettings.parse(this.settingsFor(integrationKey));
    checkCost(integrationKey, cost, settings);
    return waitForTokens(integrationKey, async () => this.take(integrationKey, cost, settings), options);
  }

  async pauseUntil(integrationKey: string, resetAt: Date | number): Promise<void> {
    const at = typeof resetAt === 'number' ? resetAt : resetAt.getTime();
    const settings = BucketSettings.parse(this.settingsFor(integrationKey));
    this.withSlot(integrationKey, settings, (f) => {
      if (at > this.floats[f + 2]!) this.floats[f + 2] = at;
    });
  }

  async state(integrationKey: string): Promise<RateLimitState> {
    const settings = BucketSettings.parse(this.settingsFor(integrationKey));
    const now = this.now();
    return this.withSlot(integrationKey, settings, (f) => {
      const paused = this.floats[f + 2]!;
      return {
        integrationKey,
        tokens: refill(this.floats[f]!, this.floats[f + 1]!, now, settings),
        capacity: settings.capacity,
        refillPerSecond: settings.refillPerSecond,
        pausedUntil: paused > now ? paused : null,
      };
    });
  }

  private take(integrationKey: string, cost: number, settings: BucketSettings): TakeResult {
    const now = this.now();
    return this.withSlot(integrationKey, settings, (f) => {
      const paused = this.floats[f + 2]!;
      if (paused > now) return { granted: false, waitMs: paused - now };
      const tokens = refill(this.floats[f]!, this.floats[f + 1]!, now, settings);
      if (tokens >= cost) {
        this.floats[f] = tokens - cost;
        this.floats[f + 1] = now;
        return { granted: true, waitMs: 0 };
      }
      return { granted: false, waitMs: Math.ceil(((cost - tokens) * 1000) / settings.refillPerSecond) };
    });
  }

  /** Runs `fn` on the integration's slot (claiming one if needed) under the slot's lock. */
  private withSlot<T>(integrationKey: string, settings: BucketSettings, fn: (floatIndex: number) => T): T {
    const known = this.slotOf.get(integrationKey);
    if (known !== undefined) return this.locked(known, () => fn(known * FLOATS));
    const [a, b] = hashKey(integrationKey);
    const start = (a >>> 0) % SLOTS;
    for (let i = 0; i < SLOTS; i++) {
      const slot = (start + i) % SLOTS;
      const found = this.locked(slot, () => {
        const base = slot * INTS;
        if (this.ints[base + 1] === 0) {
          // Free slot: claim it with a full bucket.
          this.ints[base + 1] = 1;
          this.ints[base + 2] = a;
          this.ints[base + 3] = b;
          this.floats[slot * FLOATS] = settings.capacity;
          this.floats[slot * FLOATS + 1] = this.now();
          this.floats[slot * FLOATS + 2] = 0;
          return true;
        }
        return this.ints[base + 2] === a && this.ints[base + 3] === b;
      });
      if (found) {
        this.slotOf.set(integrationKey, slot);
        return this.locked(slot, () => fn(slot * FLOATS));
      }
    }
    throw new Error(`The shared rate-limit table is full (${SLOTS} integrations); use Redis (REDIS_URL) for this many integrations.`);
  }

  private locked<T>(slot: number, fn: () => T): T {
    const lock = slot * INTS;
    // The critical sections are a few float operations: spin briefly, then sleep on the lock word.
    for (let spins = 0; Atomics.compareExchange(this.ints, lock, 0, 1) !== 0; spins++) {
      if (spins > 100) Atomics.wait(this.ints, lock, 1, 1);
    }
    try {
      return fn();
    } finally {
      Atomics.store(this.ints, lock, 0);
      Atomics.notify(this.ints, lock, 1);
    }
  }
}
