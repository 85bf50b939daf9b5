import { Redis } from 'ioredis';

import { HostHeartbeat } from '../../shared/worker-protocol/health';

/**
 * Worker host heartbeats in Redis. Every `sluice worker` host writes
 * `SET sluice:hosts:<hostId> <HostHeartbeat json> PX 15000` every 5 s: the key lives three intervals,
 * so one slow write (GC pause, Redis failover) does not make a healthy host look lost, while a dead
 * host disappears within 15 s. A clean stop deletes the key at once.
 *
 * A key that expired cannot say who it was, so each beat is also kept in the hash
 * `sluice:hosts-seen` (hostId → last beat). A host in that hash without a live key is "lost" (it died
 * without a clean stop); the reader forgets lost hosts after a day so the hash stays small.
 */

export const HEARTBEAT_INTERVAL_MS = 5_000;
export const HEARTBEAT_TTL_MS = 15_000;
const FORGET_LOST_AFTER_MS = 24 * 3_600_000;

/** Key layout under a namespace (default `sluice:`; tests use their own). */
export const hostKeys = (namespace = 'sluice:') => ({
  host: (hostId: string) => `${namespace}hosts:${hostId}`,
  pattern: `${namespace}hosts:*`,
  seen: `${namespace}hosts-seen`,
});

export interface HeartbeatOptions {
  readonly redisUrl: string;
  readonly hostId: string;
  /** The beat to write, built fresh each time (pool health changes). */
  readonly snapshot: () => HostHeartbeat;
  readonly intervalMs?: number;
  readonly ttlMs?: number;
  readonly namespace?: string;
  /** A failed write (Redis away): logged by the caller; the next beat tries again. */
  readonly onError?: (error: Error) => void;
}

export interface HostHeartbeatHandle {
  /** Stops beating and deletes this host's key (a clean stop is not a lost host). */
  stop(): Promise<void>;
}

/** Writes the first beat before resolving, so a wrong REDIS_URL fails the start with its error. */
export const startHostHeartbeat = async (options: HeartbeatOptions): Promise<HostHeartbeatHandle> => {
  const keys = hostKeys(options.namespace);
  const ttlMs = options.ttlMs ?? HEARTBEAT_TTL_MS;
  const redis = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5_000 });
  redis.on('error', () => undefined); // reported through the failed beat below
  const beat = async (): Promise<void> => {
    const json = JSON.stringify(HostHeartbeat.parse(options.snapshot()));
    await redis.multi().set(keys.host(options.hostId), json, 'PX', ttlMs).hset(keys.seen, options.hostId, json).exec();
  };
  try {
    await redis.connect();
    await beat();
  } catch (error) {
    redis.disconnect();
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not write the worker host heartbeat to Redis (${message}); check REDIS_URL or unset it to run without host heartbeats.`);
  }
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = beat().catch((error: unknown) => options.onError?.(error instanceof Error ? error : new Error(String(error))));
  }, options.intervalMs ?? HEARTBEAT_INTERVAL_MS);
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
      try {
        await redis.multi().del(keys.host(options.hostId)).hdel(keys.seen, options.hostId).exec();
      } finally {
        await redis.quit().catch(() => redis.disconnect());
      }
    },
  };
};

export interface WorkerHost {
  readonly hostId: string;
  /** `alive`: its key is live. `lost`: it beat before but its key expired (it died without a clean stop). */
  readonly state: 'alive' | 'lost';
  readonly heartbeat: HostHeartbeat;
}

/** Lists worker hosts, alive first, for the console. Beats that do not parse are skipped. */
export const listWorkerHosts = async (redisUrl: string, options: { namespace?: string; now?: number } = {}): Promise<WorkerHost[]> => {
  const keys = hostKeys(options.namespace);
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5_000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const liveKeys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', keys.pattern, 'COUNT', 200);
      cursor = next;
      liveKeys.push(...batch);
    } while (cursor !== '0');
    const values = liveKeys.length > 0 ? await redis.mget(...liveKeys) : [];
    const alive = values.flatMap((v) => parseBeat(v)).map((heartbeat): WorkerHost => ({ hostId: heartbeat.hostId, state: 'alive', heartbeat }));
    const aliveIds = new Set(alive.map((h) => h.hostId));
    const seen = await redis.hgetall(keys.seen);
    const now = options.now ?? Date.now();
    const lost: WorkerHost[] = [];
    for (const [hostId, value] of Object.entries(seen)) {
      if (aliveIds.has(hostId)) continue;
      const [heartbeat] = parseBeat(value);
      if (!heartbeat || now - Date.parse(heartbeat.at) > FORGET_LOST_AFTER_MS) {
        await redis.hdel(keys.seen, hostId);
        continue;
      }
      lost.push({ hostId, state: 'lost', heartbeat });
    }
    const byId = (a: WorkerHost, b: WorkerHost) => a.hostId.localeCompare(b.hostId);
    return [...alive.sort(byId), ...lost.sort(byId)];
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
};

const parseBeat = (value: string | null): HostHeartbeat[] => {
  if (!value) return [];
  try {
    const parsed = HostHeartbeat.safeParse(JSON.parse(value));
    return parsed.success ? [parsed.data] : [];
  } catch {
    return [];
  }
};
