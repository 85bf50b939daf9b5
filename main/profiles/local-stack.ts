import type pino from 'pino';

import { migratePostgres } from '../migrate/postgres';
import { stackDown, stackStatus, stackUp } from '../stack/stack';
import type { LocalStack } from './host';

/** The embedded local stack (main/stack) as the host uses it for `local` profiles. */
export const embeddedLocalStack = (logger: pino.Logger): LocalStack => {
  const log = (line: string): void => logger.info({ component: 'stack' }, line);
  return {
    up: async (home) => {
      const before = await stackStatus({ home, env: {} });
      const status = await stackUp({ home, log, env: {} });
      if (!status.endpoints) throw new Error('the local stack started but reported no endpoints; run `sluice stack status` to see why.');
      const wasRunning = new Set(before.services.filter((s) => s.state === 'running').map((s) => s.name));
      return { endpoints: status.endpoints, startedNow: status.services.some((s) => s.state === 'running' && !wasRunning.has(s.name)) };
    },
    status: async (home) => {
      const status = await stackStatus({ home, env: {} });
      return status.services.every((s) => s.state === 'running') ? status.endpoints : null;
    },
    down: async (home) => {
      await stackDown({ home, log, env: {} });
    },
  };
};

/**
 * Applies pending migrations before the engine starts, like `sluice serve` does. A database user
 * without DDL rights (a read-only desktop on production) only gets a warning: the platform's
 * servers own its schema.
 */
export const migrateOrWarn = (logger: pino.Logger) => async (databaseUrl: string): Promise<void> => {
  try {
    const result = await migratePostgres(databaseUrl);
    if (result.applied.length) logger.info({ applied: result.applied.map((a) => a.name) }, 'migrations applied');
  } catch (error) {
    logger.warn({ err: error }, 'migrations not applied; run `sluice migrate` once Postgres is reachable with a user that may change the schema');
  }
};
