import pg from 'pg';

import { ApiError } from '../../../shared/contract/errors';

/**
 * The engine's Postgres pool. Idle-client errors (a restarted server) are swallowed here so they
 * do not crash the process; the next query gets a fresh connection or a clear `unavailable`.
 */
export const createPool = (url: string, max = 10): pg.Pool => {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30_000 });
  pool.on('error', () => undefined);
  // Checked-out clients have no pool listener: a server restart mid-query must fail that query, not crash the engine.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
};

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', '57P01', '57P03', '08006', '08001']);

/** Maps driver errors that mean "the database is not there" to an `unavailable` ApiError. */
export const asDatabaseError = (error: unknown): Error => {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if ((typeof code === 'string' && CONNECTION_CODES.has(code)) || /timeout exceeded when trying to connect|Connection terminated/i.test(message)) {
    return new ApiError('unavailable', `Postgres is unreachable (${message}). Check the System page, start it with \`sluice stack up\` or fix DATABASE_URL.`);
  }
  return error instanceof Error ? error : new Error(message);
};

/** The pool, or a clear error when Postgres is not configured. */
export const requirePool = (pool: pg.Pool | null): pg.Pool => {
  if (!pool) throw new ApiError('unavailable', 'Postgres is not configured: set DATABASE_URL or run `sluice start` to use the local stack.');
  return pool;
};
