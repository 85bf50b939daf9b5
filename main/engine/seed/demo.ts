import type pg from 'pg';

export const DEMO_TENANT_NAME = 'Demo';

/**
 * The Demo tenant that `sluice start` shows a new user. Created once; an operator who renames or
 * deactivates it is not overridden. Real tenants are created beside it, never mixed into it.
 */
export const ensureDemoTenant = async (pool: pg.Pool): Promise<{ id: number; created: boolean }> => {
  const inserted = await pool.query<{ id: number }>(
    `INSERT INTO tenants (name, tier) VALUES ($1, 'premium') ON CONFLICT ((lower(name))) DO NOTHING RETURNING id`,
    [DEMO_TENANT_NAME],
  );
  const row = inserted.rows[0];
  if (row) return { id: row.id, created: true };
  const existing = await pool.query<{ id: number }>('SELECT id FROM tenants WHERE lower(name) = lower($1)', [DEMO_TENANT_NAME]);
  return { id: existing.rows[0]?.id ?? 0, created: false };
};
