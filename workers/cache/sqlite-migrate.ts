import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type Database from 'better-sqlite3';

import { normaliseSql, orderMigrations, planMigrations, type MigrationFile } from '../../shared/lib/migration-plan';

/** Baked into the build like the Postgres migrations; the cache owner migrates its own file on open. */
const loadBundled = (): Record<string, string> => {
  try {
    return import.meta.glob('../../migrations/sqlite/*.sql', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
  } catch {
    // Not bundled by Vite (code run from source through tsx: worker threads in tests, scripts): read the folder.
    const dir = fileURLToPath(new URL('../../migrations/sqlite/', import.meta.url));
    return Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.sql')).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
  }
};
const bundled = loadBundled();

export const bundledSqliteMigrations = (): MigrationFile[] =>
  orderMigrations(
    Object.entries(bundled).map(([path, sql]) => ({
      name: basename(path),
      sql,
      checksum: createHash('sha256').update(normaliseSql(sql)).digest('hex'),
    })),
  );

/**
 * Applies pending SQLite migrations, each in one transaction. SQLite has no advisory locks; the
 * write lock taken by `BEGIN IMMEDIATE` serialises two processes (or worker threads) opening the same
 * cache file. The applied list is re-read inside that lock before each migration: reading it once up
 * front let the second opener re-run a migration the first had just applied ("table already exists").
 */
export const migrateSqlite = (db: Database.Database, files: MigrationFile[] = bundledSqliteMigrations()): string[] => {
  db.exec(`CREATE TABLE IF NOT EXISTS sluice_migrations (
    name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`);
  const readApplied = db.prepare('SELECT name, checksum FROM sluice_migrations');
  const record = db.prepare('INSERT INTO sluice_migrations (name, checksum, applied_at) VALUES (?, ?, ?)');
  const appliedNow: string[] = [];
  const applyNext = db.transaction((): boolean => {
    const next = planMigrations(files, readApplied.all() as { name: string; checksum: string }[])[0];
    if (!next) return false;
    db.exec(next.sql);
    record.run(next.name, next.checksum, new Date().toISOString());
    appliedNow.push(next.name);
    return true;
  });
  while (applyNext.immediate()) {
    // one migration per transaction, until none is pending
  }
  return appliedNow;
};
