import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { normaliseSql, orderMigrations, type MigrationFile } from '../../shared/lib/migration-plan';

/**
 * The Postgres migrations are baked into the build (Vite inlines the SQL), so `sluice migrate`, the
 * packaged desktop app and a server install all carry exactly the schema they were built with, and
 * nothing has to find a folder at run time. `readMigrations(dir)` is for tests and tooling.
 */
const loadBundled = (): Record<string, string> => {
  try {
    return import.meta.glob('../../migrations/postgres/*.sql', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
  } catch {
    // Not bundled by Vite (code run from source through tsx, e.g. benchmark scripts): read the folder.
    const dir = fileURLToPath(new URL('../../migrations/postgres/', import.meta.url));
    return Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.sql')).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
  }
};
const bundled = loadBundled();

export const checksumOf = (sql: string): string => createHash('sha256').update(normaliseSql(sql)).digest('hex');

const toFiles = (entries: [string, string][]): MigrationFile[] =>
  orderMigrations(entries.map(([name, sql]) => ({ name, sql, checksum: checksumOf(sql) })));

export const bundledPostgresMigrations = (): MigrationFile[] => toFiles(Object.entries(bundled).map(([path, sql]) => [basename(path), sql]));

export const readMigrations = (dir: string): MigrationFile[] =>
  toFiles(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
