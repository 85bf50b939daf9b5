import { randomBytes } from 'node:crypto';

import { Redis } from 'ioredis';

/**
 * Who runs the scheduler tick across engines (every desktop console and `sluice serve` runs one): a
 * Redis key with a TTL holding this engine's token, renewed on every tick. A holder that dies stops
 * renewing, the key expires and the next engine's tick takes over. Without Redis a single engine is
 * assumed and always leads (the console says so); the database still refuses a second live run of
 * an integration and claims each due job with one guarded UPDATE, so even two leaders start one run.
 *
 * (workers/coordination/locks*.ts is worker code, which main/ must not import: DESIGN.md section 2.)
 */
export interface Leadership {
  readonly mode: 'redis' | 'in-process';
  /** Takes or renews the lead; false while another engine holds it. */
  hold(): Promise<boolean>;
  release(): Promise<void>;
}

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export const inProcessLeadership = (): Leadership => ({ mode: 'in-process', hold: async () => true, release: async () => undefined });

export const redisLeadership = (url: string, options: { key?: string; ttlMs?: number; keyPrefix?: string; onError?: (error: Error) => void } = {}): Leadership => {
  const key = `${options.keyPrefix ?? ''}sluice:lock:scheduler`;
  const ttlMs = options.ttlMs ?? 15_000;
  const token = randomBytes(16).toString('hex');
  // No offline queue: a renewal that waits out a disconnect could land after another engine took over.
  const client = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 5_000, commandTimeout: 5_000, connectionName: 'sluice-scheduler' });
  client.on('error', (error: Error) => options.onError?.(error));
  let connecting: Promise<void> | null = null;
  const ready = async (): Promise<void> => {
    if (client.status === 'ready') return;
    if (client.status !== 'wait' && client.status !== 'end') throw new Error(`Redis is ${client.status}; the scheduler waits for it.`);
    connecting ??= client.connect().finally(() => (connecting = null));
    await connecting;
  };
  return {
    mode: 'redis',
    hold: async () => {
      try {
        await ready();
        if ((await client.eval(RENEW, 1, key, token, ttlMs)) === 1) return true;
        return (await client.set(key, token, 'PX', ttlMs, 'NX')) === 'OK';
      } catch (error) {
        options.onError?.(error instanceof Error ? error : new Error(String(error)));
        return false; // Redis unreachable: do not tick, someone else may hold the lead
      }
    },
    release: async () => {
      try {
        if (client.status === 'ready') await client.eval(RELEASE, 1, key, token);
      } catch {
        // expires by itself
      }
      client.disconnect();
    },
  };
};
