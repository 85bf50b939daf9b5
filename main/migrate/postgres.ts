import pg from 'pg';

import { planMigrations, type MigrationFile } from '../../shared/lib/migration-plan';
import { bundledPostgresMigrations, readMigrations } from './files';

export interface MigrationResult {
  readonly applied: { name: string; durationMs: number }[];
  readonly alreadyApplied: number;
}

/** Any constant works; it only has to be the same for every Sluice process on the database. */
const LOCK_KEY = 0x51_1c_e0_01;

/**
 * Applies pending migrations in order, each in its own transaction, under a session advisory lock
 * so two engines starting together never migrate at once (the second waits, then finds nothing to do).
 */
export const migratePostgres = async (
  databaseUrl: string,
  options: { dir?: string; log?: (line: string) => void } = {},
): Promise<MigrationResult> => {
  const files = options.dir ? readMigrations(options.dir) : bundledPostgresMigrations();
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS sluice_migrations (
      name text PRIMARY KEY, checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(), duration_ms integer NOT NULL)`);
    const applied = (await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM sluice_migrations')).rows;
    const pending = planMigrations(files, applied);
    const done: MigrationResult['applied'] = [];
    for (const file of pending) {
      done.push(await applyOne(client, file));
      options.log?.(`applied ${file.name} in ${done.at(-1)?.durationMs ?? 0} ms`);
    }
    return { applied: done, alreadyApplied: applied.length };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
};

const applyOne = async (client: pg.Client, file: MigrationFile): Promise<{ name: string; durationMs: number }> => {
  const started = performance.now();
  await client.query('BEGIN');
  try {
    await client.query(file.sql);
    const durationMs = Math.round(performance.now() - started);
    await client.query('INSERT INTO sluice_migrations (name, checksum, duration_ms) VALUES ($1, $2, $3)', [file.name, file.checksum, durationMs]);
    await client.query('COMMIT');
    return { name: file.name, durationMs };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`Migration ${file.name} failed and was rolled back: ${message}`);
  }
};
