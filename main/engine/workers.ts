import { hostname } from 'node:os';
import { join } from 'node:path';

import type pino from 'pino';

import type { WorkersStatus } from '../../shared/contract/workers';
import type { ProgressEvent } from '../../shared/worker-protocol/progress';
import { SHARED_BUDGETS_BYTES, type Stage, type TopologySettings } from '../../shared/worker-protocol/protocol';
import type { WorkerEntry } from '../supervisor/entries';
import { listWorkerHosts } from '../supervisor/hosts';
import { Supervisor } from '../supervisor/supervisor';
import type { EngineConfig } from './config';
import { loadOrCreateSecretKey } from './secrets/key';
import { vectorSettingsOf } from './vectors/config';

/** The engine's sealing key in the form worker settings carry it. */
export const workerSecretKey = (config: Pick<EngineConfig, 'home' | 'secretKey'>): { id: string; key: string } => {
  const key = loadOrCreateSecretKey(config.home, config.secretKey);
  return { id: key.id, key: Buffer.from(key.bytes).toString('base64') };
};

export interface EmbeddedWorkers {
  status(): WorkersStatus['embedded'];
  /** Null when the pools are off: the reason to show instead. */
  readonly offReason: string | null;
  /** Sets a pool's thread count (throws the supervisor's sentence for a bad count). */
  scale(stage: Stage, threads: number): void;
  restart(stage: Stage): Promise<void>;
  stop(graceMs: number): Promise<void>;
}

/**
 * The worker pools the desktop app and `sluice serve` run in their own process ("worker threads
 * embedded in the app"); `sluice worker` runs the same pools on other hosts. Off — with the reason
 * shown on the Workers screen — when SLUICE_WORKERS=off, when RabbitMQ or Postgres is not
 * configured, or when no built worker entries exist (engine run from source).
 */
export const startEmbeddedWorkers = (
  config: EngineConfig,
  entries: ((stage: Stage) => WorkerEntry) | null,
  logger: pino.Logger,
  /** Live progress signals of the threads (only sent this way without Redis), and the queue namespace (tests). */
  extra: { readonly onProgress?: (event: ProgressEvent) => void; readonly topology?: TopologySettings } = {},
): EmbeddedWorkers => {
  const off = (reason: string): EmbeddedWorkers => ({
    status: () => ({ state: 'off', reason, hostId: null, pools: [] }),
    offReason: reason,
    scale: () => {
      throw new Error(reason);
    },
    restart: () => Promise.reject(new Error(reason)),
    stop: async () => undefined,
  });
  if (!config.workers) return off('Embedded workers are off (SLUICE_WORKERS=off): runs need a `sluice worker` host.');
  if (!config.rabbitmqUrl) return off('RabbitMQ is not configured (RABBITMQ_URL): the pipeline cannot run.');
  if (!config.databaseUrl) return off('Postgres is not configured (DATABASE_URL): the pipeline cannot run.');
  if (!entries) return off('No built worker entries: run `npm run build`.');
  const hostId = `${hostname()}-engine-${process.pid}`;
  // Without Qdrant the vectorize pool runs `noop` (it drains stale jobs) and load publishes none.
  const vectors = vectorSettingsOf(config);
  const supervisor = new Supervisor({
    entries,
    settings: {
      hostId,
      rabbitmqUrl: config.rabbitmqUrl,
      databaseUrl: config.databaseUrl,
      redisUrl: config.redisUrl,
      handlers: { extract: 'pipeline', transform: 'pipeline', load: 'pipeline', vectorize: vectors ? 'vectorize' : 'noop' },
      vectors,
      rawCachePath: join(config.home, 'cache', 'raw-cache.sqlite'),
      secretKeys: [workerSecretKey(config)],
      // Without Redis, the extract threads of this host share one rate-limit budget in memory.
      ...(config.redisUrl ? {} : { sharedBudgets: new SharedArrayBuffer(SHARED_BUDGETS_BYTES) }),
      ...(extra.topology ? { topology: extra.topology } : {}),
    },
    counts: config.workers,
    logger: logger.child({ component: 'supervisor' }),
    ...(extra.onProgress ? { onProgress: extra.onProgress } : {}),
  });
  supervisor.start();
  return {
    status: () => ({ state: 'running', reason: null, hostId, pools: supervisor.pools() }),
    offReason: null,
    scale: (stage, threads) => supervisor.scale(stage, threads),
    restart: (stage) => supervisor.restartPool(stage),
    stop: (graceMs) => supervisor.stop(graceMs),
  };
};

/** Worker hosts seen in Redis; without Redis there is nothing to list, and the note says why. */
export const workerHosts = async (config: Pick<EngineConfig, 'redisUrl'>, namespace?: string): Promise<Pick<WorkersStatus, 'hosts' | 'hostsNote'>> => {
  if (!config.redisUrl) return { hosts: [], hostsNote: 'Redis is not configured (REDIS_URL): worker hosts cannot announce themselves.' };
  try {
    return { hosts: await listWorkerHosts(config.redisUrl, namespace ? { namespace } : {}), hostsNote: null };
  } catch (error) {
    return { hosts: [], hostsNote: `Worker hosts could not be read from Redis: ${error instanceof Error ? error.message : String(error)}.` };
  }
};
