import type pg from 'pg';

import { ApiError } from '../../../shared/contract/errors';
import type { Integration, Provider } from '../../../shared/contract/integrations';

/** Run states that hold an integration: it cannot be deactivated or deleted while one exists. */
export const ACTIVE_RUN_STATES = ['queued', 'running', 'paused', 'rate_limited'] as const;

interface IntegrationRow {
  id: string;
  provider: Provider;
  name: string;
  base_url: string;
  settings: Record<string, unknown>;
  secret_hint: string | null;
  active: boolean;
  is_demo: boolean;
  active_runs: number;
  created_at: Date;
  updated_at: Date;
}

// Never `secret_sealed`: the tenant role cannot select it, and the console never gets it.
// The jobs table (later) will add its active jobs to active_runs.
const SELECT = `
  SELECT i.id, i.provider, i.name, i.base_url, i.settings, i.secret_hint, i.active, i.is_demo, i.created_at, i.updated_at,
         (SELECT count(*)::int FROM runs r
           WHERE r.integration_id = i.id AND r.tenant_id = i.tenant_id AND r.state IN (${ACTIVE_RUN_STATES.map((s) => `'${s}'`).join(', ')})) AS active_runs
    FROM integrations i`;

const toIntegration = (r: IntegrationRow): Integration => ({
  id: Number(r.id),
  provider: r.provider,
  name: r.name,
  baseUrl: r.base_url,
  settings: r.settings,
  hasSecret: r.secret_hint !== null,
  secretHint: r.secret_hint,
  active: r.active,
  isDemo: r.is_demo,
  activeRuns: r.active_runs,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export interface ListFilters {
  readonly provider: Provider | null;
  readonly active: boolean | null;
  readonly search: string;
}

/** The tenant's integrations (RLS scopes them; the client runs inside withTenant). */
export const listIntegrations = async (client: pg.PoolClient, f: ListFilters): Promise<Integration[]> => {
  const res = await client.query<IntegrationRow>(
    `${SELECT}
      WHERE ($1::text IS NULL OR i.provider = $1)
        AND ($2::boolean IS NULL OR i.active = $2)
        AND ($3 = '' OR strpos(lower(i.name), lower($3)) > 0 OR strpos(lower(i.base_url), lower($3)) > 0)
      ORDER BY lower(i.name), i.id`,
    [f.provider, f.active, f.search],
  );
  return res.rows.map(toIntegration);
};

/** One integration of the tenant, or a not_found that says what to do. `lock` holds it for the transaction. */
export const getIntegration = async (client: pg.PoolClient, id: number, lock = false): Promise<Integration> => {
  const res = await client.query<IntegrationRow>(`${SELECT} WHERE i.id = $1${lock ? ' FOR UPDATE OF i' : ''}`, [id]);
  const row = res.rows[0];
  if (!row) throw new ApiError('not_found', `Integration ${id} does not exist for this tenant (it may have been deleted); reload the list.`);
  return toIntegration(row);
};

/** Unique-name violations become a conflict shown at the name field. */
export const asIntegrationError = (error: unknown, name: string): unknown => {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  if (e?.code === '23505' && e.constraint === 'integrations_name_key') {
    return new ApiError('conflict', `An integration named "${name}" already exists for this tenant; pick another name.`, [
      { path: 'name', message: 'already used by another integration of this tenant' },
    ]);
  }
  return error;
};
