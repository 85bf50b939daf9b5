import type pg from 'pg';

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

export const tenantHandlers = (pool: pg.Pool | null): Pick<Handlers, 'tenants.list'> => ({
  'tenants.list': async ({ includeInactive }) => {
    try {
      const res = await requirePool(pool).query<TenantRow>(
        `SELECT id, name, tier, active, created_at FROM tenants
          WHERE $1::boolean OR active ORDER BY active DESC, lower(name)`,
        [includeInactive],
      );
      return { tenants: res.rows.map((r) => ({ id: r.id, name: r.name, tier: r.tier, active: r.active, createdAt: r.created_at.toISOString() })) };
    } catch (error) {
      throw asDatabaseError(error);
    }
  },
});
