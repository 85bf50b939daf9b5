import type pg from 'pg';

import { ApiError } from '../../../shared/contract/errors';
import type { Tenant } from '../../../shared/contract/tenants';
import { asDatabaseError, requirePool } from '../db/pool';
import type { Handlers } from '../types';

interface TenantRow {
  id: number;
  name: string;
  tier: Tenant['tier'];
  active: boolean;
  created_at: Date;
}

const COLUMNS = 'id, name, tier, active, created_at';
const toTenant = (r: TenantRow): Tenant => ({ id: r.id, name: r.name, tier: r.tier, active: r.active, createdAt: r.created_at.toISOString() });

/** A duplicate name (case-insensitive unique index) is the operator's to fix, at the name field. */
const asTenantError = (error: unknown, name: string | undefined): Error => {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  if (e?.code === '23505' && e.constraint === 'tenants_name_key') {
    return new ApiError('conflict', `A tenant named "${name ?? ''}" already exists (names ignore case); pick another name.`, [{ path: 'name', message: 'already used by another tenant' }]);
  }
  return asDatabaseError(error);
};

/**
 * Tenants are platform-level (admin) records: these calls run with the engine's role, not inside a
 * tenant scope. One statement each, so a failed call changes nothing.
 */
export const tenantHandlers = (pool: pg.Pool | null): Pick<Handlers, 'tenants.list' | 'tenants.create' | 'tenants.update'> => ({
  'tenants.list': async ({ includeInactive }) => {
    try {
      const res = await requirePool(pool).query<TenantRow>(
        `SELECT ${COLUMNS} FROM tenants
          WHERE $1::boolean OR active ORDER BY active DESC, lower(name)`,
        [includeInactive],
      );
      return { tenants: res.rows.map(toTenant) };
    } catch (error) {
      throw asDatabaseError(error);
    }
  },

  'tenants.create': async ({ name, tier }) => {
    try {
      const res = await requirePool(pool).query<TenantRow>(`INSERT INTO tenants (name, tier) VALUES ($1, $2) RETURNING ${COLUMNS}`, [name, tier]);
      return toTenant(res.rows[0]!);
    } catch (error) {
      throw asTenantError(error, name);
    }
  },

  'tenants.update': async ({ id, name, tier, active }) => {
    let res: pg.QueryResult<TenantRow>;
    try {
      res = await requirePool(pool).query<TenantRow>(
        `UPDATE tenants SET name = coalesce($2, name), tier = coalesce($3, tier), active = coalesce($4, active), updated_at = now()
          WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, name ?? null, tier ?? null, active ?? null],
      );
    } catch (error) {
      throw asTenantError(error, name);
    }
    const row = res.rows[0];
    if (!row) throw new ApiError('not_found', `Tenant ${id} does not exist (it may have been deleted); reload the list.`);
    return toTenant(row);
  },
});
