import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import pg from 'pg';

import { loadConfig, type EngineConfig } from '../../engine/config';
import { createLogger } from '../../engine/logger';
import { withTenant } from '../../engine/db/tenant-scope';
import { ensureDemoIntegrations, ensureDemoTenant } from '../../engine/seed/demo';
import { loadOrCreateSecretKey } from '../../engine/secrets/key';
import { queueReembed } from '../../engine/vectors/reembed';
import { migratePostgres } from '../../migrate/postgres';
import { startDemoSimulators } from '../../../simulators';
import { MAPPING_ENTITIES } from '../../../shared/vectors/entities';
import { stackDown, stackStatus, stackUp } from '../../stack/stack';
import { CliError, type RegisterCommand } from '../command';
import { startHeadlessConsole, untilSignal } from '../console';
import { findElectron, runElectron } from '../desktop';
import { startLocalQdrant } from '../local-qdrant';

const appRoot = (): string => join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const register: RegisterCommand = (program) => {
  program
    .command('start')
    .description('local stack up, migrate, demo data, then the desktop app (or `sluice serve` where Electron cannot start)')
    .option('--port <port>', 'console port when headless (default 7420, 0 = any free port)', (v) => Number(v))
    .option('--headless', 'do not try the desktop app')
    .option('--keep-stack', 'leave the local stack running on exit')
    .action(async (opts: { port?: number; headless?: boolean; keepStack?: boolean }) => {
      const logger = createLogger('start');
      const base = loadConfig();
      const log = (line: string) => process.stderr.write(`${line}\n`);

      const before = await stackStatus({ home: base.home });
      const wasRunning = before.services.some((s) => s.state === 'running');
      const stack = await stackUp({ home: base.home, log });
      const e = stack.endpoints;
      if (!e) throw new CliError('The local stack did not report its endpoints; run `sluice stack status` to see what is wrong.');
      let config: EngineConfig = {
        ...base,
        databaseUrl: base.databaseUrl ?? e.databaseUrl,
        rabbitmqUrl: base.rabbitmqUrl ?? e.rabbitmqUrl,
        rabbitmqManagementUrl: base.rabbitmqManagementUrl ?? (base.rabbitmqUrl ? null : e.rabbitmqManagementUrl),
        redisUrl: base.redisUrl ?? e.redisUrl,
        serve: { ...base.serve, port: opts.port ?? base.serve.port },
      };
      const stopStack = async () => {
        if (opts.keepStack || wasRunning) return;
        log('Stopping the local stack (use --keep-stack to leave it running)…');
        await stackDown({ home: base.home, log });
      };

      let stopSims: () => Promise<void> = async () => undefined;
      let stopQdrant: () => Promise<void> = async () => undefined;
      try {
        const databaseUrl = config.databaseUrl ?? '';
        const migrated = await migratePostgres(databaseUrl);
        if (migrated.applied.length) log(`Applied ${migrated.applied.length} migration(s).`);
        // No Qdrant configured: the demo embeds into the local contract double (the console says so).
        if (!config.qdrantUrl) {
          const local = await startLocalQdrant(config, log);
          config = local.config;
          stopQdrant = () => local.stop();
        }
        // The demo world: Jira and GitHub simulators sharing one generated world (no accounts anywhere),
        // and the Demo tenant with one integration for each, pointing at them.
        const sims = await startDemoSimulators({});
        stopSims = () => sims.stop();
        log(`Demo Jira simulator on ${sims.jira.url}, GitHub simulator on ${sims.github.url}.`);
        const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
        try {
          const demo = await ensureDemoTenant(pool);
          if (demo.created) log('Created the Demo tenant.');
          const key = loadOrCreateSecretKey(config.home, config.secretKey);
          const sources = { jiraUrl: sims.jira.url, githubUrl: sims.github.url, token: sims.token, organization: sims.world.meta.organization };
          const integrations = await ensureDemoIntegrations(pool, demo.id, sources, key);
          if (integrations.created.length) log(`Created the Demo integrations: ${integrations.created.join(', ')}.`);
          // Their default mappings were seeded in SQL, not on the hub, and after the local Qdrant queued its catch-up: embed them too.
          if (integrations.created.length && config.qdrantUrl) {
            for (const entity of MAPPING_ENTITIES) await withTenant(pool, demo.id, (client) => queueReembed(client, { tenantId: demo.id, entity, scope: 'missing', integrationId: null }));
          }
          if (integrations.jobs.length) log(`Created the Demo jobs: ${integrations.jobs.join(', ')} (every 60 minutes; Run now on the Jobs screen).`);
        } finally {
          await pool.end();
        }

        const electron = opts.headless ? { reason: '--headless' } : findElectron();
        if ('path' in electron) {
          log('Opening the desktop app…');
          const env = {
            ...process.env,
            DATABASE_URL: config.databaseUrl ?? '',
            RABBITMQ_URL: config.rabbitmqUrl ?? '',
            RABBITMQ_MANAGEMENT_URL: config.rabbitmqManagementUrl ?? '',
            REDIS_URL: config.redisUrl ?? '',
            QDRANT_URL: config.qdrantUrl ?? '',
            SLUICE_QDRANT_PREFIX: config.vectors.collectionPrefix,
          };
          await runElectron(electron.path, appRoot(), env);
        } else {
          log(`Desktop app not started: ${electron.reason}. Serving the console in the browser instead.`);
          const console_ = await startHeadlessConsole(config, { logger, migrate: false });
          process.stdout.write(`${console_.server.loginUrl}\n`);
          log(`Sluice console on ${console_.server.url}: open the URL above. Ctrl-C stops the console${opts.keepStack || wasRunning ? '' : ' and the local stack'}.`);
          await untilSignal();
          await console_.close();
        }
      } finally {
        await stopSims();
        await stopQdrant();
        await stopStack();
      }
    });
};
