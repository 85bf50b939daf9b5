import type pg from 'pg';

/** The role that row-level security policies apply to (created by migration 0001). */
export const TENANT_ROLE = 'sluice_tenant';

/**
 * Runs `fn` in a transaction that can only see `tenantId`'s rows: it switches to the tenant role
 * (which is subject to row-level security even when the engine connects as the table owner) and sets
 * `sluice.tenant_id`, which every policy compares against. Both settings end with the transaction.
 */
export const withTenant = async <T>(pool: pg.Pool, tenantId: number, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
  if (!Number.isSafeInteger(tenantId) || tenantId <= 0) throw new Error(`invalid tenant id ${String(tenantId)}`);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SET LOCAL ROLE ${TENANT_ROLE}`);
    await client.query("SELECT set_config('sluice.tenant_id', $1, true)", [String(tenantId)]);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
};
