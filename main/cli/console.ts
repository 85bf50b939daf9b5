import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type pino from 'pino';

import type { EngineConfig } from '../engine/config';
import { createEngine, type Engine } from '../engine/engine';
import { migratePostgres } from '../migrate/postgres';
import { startHttpServer, type RunningServer } from '../server/http';
import { loadOrCreateServeToken } from '../server/token';
import { builtWorkerEntries } from '../supervisor/entries';

/** The built renderer next to the built CLI (out/main/cli.js → out/renderer), or the repo's out/ when run from source. */
export const rendererDir = (): string | null => {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', 'renderer'), join(here, '..', '..', 'out', 'renderer'), join(here, '..', '..', '..', 'out', 'renderer')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
};

export interface HeadlessConsole {
  readonly engine: Engine;
  readonly server: RunningServer;
  close(): Promise<void>;
}

/**
 * Engine + HTTP/WebSocket API + renderer on loopback. Migrations run first when Postgres answers;
 * when it does not, the console still starts (the System page shows why) instead of refusing.
 */
export const startHeadlessConsole = async (
  config: EngineConfig,
  options: {
    logger: pino.Logger;
    migrate: boolean;
    mode?: 'desktop' | 'headless';
    /** Prometheus metrics on this loopback port (null: off). */
    metricsPort?: number | null;
    /** RabbitMQ/Redis namespace prefix of the embedded workers (like `sluice worker --queue-prefix`). */
    queuePrefix?: string;
  },
): Promise<HeadlessConsole> => {
  if (options.migrate && config.databaseUrl) {
    try {
      const result = await migratePostgres(config.databaseUrl);
      if (result.applied.length) options.logger.info({ applied: result.applied.map((a) => a.name) }, 'migrations applied');
    } catch (error) {
      options.logger.warn({ err: error }, 'migrations not applied; run `sluice migrate` once Postgres is reachable');
    }
  }
  const { token } = loadOrCreateServeToken(config.home, config.serve.token);
  const engine = await createEngine(config, {
    mode: options.mode ?? 'headless',
    logger: options.logger,
    workerEntries: builtWorkerEntries(import.meta.url),
    ...(options.metricsPort ? { metricsPort: options.metricsPort } : {}),
    ...(options.queuePrefix ? { topology: { prefix: options.queuePrefix } } : {}),
  });
  try {
    const server = await startHttpServer(engine, { host: config.serve.host, port: config.serve.port, token, usersFile: config.usersFile, publicHosts: config.serve.publicHosts ?? [], rendererDir: rendererDir(), logger: options.logger, bundles: engine.bundles });
    return {
      engine,
      server,
      close: async () => {
        await server.close();
        await engine.close();
      },
    };
  } catch (error) {
    await engine.close();
    const code = (error as { code?: unknown }).code;
    if (code === 'EADDRINUSE') throw new Error(`Port ${config.serve.port} is in use: pick another with --port or SLUICE_PORT.`);
    throw error;
  }
};

/** Resolves when the process is asked to stop (Ctrl-C, service manager). */
export const untilSignal = (): Promise<NodeJS.Signals> =>
  new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => resolve(signal);
    process.once('SIGINT', on);
    process.once('SIGTERM', on);
  });
