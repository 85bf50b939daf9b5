import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { withTenant } from '../../main/engine/db/tenant-scope';
import { migratePostgres } from '../../main/migrate/postgres';
import { createTestDatabase, type TestDatabase } from './support/database';

describe('Postgres migrations and tenant isolation', () => {
  let db: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await createTestDatabase('migr');
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('applies the bundled migrations once, even when two engines migrate at the same time', async () => {
    const [a, b] = await Promise.all([migratePostgres(db.url), migratePostgres(db.url)]);
    const appliedNames = [...a.applied, ...b.applied].map((m) => m.name);
    expect(appliedNames).toContain('0001_tenants.sql');
    // The advisory lock makes one runner do the work and the other find nothing pending.
    expect(appliedNames.filter((n) => n === '0001_tenants.sql')).toHaveLength(1);
    const again = await migratePostgres(db.url);
    expect(again.applied).toEqual([]);
    const rows = (await pool.query<{ name: string; checksum: string }>('SELECT name, checksum FROM sluice_migrations')).rows;
    expect(rows.map((r) => r.name)).toContain('0001_tenants.sql');
    expect(rows[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a query in one tenant context sees nothing of another tenant, even without a filter', async () => {
    const ids = (await pool.query<{ id: number }>("INSERT INTO tenants (name) VALUES ('Acme'), ('Globex') RETURNING id")).rows.map((r) => r.id);
    const [acme, globex] = ids as [number, number];
    const seenByAcme = await withTenant(pool, acme, async (c) => (await c.query<{ id: number }>('SELECT id FROM tenants')).rows);
    expect(seenByAcme.map((r) => r.id)).toEqual([acme]);
    const globexFromAcme = await withTenant(pool, acme, async (c) => (await c.query('SELECT * FROM tenants WHERE id = $1', [globex])).rowCount);
    expect(globexFromAcme).toBe(0);
    // Writes are fenced too: Acme cannot rename Globex.
    const updated = await withTenant(pool, acme, async (c) => (await c.query("UPDATE tenants SET name = 'pwned' WHERE id = $1", [globex])).rowCount);
    expect(updated).toBe(0);
    // Outside a tenant context the engine (table owner) sees both.
    expect((await pool.query('SELECT id FROM tenants')).rowCount).toBe(2);
  });

  it('the tenant context ends with its transaction', async () => {
    const client = await pool.connect();
    try {
      const acme = (await client.query<{ id: number }>("SELECT id FROM tenants WHERE name = 'Acme'")).rows[0]!.id;
      await withTenant(pool, acme, async (c) => c.query('SELECT 1'));
      const role = (await client.query<{ r: string }>('SELECT current_user AS r')).rows[0]!.r;
      expect(role).not.toBe('sluice_tenant');
      expect((await client.query('SELECT id FROM tenants')).rowCount).toBe(2);
    } finally {
      client.release();
    }
  });

  it('refuses to run when an applied migration file was changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-migr-'));
    writeFileSync(join(dir, '0001_tenants.sql'), '-- edited after it was applied\nSELECT 1;');
    await expect(migratePostgres(db.url, { dir })).rejects.toThrow(/changed after it was applied/);
  });

  it('rolls back a failing migration and records nothing', async () => {
    const other = await createTestDatabase('migrfail');
    try {
      const dir = mkdtempSync(join(tmpdir(), 'sluice-migr-'));
      writeFileSync(join(dir, '0001_a.sql'), 'CREATE TABLE a (id int);');
      writeFileSync(join(dir, '0002_b.sql'), 'CREATE TABLE b (id int); SELECT * FROM missing_table;');
      await expect(migratePostgres(other.url, { dir })).rejects.toThrow(/0002_b\.sql failed and was rolled back/);
      const c = new pg.Client({ connectionString: other.url });
      await c.connect();
      try {
        expect((await c.query('SELECT name FROM sluice_migrations')).rows).toEqual([{ name: '0001_a.sql' }]);
        expect((await c.query("SELECT to_regclass('b') AS t")).rows[0]).toEqual({ t: null });
      } finally {
        await c.end();
      }
    } finally {
      await other.drop();
    }
  });
});
