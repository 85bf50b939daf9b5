import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

import { bundledSqliteMigrations, migrateSqlite } from './sqlite-migrate';

describe('migrateSqlite', () => {
  it('applies the bundled migrations once and records them', () => {
    const db = new Database(':memory:');
    const first = migrateSqlite(db);
    expect(first).toEqual(bundledSqliteMigrations().map((f) => f.name));
    expect(first[0]).toBe('0001_cache_meta.sql');
    expect(migrateSqlite(db)).toEqual([]);
    const row = db.prepare("SELECT value FROM cache_meta WHERE key = 'created_at'").get() as { value: string };
    expect(row.value).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('rolls back a failing migration and applies nothing of it', () => {
    const db = new Database(':memory:');
    const bad = [{ name: '0001_bad.sql', version: 1, sql: 'CREATE TABLE t (a INTEGER); INSERT INTO nope VALUES (1);', checksum: 'x' }];
    expect(() => migrateSqlite(db, bad)).toThrow(/no such table: nope/);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 't'").get()).toEqual({ n: 0 });
  });

  it('refuses a cache migrated with a different file content', () => {
    const db = new Database(':memory:');
    migrateSqlite(db);
    const changed = bundledSqliteMigrations().map((f) => ({ ...f, checksum: 'changed' }));
    expect(() => migrateSqlite(db, changed)).toThrow(/changed after it was applied/);
  });
});
