import { randomUUID } from 'node:crypto';

import type pg from 'pg';
import type pino from 'pino';

import { ApiError } from '../../shared/contract/errors';
import { version } from '../../package.json';
import type { EngineConfig } from './config';
import { createPool } from './db/pool';
import { dispatch } from './dispatch';
import { EventHub } from './events';
import { integrationHandlers } from './handlers/integrations';
import { tenantHandlers } from './handlers/tenants';
import { HealthMonitor } from './health/monitor';
import { loadOrCreateSecretKey } from './secrets/key';
import { builtTaskEntry, createTaskRunner } from './tasks';
import type { CallContext, EngineApi, EventListener, Handlers } from './types';
import { startEmbeddedWorkers, workerHosts } from './workers';
import type { SecretKey } from '../../shared/lib/secret-box';
import type { Stage } from '../../shared/worker-protocol/protocol';
import type { WorkerEntry } from '../supervisor/entries';

export interface Engine extends EngineApi {
  readonly config: EngineConfig;
  readonly version: string;
  close(): Promise<void>;
}

export interface EngineOptions {
  readonly mode: 'desktop' | 'headless';
  readonly logger: pino.Logger;
  /** Where the worker thread entries are (built: `builtWorkerEntries(import.meta.url)`); null runs no pools. */
  readonly workerEntries?: ((stage: Stage) => WorkerEntry) | null;
  /** The one-shot task thread (test connection, remote lookups); default: the built `workers/task.js`. */
  readonly taskEntry?: WorkerEntry;
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
  const workers = startEmbeddedWorkers(config, options.workerEntries ?? null, logger);

  const tasks = createTaskRunner(options.taskEntry ?? builtTaskEntry(import.meta.url));
  let secretKey: SecretKey | null = null;
  const key = (): SecretKey => (secretKey ??= loadOrCreateSecretKey(config.home, config.secretKey));

  const handlers: Handlers = {
    'system.health': () => health.report(),
    ...tenantHandlers(pool),
    ...integrationHandlers({ pool, tasks, secretKey: key }),
    'workers.status': async () => ({ embedded: workers.status(), ...(await workerHosts(config)) }),
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
    close: async () => {
      health.stop();
      await workers.stop(10_000);
      await pool?.end().catch(() => undefined);
      logger.info('engine stopped');
    },
  };
};
