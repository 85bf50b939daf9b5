import { createHash } from 'node:crypto';
import { basename } from 'node:path';

import type Database from 'better-sqlite3';

import { normaliseSql, orderMigrations, planMigrations, type MigrationFile } from '../../shared/lib/migration-plan';

/** Baked into the build like the Postgres migrations; the cache owner migrates its own file on open. */
const bundled = import.meta.glob('../../migrations/sqlite/*.sql', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

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
 * write lock taken by `BEGIN IMMEDIATE` serialises two processes opening the same cache file.
 */
export const migrateSqlite = (db: Database.Database, files: MigrationFile[] = bundledSqliteMigrations()): string[] => {
  db.exec(`CREATE TABLE IF NOT EXISTS sluice_migrations (
    name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`);
  const applied = db.prepare('SELECT name, checksum FROM sluice_migrations').all() as { name: string; checksum: string }[];
  const pending = planMigrations(files, applied);
  const record = db.prepare('INSERT INTO sluice_migrations (name, checksum, applied_at) VALUES (?, ?, ?)');
  for (const file of pending) {
    db.transaction(() => {
      db.exec(file.sql);
      record.run(file.name, file.checksum, new Date().toISOString());
    }).immediate();
  }
  return pending.map((f) => f.name);
};
