import { hostname } from 'node:os';

import { Option } from 'commander';

import { loadConfig } from '../../engine/config';
import { createLogger } from '../../engine/logger';
import { MetricsConfigError, metricsPortFrom } from '../../engine/metrics/config';
import { createMetricsRegistry } from '../../engine/metrics/registry';
import { startMetricsServer, type MetricsServer } from '../../engine/metrics/server';
import { listenForPoolCommands, type PoolCommandListener } from '../../engine/pool-control/redis';
import { createManagementClient } from '../../engine/queues/management';
import { readQueuesStatus } from '../../engine/queues/status';
import { vectorSettingsOf } from '../../engine/vectors/config';
import { workerSecretKey } from '../../engine/workers';
import { createTopology } from '../../../shared/queue/topology';
import { builtWorkerEntries, type WorkerEntry } from '../../supervisor/entries';
import { describePools } from '../../supervisor/health';
import { startHostHeartbeat, type HostHeartbeatHandle } from '../../supervisor/hosts';
import type { SupervisorLogger } from '../../supervisor/logger';
import { Supervisor, type SupervisorSettings } from '../../supervisor/supervisor';
import { Stage, type TopologySettings } from '../../../shared/worker-protocol/protocol';
import { CliError, type RegisterCommand } from '../command';
import { untilSignal } from '../console';
import { withLocalStack } from '../endpoints';
import { applyProfileFile } from '../../profiles/profile-file';

/**
 * `sluice worker`: the engine's worker pools without a console, on any host that reaches the same
 * RabbitMQ (and Postgres/Redis). Scale out by starting more of them. With REDIS_URL set the host
 * heartbeats in Redis so consoles list it (and notice when it is lost).
 */

export interface WorkerHostOptions {
  readonly rabbitmqUrl: string;
  readonly databaseUrl?: string | null;
  readonly redisUrl?: string | null;
  readonly stages: readonly Stage[];
  /** Threads per stage. */
  readonly concurrency: number;
  readonly prefetch?: number;
  readonly hostId?: string;
  readonly entries: (stage: Stage) => WorkerEntry;
  readonly logger: SupervisorLogger;
  readonly topology?: TopologySettings;
  readonly handlers?: SupervisorSettings['handlers'];
  readonly secretKeys?: SupervisorSettings['secretKeys'];
  /** Qdrant and the embedder (QDRANT_URL set): the vectorize stage embeds, load publishes its jobs. */
  readonly vectors?: SupervisorSettings['vectors'];
  readonly heartbeat?: { readonly intervalMs?: number; readonly ttlMs?: number; readonly namespace?: string };
  /** How often pool health is logged at info level. */
  readonly healthLogIntervalMs?: number;
  /** Prometheus metrics of this host's pools (and queue depths with `managementUrl`) on this loopback port. */
  readonly metricsPort?: number | null;
  readonly managementUrl?: string | null;
}

export interface RunningWorkerHost {
  readonly hostId: string;
  readonly supervisor: Supervisor;
  /** Where this host serves Prometheus metrics, or null. */
  readonly metricsUrl: string | null;
  /** Logs every pool's health (also done every `healthLogIntervalMs`, and on SIGUSR2 by the command). */
  logHealth(): void;
  /** Drains the pools within `graceMs`, then deletes the heartbeat. */
  stop(graceMs?: number): Promise<void>;
}

export const defaultHostId = (): string => `${hostname()}-${process.pid}`;

export const startWorkerHost = async (options: WorkerHostOptions): Promise<RunningWorkerHost> => {
  const hostId = options.hostId ?? defaultHostId();
  const started = new Date().toISOString();
  const counts = Object.fromEntries(options.stages.map((s) => [s, options.concurrency])) as Partial<Record<Stage, number>>;
  const supervisor = new Supervisor({
    entries: options.entries,
    counts,
    logger: options.logger,
    settings: {
      hostId,
      rabbitmqUrl: options.rabbitmqUrl,
      databaseUrl: options.databaseUrl ?? null,
      redisUrl: options.redisUrl ?? null,
      ...(options.topology ? { topology: options.topology } : {}),
      ...(options.prefetch !== undefined ? { prefetch: options.prefetch } : {}),
      // The real stage handlers unless a test asks for others; vectorize embeds only with Qdrant configured.
      handlers: options.handlers ?? { extract: 'pipeline', transform: 'pipeline', load: 'pipeline', vectorize: options.vectors ? 'vectorize' : 'noop' },
      ...(options.secretKeys ? { secretKeys: options.secretKeys } : {}),
      ...(options.vectors ? { vectors: options.vectors } : {}),
    },
  });
  const logHealth = (): void => {
    const pools = supervisor.pools();
    options.logger.info({ hostId, pools }, `pool health: ${describePools(pools)}`);
  };

  let heartbeat: HostHeartbeatHandle | null = null;
  if (options.redisUrl) {
    heartbeat = await startHostHeartbeat({
      redisUrl: options.redisUrl,
      hostId,
      ...options.heartbeat,
      snapshot: () => ({ hostId, host: hostname(), pid: process.pid, started, at: new Date().toISOString(), stages: [...options.stages], pools: supervisor.pools() }),
      onError: (error) => options.logger.warn({ hostId, error: error.message }, 'host heartbeat failed; retrying at the next beat'),
    });
  }
  supervisor.start();
  // Consoles scale and restart this host's pools through Redis (main/engine/pool-control).
  let control: PoolCommandListener | null = null;
  let metrics: MetricsServer | null = null;
  try {
    if (options.redisUrl) {
      control = await listenForPoolCommands({
        redisUrl: options.redisUrl,
        hostId,
        pools: supervisor,
        ...(options.heartbeat?.namespace ? { namespace: options.heartbeat.namespace } : {}),
        onCommand: (command, outcome) => options.logger.info({ hostId, action: command.action, stage: command.stage, threads: command.threads, outcome }, 'pool command from a console'),
      });
    }
    if (options.metricsPort) {
      const management = options.managementUrl ? createManagementClient(options.managementUrl) : null;
      const topology = createTopology({ prefix: options.topology?.prefix ?? '' });
      metrics = await startMetricsServer(createMetricsRegistry({ pools: () => [{ hostId, pools: supervisor.pools() }], queues: management ? () => readQueuesStatus(topology, management) : null }), options.metricsPort);
    }
  } catch (error) {
    await control?.stop();
    await supervisor.stop(5_000);
    await heartbeat?.stop();
    throw error;
  }
  const healthTimer = setInterval(logHealth, options.healthLogIntervalMs ?? 60_000);
  healthTimer.unref();
  return {
    hostId,
    supervisor,
    metricsUrl: metrics?.url ?? null,
    logHealth,
    stop: async (graceMs) => {
      clearInterval(healthTimer);
      await metrics?.close();
      await control?.stop();
      await supervisor.stop(graceMs);
      await heartbeat?.stop();
    },
  };
};

/** `extract,transform` → stages; an unknown name is a usage error. */
export const parseStages = (value: string): Stage[] => {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !Stage.safeParse(n).success);
  if (names.length === 0 || unknown.length > 0) {
    throw new CliError(`Unknown stage${unknown.length === 1 ? '' : 's'} "${unknown.join(', ')}" in --stages; use a comma-separated list of ${Stage.options.join(', ')}.`, 2);
  }
  return [...new Set(names as Stage[])];
};

const positiveInt = (flag: string) => (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${flag} must be a positive integer, got "${value}".`, 2);
  return n;
};

export const register: RegisterCommand = (program) => {
  program
    .command('worker')
    .description('run worker pools headless against RABBITMQ_URL (scale out by starting more hosts)')
    .addOption(new Option('--stages <list>', 'stages to run, comma-separated').default(Stage.options.join(',')))
    .addOption(new Option('--concurrency <n>', 'threads per stage').default(1).argParser(positiveInt('--concurrency')))
    .addOption(new Option('--prefetch <n>', 'messages each thread works on at once').argParser(positiveInt('--prefetch')))
    .addOption(new Option('--host-id <id>', 'name of this host in heartbeats (default <hostname>-<pid>)'))
    .addOption(new Option('--queue-prefix <prefix>', 'RabbitMQ namespace prefix (to share one broker between environments)'))
    .addOption(new Option('--grace <ms>', 'how long SIGINT/SIGTERM waits for in-flight messages').default(30_000).argParser(positiveInt('--grace')))
    .addOption(new Option('--metrics-port <port>', 'serve Prometheus metrics on 127.0.0.1:<port>/metrics (default: SLUICE_METRICS_PORT, else off)'))
    .addOption(new Option('--profile <file>', 'connection profile JSON (owner-only, chmod 600) with the service URLs and credentials; overrides the environment'))
    .action(async (opts: { profile?: string; stages: string; concurrency: number; prefetch?: number; hostId?: string; queuePrefix?: string; grace: number; metricsPort?: string }) => {
      const stages = parseStages(opts.stages);
      let metricsPort: number | null;
      try {
        metricsPort = metricsPortFrom(process.env, opts.metricsPort);
      } catch (error) {
        if (error instanceof MetricsConfigError) throw new CliError(error.message, 2);
        throw error;
      }
      const config = await withLocalStack(applyProfileFile(loadConfig(), opts.profile));
      if (!config.rabbitmqUrl) {
        throw new CliError('RABBITMQ_URL is not set: point it at the RabbitMQ server of the pipeline (e.g. amqp://user:pass@host:5672), or run `sluice stack up` on this machine.', 2);
      }
      const logger = createLogger('worker');
      const host = await startWorkerHost({
        rabbitmqUrl: config.rabbitmqUrl,
        databaseUrl: config.databaseUrl,
        redisUrl: config.redisUrl,
        stages,
        concurrency: opts.concurrency,
        ...(opts.prefetch !== undefined ? { prefetch: opts.prefetch } : {}),
        ...(opts.hostId ? { hostId: opts.hostId } : {}),
        ...(opts.queuePrefix !== undefined ? { topology: { prefix: opts.queuePrefix } } : {}),
        secretKeys: [workerSecretKey(config)],
        vectors: vectorSettingsOf(config),
        entries: builtWorkerEntries(import.meta.url),
        logger,
        metricsPort,
        managementUrl: config.rabbitmqManagementUrl,
      });
      const onUsr2 = (): void => host.logHealth();
      process.on('SIGUSR2', onUsr2);
      const vectorsNote = config.qdrantUrl ? '' : ', no QDRANT_URL: vectors off';
      process.stderr.write(`sluice worker ${host.hostId}: ${stages.join(', ')} x${opts.concurrency}${config.redisUrl ? ', heartbeat in Redis' : ', no REDIS_URL: no host heartbeat'}${vectorsNote}${host.metricsUrl ? `, metrics on ${host.metricsUrl}` : ''} (SIGUSR2 prints pool health; Ctrl-C drains and stops)\n`);
      const signal = await untilSignal();
      logger.info({ signal, graceMs: opts.grace }, 'draining worker pools');
      process.off('SIGUSR2', onUsr2);
      await host.stop(opts.grace);
    });
};
