import { createHash } from 'node:crypto';

import { Redis, type RedisOptions } from 'ioredis';

/**
 * The one place Redis clients are made, so every part of coordination gets the same timeouts,
 * reconnect policy and key prefix.
 *
 * Roles differ on purpose:
 * - `commands` (rate limits, progress publishing): commands issued while disconnected wait in the
 *   offline queue and are retried a few times across a reconnect — a progress event or token request
 *   a second late is fine.
 * - `locks`: no offline queue and no retries. A lock renewal that silently waits for a reconnect
 *   could complete after the TTL expired and someone else took over; failing fast lets the holder
 *   notice it may have lost the lock.
 * - `subscriber`: a connection in subscribe mode can run nothing else, so it is always separate; no
 *   command timeout (it only waits for messages) and ioredis resubscribes after a reconnect.
 */
export type RedisRole = 'commands' | 'locks' | 'subscriber';

export interface RedisClientOptions {
  readonly url: string;
  readonly role?: RedisRole;
  /**
   * Prepended to every key (and, by this module's users, to pub/sub channels). Empty in production;
   * tests use a unique prefix per file so they can share one Redis.
   */
  readonly keyPrefix?: string;
  /** Connection errors while reconnecting; the default ignores them because the retry strategy handles them. */
  readonly onError?: (err: Error) => void;
}

/** Reconnect backoff: 100 ms doubling to 5 s, with jitter so many workers do not reconnect in lockstep. */
export const reconnectDelay = (attempt: number): number => Math.min(100 * 2 ** Math.min(attempt - 1, 6), 5_000) + Math.floor(Math.random() * 100);

export const createRedis = ({ url, role = 'commands', keyPrefix = '', onError }: RedisClientOptions): Redis => {
  const options: RedisOptions = {
    lazyConnect: true,
    keyPrefix,
    // Visible in CLIENT LIST; the prefix (tests) tells whose connection it is.
    connectionName: `sluice-${role}${keyPrefix ? `-${keyPrefix.replace(/[^\w.-]/g, '')}` : ''}`,
    connectTimeout: 5_000,
    retryStrategy: reconnectDelay,
    enableOfflineQueue: role !== 'locks',
    maxRetriesPerRequest: role === 'locks' ? 0 : role === 'subscriber' ? null : 3,
    ...(role === 'subscriber' ? {} : { commandTimeout: 5_000 }),
  };
  const client = new Redis(url, options);
  // Without a listener ioredis prints every reconnect failure as an unhandled error event.
  client.on('error', onError ?? (() => undefined));
  return client;
};

/**
 * Connects a lazy client (once) and resolves when it can take commands. While ioredis is reconnecting
 * it waits at most `timeoutMs`, so a caller (a lock acquire, say) fails with a clear error instead of
 * hanging for as long as Redis is down.
 */
export const ensureConnected = async (client: Redis, timeoutMs = 5_000): Promise<void> => {
  if (client.status === 'ready') return;
  if (client.status === 'wait') {
    await client.connect();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const done = (err?: Error) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('end', onEnd);
      if (err) reject(err);
      else resolve();
    };
    const onReady = () => done();
    const onEnd = () => done(new Error('The Redis connection was closed before it became ready; check REDIS_URL and that Redis is running.'));
    const timer = setTimeout(() => done(new Error(`Redis did not become reachable within ${timeoutMs} ms (status ${client.status}); check REDIS_URL and that Redis is running.`)), timeoutMs);
    client.once('ready', onReady);
    client.once('end', onEnd);
  });
};

/** A Lua script run by its SHA1, so the body crosses the network only the first time on each server. */
export interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

export const lua = (source: string): LuaScript => ({ source, sha: createHash('sha1').update(source).digest('hex') });

/**
 * EVALSHA, falling back to EVAL when the server does not have the script yet (a new or restarted
 * Redis, or after SCRIPT FLUSH); EVAL also caches it for the next EVALSHA.
 */
export const runScript = async (client: Redis, script: LuaScript, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> => {
  try {
    return await client.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('NOSCRIPT')) return client.eval(script.source, keys.length, ...keys, ...args);
    throw err;
  }
};
