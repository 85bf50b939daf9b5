import type pg from 'pg';

import { ApiError } from '../../../shared/contract/errors';
import { asDatabaseError, requirePool } from '../db/pool';
import { withTenant } from '../db/tenant-scope';
import type { CallContext } from '../types';
import { asMappingError } from './errors';

/** The Jira integration a mapping call works on, checked to belong to the caller's tenant. */
export interface MappingScope {
  readonly tenantId: number;
  readonly integrationId: number;
  readonly integrationName: string;
}

export const tenantOf = (ctx: CallContext): number => {
  if (ctx.tenantId === null) throw new ApiError('bad_request', 'No tenant selected: pick a tenant in the header (mappings belong to a tenant and one of its Jira integrations).');
  return ctx.tenantId;
};

/** The integration, or an error that says what to pick instead. Runs inside the tenant scope (RLS). */
export const requireJiraIntegration = async (client: pg.PoolClient, tenantId: number, integrationId: number): Promise<MappingScope> => {
  const tenant = await client.query('SELECT 1 FROM tenants WHERE id = $1', [tenantId]);
  if (tenant.rowCount === 0) throw new ApiError('not_found', `Tenant ${tenantId} does not exist (it may have been deleted); pick another tenant in the header.`);
  const res = await client.query<{ name: string; provider: string }>('SELECT name, provider FROM integrations WHERE id = $1', [integrationId]);
  const row = res.rows[0];
  if (!row) {
    throw new ApiError('not_found', `Integration ${integrationId} does not exist for this tenant (it may have been deleted); pick a Jira integration at the top of the Mappings screen.`, [
      { path: 'integrationId', message: 'no such integration in this tenant' },
    ]);
  }
  if (row.provider !== 'jira') {
    throw new ApiError('bad_request', `"${row.name}" is a ${row.provider} integration; mappings (types, statuses, workflow, custom fields) exist only for Jira integrations.`, [
      { path: 'integrationId', message: 'must be a Jira integration' },
    ]);
  }
  return { tenantId, integrationId, integrationName: row.name };
};

/**
 * Runs `fn` for one Jira integration of the caller's tenant in one transaction, so a refused or failed
 * mutation changes nothing. Deferred constraints (the workflow's exactly-one-commitment-point trigger)
 * are checked before the handler returns, so their failure becomes the same clear error as any other.
 */
export const inIntegration = async <T>(pool: pg.Pool | null, ctx: CallContext, integrationId: number, fn: (client: pg.PoolClient, scope: MappingScope) => Promise<T>): Promise<T> => {
  const tenantId = tenantOf(ctx);
  try {
    return await withTenant(requirePool(pool), tenantId, async (client) => {
      const scope = await requireJiraIntegration(client, tenantId, integrationId);
      const result = await fn(client, scope);
      await client.query('SET CONSTRAINTS ALL IMMEDIATE');
      return result;
    });
  } catch (error) {
    throw asDatabaseError(asMappingError(error));
  }
};
