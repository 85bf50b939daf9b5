import type pg from 'pg';

import { ApiError } from '../../../shared/contract/errors';
import { open, seal, SecretBoxError, type SecretKey } from '../../../shared/lib/secret-box';
import { TENANT_ROLE } from '../db/tenant-scope';
import { secretHint } from '../seed/demo';

/** The sealing context: a sealed value copied to another row does not open. */
const contextOf = (id: number): string => `integration:${id}`;

/**
 * Stores a new token for an integration, inside the caller's tenant transaction. The tenant role may
 * not touch the sealed column (migration 0003), so this one statement runs as the engine's own role,
 * filtered by tenant explicitly, and the tenant role is restored before anything else runs; a failure
 * later in the transaction still rolls the token back with everything else.
 */
export const writeSecret = async (client: pg.PoolClient, tenantId: number, id: number, token: string, key: SecretKey): Promise<void> => {
  const sealed = await seal(key, token, contextOf(id));
  await client.query('RESET ROLE');
  try {
    const res = await client.query('UPDATE integrations SET secret_sealed = $3, secret_hint = $4, updated_at = now() WHERE id = $1 AND tenant_id = $2', [
      id,
      tenantId,
      sealed,
      secretHint(token),
    ]);
    if (res.rowCount !== 1) throw new ApiError('not_found', `Integration ${id} does not exist for this tenant; reload the list.`);
  } finally {
    await client.query(`SET LOCAL ROLE ${TENANT_ROLE}`);
  }
};

/**
 * The plain token of a saved integration, for a task thread that calls the provider API. Read with
 * the engine's role (the tenant role cannot select the sealed column), filtered by tenant.
 */
export const readToken = async (pool: pg.Pool, tenantId: number, id: number, key: SecretKey, name: string): Promise<string> => {
  const res = await pool.query<{ secret_sealed: string | null }>('SELECT secret_sealed FROM integrations WHERE id = $1 AND tenant_id = $2', [id, tenantId]);
  const row = res.rows[0];
  if (!row) throw new ApiError('not_found', `Integration ${id} does not exist for this tenant; reload the list.`);
  if (!row.secret_sealed) throw new ApiError('bad_request', `No token is stored for "${name}": enter one in the form and save.`, [{ path: 'token', message: 'no token stored yet' }]);
  try {
    return await open([key], row.secret_sealed, contextOf(id));
  } catch (error) {
    if (error instanceof SecretBoxError) throw new ApiError('bad_request', `The stored token of "${name}" cannot be opened: ${error.message}`, [{ path: 'token', message: 'enter the token again' }]);
    throw error;
  }
};
