import type { Redis } from 'ioredis';

import { MemoryLockService, type LockService } from './locks';
import { RedisLockService } from './locks-redis';
import { MemoryProgressBus, type ProgressBus } from './progress';
import { RedisProgressBus } from './progress-redis';
import { MemoryRateLimiter, type RateLimiter, type SettingsFor } from './rate-limit';
import { RedisRateLimiter } from './rate-limit-redis';
import { SharedMemoryRateLimiter } from './rate-limit-shared';
import { createRedis } from './redis';

export { keepRenewed, type Lock, type LockInfo, type LockService } from './locks';
export { ProgressPublisher, subscribeProgress, type ProgressBus, type ProgressListener } from './progress';
export { ProgressCounters, ProgressEvent, type ProgressCountersInput } from './progress-schema';
export { BucketSettings, RateLimitWaitError, type RateLimiter, type RateLimitState } from './rate-limit';
export { createSharedBudgets } from './rate-limit-shared';

export interface CoordinationOptions {
  /** Redis for several hosts; null/undefined = in-process equivalents (one host only). */
  readonly redisUrl?: string | null;
  /** Rate-limit settings per integration key. */
  readonly rateLimits: SettingsFor;
  /**
   * Without Redis: the buffer from createSharedBudgets(), made once by the engine and passed to every
   * worker thread, so all threads of this host share one budget per integration. Without it each
   * thread has its own buckets (only right for a single thread).
   */
  readonly sharedBudgets?: SharedArrayBuffer;
  /** Key and channel prefix (tests). */
  readonly keyPrefix?: string;
  readonly onError?: (err: Error) => void;
}

export interface Coordination {
  /** `in-process` means locks and budgets hold for this process only: the console must say so. */
  readonly mode: 'redis' | 'in-process';
  readonly rateLimiter: RateLimiter;
  readonly locks: LockService;
  readonly progress: ProgressBus;
  /** Closes the Redis connections this made (subscriptions close through their own disposers). */
  close(): Promise<void>;
}

/**
 * Builds the coordination services for one process. In-process equivalents share nothing between
 * processes or worker threads, so they are only correct when a single engine process does all the work.
 */
export const createCoordination = (options: CoordinationOptions): Coordination => {
  if (!options.redisUrl) {
    const rateLimiter = options.sharedBudgets ? new SharedMemoryRateLimiter(options.sharedBudgets, options.rateLimits) : new MemoryRateLimiter(options.rateLimits);
    return { mode: 'in-process', rateLimiter, locks: new MemoryLockService(), progress: new MemoryProgressBus(), close: async () => {} };
  }
  const url = options.redisUrl;
  const base = { url, keyPrefix: options.keyPrefix ?? '', ...(options.onError ? { onError: options.onError } : {}) };
  const commands = createRedis({ ...base, role: 'commands' });
  const locks = createRedis({ ...base, role: 'locks' });
  const clients: Redis[] = [commands, locks];
  return {
    mode: 'redis',
    rateLimiter: new RedisRateLimiter(commands, options.rateLimits),
    locks: new RedisLockService(locks),
    progress: new RedisProgressBus({ publisher: commands, subscriber: () => createRedis({ ...base, role: 'subscriber' }), keyPrefix: options.keyPrefix ?? '' }),
    close: async () => {
      await Promise.all(clients.map((c) => (c.status === 'wait' ? c.disconnect() : c.quit().catch(() => c.disconnect()))));
    },
  };
};
