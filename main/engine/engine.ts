import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import type pg from 'pg';
import type pino from 'pino';

import { ApiError } from '../../shared/contract/errors';
import { version } from '../../package.json';
import type { EngineConfig } from './config';
import { createDatabasePools } from './db/replica';
import { dispatch } from './dispatch';
import { EventHub } from './events';
import { integrationHandlers } from './handlers/integrations';
import { jobHandlers } from './handlers/jobs';
import { mappingHandlers } from './handlers/mappings';
import { queueHandlers } from './handlers/queues';
import { runInsightHandlers } from './handlers/run-insights';
import { rawHandlers } from './handlers/raw';
import { bundleHandlers } from './handlers/bundles';
import { BundleStore } from './bundles/store';
import { runHandlers } from './handlers/runs';
import { tenantHandlers } from './handlers/tenants';
import { workerHandlers } from './handlers/workers';
import { METRICS_HOST } from './metrics/config';
import { createMetricsRegistry } from './metrics/registry';
import { startMetricsServer, type MetricsServer } from './metrics/server';
import { RunNotifier } from './notify/run-notifier';
import { createManagementClient } from './queues/management';
import { readQueuesStatus } from './queues/status';
import { JobCoordinator, type CoordinatorTiming } from './jobs/coordinator';
import { inProcessLeadership, redisLeadership } from './jobs/leader';
import { ProgressFeed } from './runs/progress-feed';
import { vectorHandlers } from './handlers/vectors';
import { HealthMonitor } from './health/monitor';
import { loadOrCreateSecretKey } from './secrets/key';
import { builtTaskEntry, createTaskRunner } from './tasks';
import { profileFromConfig } from '../profiles/config';
import { headlessProfiles, profileHandlers, type ProfileService } from '../profiles/service';
import { sessionHandler } from '../profiles/session';
import type { CallContext, EngineApi, EventListener, Handlers } from './types';
import { withTimeout } from './health/probe';
import { vectorSettingsOf } from './vectors/config';
import { startEmbeddedWorkers } from './workers';
import type { SecretKey } from '../../shared/lib/secret-box';
import { createTopology } from '../../shared/queue/topology';
import type { Stage, TopologySettings } from '../../shared/worker-protocol/protocol';
import type { WorkerEntry } from '../supervisor/entries';

export interface Engine extends EngineApi {
  readonly config: EngineConfig;
  readonly version: string;
  /** The open `.sluice` bundles (options.bundles, or this engine's own). */
  readonly bundles: BundleStore;
  /** The run coordinator (null without Postgres, or when options.jobs is false). */
  readonly coordinator: JobCoordinator | null;
  /** Where Prometheus metrics are served (`metricsPort`), or null. */
  readonly metricsUrl: string | null;
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
  /** Serve Prometheus metrics on this loopback port (`sluice serve --metrics-port`); default none. */
  readonly metricsPort?: number | null;
  /** Who owns the connection profiles: the desktop host; default: this config, read-only (`sluice serve`). */
  readonly profiles?: ProfileService;
  /** The open raw bundles, when they must outlive this engine (the desktop's profile switch); default: a new store. */
  readonly bundles?: BundleStore;
  /** The desktop's native dialog for `bundle.pick`; absent headless. */
  readonly pickBundleFile?: () => Promise<string | null>;
}

/**
 * The electron-free engine: API handlers, push events and (later) the scheduler, run coordinator
 * and worker supervisor. The desktop app and `sluice serve` both run exactly this.
 */
export const createEngine = async (config: EngineConfig, options: EngineOptions): Promise<Engine> => {
  const { logger } = options;
  const hub = new EventHub();
  // Read-only calls go to the replica when there is one (the pool routes them); everything else to the primary.
  const db = config.databaseUrl
    ? createDatabasePools(config.databaseUrl, config.databaseReplicaUrl, { onReplicaChange: () => hub.publish('session.changed', { reason: 'replica', at: new Date().toISOString() }) })
    : null;
  const pool: pg.Pool | null = db?.pool ?? null;
  const profiles = options.profiles ?? headlessProfiles(profileFromConfig(config));
  const health = new HealthMonitor(config, hub, { mode: options.mode, engineVersion: version, intervalMs: config.healthIntervalMs });
  health.start();
  const feed = pool ? new ProgressFeed(pool, hub, { logger, redisUrl: config.redisUrl, keyPrefix: options.topology?.prefix ?? '', vectorsEnabled: vectorSettingsOf(config) !== null }) : null;
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

  const notifier = pool ? new RunNotifier(pool, hub, logger.child({ component: 'notify' })) : null;
  const topologySettings = options.topology ?? { prefix: '' };
  const management = config.rabbitmqManagementUrl ? createManagementClient(config.rabbitmqManagementUrl) : null;
  const queuesStatus = () => readQueuesStatus(createTopology({ prefix: topologySettings.prefix }), management);
  let metrics: MetricsServer | null = null;
  if (options.metricsPort) {
    const registry = createMetricsRegistry({
      pools: () => {
        const e = workers.status();
        return e.state === 'running' && e.hostId ? [{ hostId: e.hostId, pools: e.pools }] : [];
      },
      queues: management ? queuesStatus : null,
      db: pool,
    });
    try {
      metrics = await startMetricsServer(registry, options.metricsPort);
    } catch (error) {
      // A taken port stops the start: undo what already runs so nothing is left behind.
      health.stop();
      await coordinator?.stop();
      await workers.stop(5_000);
      await feed?.close();
      await notifier?.close();
      await db?.end().catch(() => undefined);
      throw error;
    }
    logger.info({ url: metrics.url }, 'Prometheus metrics served');
  }

  const bundles = options.bundles ?? new BundleStore();
  // A bundle the OS or the CLI opened: every console is told, and asks bundle.list to show it.
  const stopReveal = bundles.onReveal((bundleId) => hub.publish('bundle.opened', { bundleId, at: new Date().toISOString() }));

  const handlers: Handlers = {
    'system.health': () => health.report(),
    ...tenantHandlers(pool),
    ...integrationHandlers({ pool, tasks, secretKey: key }),
    ...mappingHandlers({
      pool,
      tasks,
      secretKey: key,
      vectorsEnabled: vectorSettingsOf(config) !== null,
      onVectorsError: (error, scope) =>
        logger.warn({ err: error, tenantId: scope.tenantId, integrationId: scope.integrationId }, 'Mappings saved, but their vectorize job could not be queued; use "Re-embed missing" on the Vectors screen'),
    }),
    ...workerHandlers({ config, embedded: workers }),
    ...jobHandlers({ pool, feed }),
    ...runHandlers({ pool, feed }),
    ...runInsightHandlers({ pool }),
    ...queueHandlers({ rabbitmqUrl: config.rabbitmqUrl, managementUrl: config.rabbitmqManagementUrl, topology: topologySettings, tasks, management }),
    'metrics.info': async () =>
      metrics
        ? { enabled: true, url: metrics.url, note: `Prometheus can scrape ${metrics.url} (loopback only).` }
        : { enabled: false, url: null, note: `Metrics are off: start \`sluice serve\` with --metrics-port 9464 (or SLUICE_METRICS_PORT=9464) to serve them on ${METRICS_HOST}.` },
    ...vectorHandlers({ pool, tasks, vectors: vectorSettingsOf(config) }),
    ...rawHandlers({ pool, tasks, databaseUrl: config.databaseUrl, cachePath: join(config.home, 'cache', 'raw-cache.sqlite'), logger }),
    ...bundleHandlers({ store: bundles, pool, tasks, databaseUrl: config.databaseUrl, pickFile: options.pickBundleFile ?? null }),
    ...profileHandlers(profiles),
    'session.info': sessionHandler(profiles, () => db?.replicaState() ?? { state: 'none', target: null, message: null }),
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
    bundles,
    metricsUrl: metrics?.url ?? null,
    close: async () => {
      stopReveal();
      health.stop();
      // Each part in turn; one that is slow to stop is named in the log, so a hung stop says where it hangs.
      await stopping(logger, 'metrics', () => metrics?.close());
      await stopping(logger, 'run notifier', () => notifier?.close());
      await stopping(logger, 'job coordinator', () => coordinator?.stop());
      await stopping(logger, 'worker pools', () => workers.stop(10_000));
      await stopping(logger, 'progress feed', () => feed?.close());
      // A connection still checked out would hold `end` for ever: the process is stopping anyway.
      await stopping(logger, 'database pools', () => db?.end().catch(() => undefined), 5_000);
      logger.info('engine stopped');
    },
  };
};

/**
 * Runs one part of the engine's stop; warns when it takes over 5 s, and gives up waiting after
 * `giveUpMs` (when set) with an error in the log rather than a stop that never ends.
 */
const stopping = async (logger: pino.Logger, part: string, stop: () => Promise<unknown> | undefined, giveUpMs?: number): Promise<void> => {
  const slow = setTimeout(() => logger.warn({ part }, `the engine's ${part} is slow to stop`), 5_000);
  slow.unref();
  try {
    const stopped = Promise.resolve(stop());
    if (giveUpMs === undefined) await stopped;
    else await withTimeout(stopped, giveUpMs, `the engine's ${part}`).catch((error: unknown) => logger.error({ part, err: error }, `the engine's ${part} did not stop; stopping without it`));
  } finally {
    clearTimeout(slow);
  }
};
