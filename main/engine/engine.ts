import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import type pg from 'pg';
import type pino from 'pino';

import { ApiError } from '../../shared/contract/errors';
import { version } from '../../package.json';
import type { EngineConfig } from './config';
import { createPool } from './db/pool';
import { dispatch } from './dispatch';
import { EventHub } from './events';
import { integrationHandlers } from './handlers/integrations';
import { jobHandlers } from './handlers/jobs';
import { rawHandlers } from './handlers/raw';
import { runHandlers } from './handlers/runs';
import { tenantHandlers } from './handlers/tenants';
import { JobCoordinator, type CoordinatorTiming } from './jobs/coordinator';
import { inProcessLeadership, redisLeadership } from './jobs/leader';
import { ProgressFeed } from './runs/progress-feed';
import { HealthMonitor } from './health/monitor';
import { loadOrCreateSecretKey } from './secrets/key';
import { builtTaskEntry, createTaskRunner } from './tasks';
import type { CallContext, EngineApi, EventListener, Handlers } from './types';
import { startEmbeddedWorkers, workerHosts } from './workers';
import type { SecretKey } from '../../shared/lib/secret-box';
import type { Stage, TopologySettings } from '../../shared/worker-protocol/protocol';
import type { WorkerEntry } from '../supervisor/entries';

export interface Engine extends EngineApi {
  readonly config: EngineConfig;
  readonly version: string;
  /** The run coordinator (null without Postgres, or when options.jobs is false). */
  readonly coordinator: JobCoordinator | null;
  close(): Promise<void>;
}

export interface EngineOptions {
  readonly mode: 'desktop' | 'headless';
  readonly logger: pino.Logger;
  /** Where the worker thread entries are (built: `builtWorkerEntries(import.meta.url)`); null runs no pools. */
  readonly workerEntries?: ((stage: Stage) => WorkerEntry) | null;
  /** The one-shot task thread (test connection, remote lookups); default: the built `workers/task.js`. */
  readonly taskEntry?: WorkerEntry;
  /**
   * The run coordinator (scheduler, recovery, stale-run sweep, retention): its timing, or false for
   * none (the CLI, which only acts on runs). Default: on, with DEFAULT_TIMING.
   */
  readonly jobs?: Partial<CoordinatorTiming> | false;
  /** The queue and Redis namespace of the embedded workers and live progress (tests isolate with it); default ''. */
  readonly topology?: TopologySettings;
}

/**
 * The electron-free engine: API handlers, push events and (later) the scheduler, run coordinator
 * and worker supervisor. The desktop app and `sluice serve` both run exactly this.
 */
export const createEngine = async (config: EngineConfig, options: EngineOptions): Promise<Engine> => {
  const { logger } = options;
  const pool: pg.Pool | null = config.databaseUrl ? createPool(config.databaseUrl) : null;
  const hub = new EventHub();
  const health = new HealthMonitor(config, hub, { mode: options.mode, engineVersion: version, intervalMs: config.healthIntervalMs });
  health.start();
  const feed = pool ? new ProgressFeed(pool, hub, { logger, redisUrl: config.redisUrl, keyPrefix: options.topology?.prefix ?? '' }) : null;
  // Not awaited: an unreachable Redis must not hold up the engine (the feed logs it and consoles still get state changes).
  void feed?.start();
  const workers = startEmbeddedWorkers(config, options.workerEntries ?? null, logger, {
    ...(feed ? { onProgress: (event) => feed.signal(event) } : {}),
    ...(options.topology ? { topology: options.topology } : {}),
  });
  const coordinator =
    pool && feed && options.jobs !== false
      ? new JobCoordinator(pool, feed, config.redisUrl ? redisLeadership(config.redisUrl, { keyPrefix: options.topology?.prefix ?? '' }) : inProcessLeadership(), logger.child({ component: 'jobs' }), options.jobs ?? {})
      : null;
  await coordinator?.start();

  const tasks = createTaskRunner(options.taskEntry ?? builtTaskEntry(import.meta.url));
  let secretKey: SecretKey | null = null;
  const key = (): SecretKey => (secretKey ??= loadOrCreateSecretKey(config.home, config.secretKey));

  const handlers: Handlers = {
    'system.health': () => health.report(),
    ...tenantHandlers(pool),
    ...integrationHandlers({ pool, tasks, secretKey: key }),
    'workers.status': async () => ({ embedded: workers.status(), ...(await workerHosts(config)) }),
    ...jobHandlers({ pool, feed }),
    ...runHandlers({ pool, feed }),
    ...rawHandlers({ pool, tasks, databaseUrl: config.databaseUrl, cachePath: join(config.home, 'cache', 'raw-cache.sqlite'), logger }),
  };

  const call = async (method: string, rawInput: unknown, ctx: CallContext): Promise<unknown> => {
    try {
      return await dispatch(handlers, method, rawInput, ctx);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      // Unexpected failures are logged with an id the operator can quote; the caller gets no internals.
      const errorId = randomUUID().slice(0, 8);
      logger.error({ err: error, method, transport: ctx.transport, errorId }, 'API call failed');
      throw new ApiError('internal', `Internal error in ${method} (error id ${errorId}); the engine log has the details.`);
    }
  };

  logger.info({ mode: options.mode, version }, 'engine started');
  return {
    config,
    version,
    call,
    subscribe: (listener: EventListener) => hub.subscribe(listener),
    coordinator,
    close: async () => {
      health.stop();
      await coordinator?.stop();
      await workers.stop(10_000);
      await feed?.close();
      await pool?.end().catch(() => undefined);
      logger.info('engine stopped');
    },
  };
};
