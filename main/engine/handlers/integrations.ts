import type pg from 'pg';

import type { MethodParsedInput } from '../../../shared/contract/api';
import { ApiError } from '../../../shared/contract/errors';
import type { SecretKey } from '../../../shared/lib/secret-box';
import { asDatabaseError, requirePool } from '../db/pool';
import { withTenant } from '../db/tenant-scope';
import { resolveConnection } from '../integrations/connection';
import { countDependents } from '../integrations/deletion';
import { asIntegrationError, getIntegration, listIntegrations } from '../integrations/rows';
import { writeSecret } from '../integrations/secrets';
import type { TaskRunner } from '../tasks';
import type { CallContext, Handlers } from '../types';

type IntegrationMethods =
  | 'integrations.list'
  | 'integrations.get'
  | 'integrations.create'
  | 'integrations.update'
  | 'integrations.setActive'
  | 'integrations.delete'
  | 'integrations.testConnection'
  | 'integrations.remoteProjects';

export interface IntegrationDeps {
  readonly pool: pg.Pool | null;
  readonly tasks: TaskRunner;
  /** The key that seals tokens; loaded on first use (it may create `<home>/secret.key`). */
  readonly secretKey: () => SecretKey;
}

const tenantOf = (ctx: CallContext): number => {
  if (ctx.tenantId === null) throw new ApiError('bad_request', 'No tenant selected: pick a tenant in the header (integrations belong to a tenant).');
  return ctx.tenantId;
};

/** Runs `fn` for the caller's tenant in one transaction: a failed mutation changes nothing. */
const scoped = async <T>(deps: IntegrationDeps, ctx: CallContext, fn: (client: pg.PoolClient, tenantId: number) => Promise<T>): Promise<T> => {
  const tenantId = tenantOf(ctx);
  try {
    return await withTenant(requirePool(deps.pool), tenantId, async (client) => {
      const tenant = await client.query('SELECT 1 FROM tenants WHERE id = $1', [tenantId]);
      if (tenant.rowCount === 0) throw new ApiError('not_found', `Tenant ${tenantId} does not exist (it may have been deleted); pick another tenant in the header.`);
      return fn(client, tenantId);
    });
  } catch (error) {
    throw asDatabaseError(error);
  }
};

/** The tenant first: a call without one is refused before anything else is looked at. */
const connectionFor = (deps: IntegrationDeps, ctx: CallContext, target: MethodParsedInput<'integrations.testConnection'>) => {
  const tenantId = tenantOf(ctx);
  return resolveConnection(requirePool(deps.pool), tenantId, target, deps.secretKey).catch((e: unknown) => {
    throw asDatabaseError(e);
  });
};

const activeRunsRefusal = (name: string, runs: number, action: string): ApiError =>
  new ApiError(
    'conflict',
    `"${name}" has ${runs} run${runs === 1 ? '' : 's'} in progress (queued, running, paused or rate limited), so it cannot be ${action}; let ${runs === 1 ? 'it' : 'them'} finish or cancel ${runs === 1 ? 'it' : 'them'} on the Jobs screen, then try again.`,
  );

export const integrationHandlers = (deps: IntegrationDeps): Pick<Handlers, IntegrationMethods> => ({
  'integrations.list': (filters, ctx) => scoped(deps, ctx, async (client) => ({ integrations: await listIntegrations(client, filters) })),

  'integrations.get': ({ id }, ctx) => scoped(deps, ctx, (client) => getIntegration(client, id)),

  'integrations.create': (input, ctx) =>
    scoped(deps, ctx, async (client, tenantId) => {
      try {
        const res = await client.query<{ id: string }>(
          `INSERT INTO integrations (tenant_id, provider, name, base_url, settings, active) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
          [tenantId, input.provider, input.name, input.baseUrl, JSON.stringify(input.settings), input.active],
        );
        const id = Number(res.rows[0]!.id);
        await writeSecret(client, tenantId, id, input.token, deps.secretKey());
        return await getIntegration(client, id);
      } catch (error) {
        throw asIntegrationError(error, input.name);
      }
    }),

  'integrations.update': (input, ctx) =>
    scoped(deps, ctx, async (client, tenantId) => {
      const current = await getIntegration(client, input.id, true);
      if (current.provider !== input.provider) {
        throw new ApiError('bad_request', `"${current.name}" is a ${current.provider} integration; its provider cannot change (create a new integration instead).`, [
          { path: 'provider', message: `must be ${current.provider}` },
        ]);
      }
      try {
        await client.query(`UPDATE integrations SET name = $2, base_url = $3, settings = $4, updated_at = now() WHERE id = $1`, [
          input.id,
          input.name,
          input.baseUrl,
          JSON.stringify(input.settings),
        ]);
        if (input.token) await writeSecret(client, tenantId, input.id, input.token, deps.secretKey());
        return await getIntegration(client, input.id);
      } catch (error) {
        throw asIntegrationError(error, input.name);
      }
    }),

  'integrations.setActive': ({ id, active }, ctx) =>
    scoped(deps, ctx, async (client) => {
      // FOR UPDATE: a run queued concurrently for this integration waits for our decision (and sees it).
      // The live runs are counted again after the lock: the locking statement's snapshot is from before
      // the wait, so it could miss a run that committed while we waited.
      const current = await getIntegration(client, id, true);
      if (current.active === active) return current;
      const live = (await getIntegration(client, id)).activeRuns;
      if (!active && live > 0) throw activeRunsRefusal(current.name, live, 'deactivated');
      try {
        await client.query('UPDATE integrations SET active = $2, updated_at = now() WHERE id = $1', [id, active]);
      } catch (error) {
        // The database guard (migration 0011) has the last word if a run still slipped in.
        if ((error as { code?: string }).code === '55006') throw activeRunsRefusal(current.name, 1, 'deactivated');
        throw error;
      }
      return getIntegration(client, id);
    }),

  'integrations.delete': ({ id, dryRun }, ctx) =>
    scoped(deps, ctx, async (client) => {
      const current = await getIntegration(client, id, true);
      const removes = await countDependents(client, id);
      if (dryRun) return { id, name: current.name, deleted: false, removes };
      // Deleting under a running run would pull its rows from under the workers (counted after the lock, as above).
      const live = (await getIntegration(client, id)).activeRuns;
      if (live > 0) throw activeRunsRefusal(current.name, live, 'deleted');
      // Runs, raw units, unified rows and everything else cascade from the integration by foreign key.
      await client.query('DELETE FROM integrations WHERE id = $1', [id]);
      return { id, name: current.name, deleted: true, removes };
    }),

  'integrations.testConnection': async (target, ctx) => {
    const started = Date.now();
    const connection = await connectionFor(deps, ctx, target);
    const { checks } = await deps.tasks.run('integration.test', { connection });
    return { ok: checks.every((c) => c.ok), checks, durationMs: Date.now() - started };
  },

  'integrations.remoteProjects': async (target, ctx) => {
    const connection = await connectionFor(deps, ctx, target);
    if (connection.provider !== 'jira') throw new ApiError('bad_request', 'Only Jira integrations have a remote project list.', [{ path: 'provider', message: 'must be jira' }]);
    try {
      return await deps.tasks.run('jira.projects', { connection });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'unavailable') {
        throw new ApiError('unavailable', `Could not list the Jira projects: ${error.message}. Type the project keys by hand, or fix the connection and try again.`);
      }
      throw error;
    }
  },
});
