import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { withTenant } from '../../main/engine/db/tenant-scope';
import { migratePostgres } from '../../main/migrate/postgres';
import { createTestDatabase, type TestDatabase } from './support/database';

/**
 * Issue 11: one tenant cannot read or change another tenant's rows, even with hand-written SQL in
 * its tenant scope (a query that names the other tenant's ids on purpose, or has no filter at all).
 * The catalogue part holds every business table, present and future, to the same rule.
 */
describe('tenant isolation by row-level security, with hand-written SQL', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let acme: number;
  let globex: number;

  const seedTenant = async (name: string): Promise<number> => {
    const tenant = (await pool.query<{ id: number }>('INSERT INTO tenants (name) VALUES ($1) RETURNING id', [name])).rows[0]!.id;
    const integration = (
      await pool.query<{ id: string }>("INSERT INTO integrations (tenant_id, provider, name, base_url) VALUES ($1, 'jira', $2, 'https://x.atlassian.net') RETURNING id", [tenant, `${name} Jira`])
    ).rows[0]!.id;
    const run = (await pool.query<{ id: string }>("INSERT INTO runs (tenant_id, integration_id, kind, trigger) VALUES ($1, $2, 'incremental', 'manual') RETURNING id", [tenant, integration])).rows[0]!.id;
    for (let i = 0; i < 3; i += 1) {
      await pool.query(
        "INSERT INTO raw_extraction_data (tenant_id, integration_id, run_id, step, stream, request_url, payload, payload_bytes) VALUES ($1, $2, $3, 'issues', 'issues', 'https://x/rest', $4, 10)",
        [tenant, integration, run, JSON.stringify({ secret: `${name}-row-${i}` })],
      );
    }
    return tenant;
  };

  beforeAll(async () => {
    db = await createTestDatabase('rolesrls');
    await migratePostgres(db.url);
    pool = new pg.Pool({ connectionString: db.url, max: 3 });
    acme = await seedTenant('Acme');
    globex = await seedTenant('Globex');
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  /** Every table of the schema that has a tenant_id column. */
  const tenantTables = async (): Promise<string[]> =>
    (
      await pool.query<{ table_name: string }>(
        "SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name) WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE' ORDER BY 1",
      )
    ).rows.map((r) => r.table_name);

  it('every table with a tenant_id has row-level security with a policy on the current tenant, and the tenant role cannot bypass it', async () => {
    const tables = await tenantTables();
    expect(tables).toEqual(expect.arrayContaining(['raw_extraction_data', 'integrations', 'runs']));
    for (const table of tables) {
      const rls = (await pool.query<{ on: boolean }>("SELECT relrowsecurity AS on FROM pg_class WHERE oid = $1::regclass", [table])).rows[0];
      expect(rls?.on, `${table} has row-level security`).toBe(true);
      const policies = (await pool.query<{ qual: string | null; with_check: string | null }>('SELECT qual, with_check FROM pg_policies WHERE schemaname = $1 AND tablename = $2', ['public', table])).rows;
      expect(policies.length, `${table} has a policy`).toBeGreaterThan(0);
      expect(policies.some((p) => (p.qual ?? p.with_check ?? '').includes('sluice_current_tenant()')), `${table}'s policy compares with the current tenant`).toBe(true);
    }
    const role = (await pool.query<{ rolbypassrls: boolean; rolsuper: boolean; owns: string }>(
      "SELECT rolbypassrls, rolsuper, (SELECT count(*) FROM pg_class WHERE relowner = r.oid)::text AS owns FROM pg_roles r WHERE rolname = 'sluice_tenant'",
    )).rows[0];
    expect(role).toEqual({ rolbypassrls: false, rolsuper: false, owns: '0' });
  });

  it("Acme's hand-written SQL sees no Globex row in any table, filtered or not", async () => {
    const tables = await tenantTables();
    await withTenant(pool, acme, async (c) => {
      for (const table of tables) {
        const foreign = await c.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table} WHERE tenant_id = $1`, [globex]);
        expect(foreign.rows[0]?.n, `${table} as Acme, asking for Globex`).toBe('0');
        const others = await c.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table} WHERE tenant_id IS DISTINCT FROM $1`, [acme]);
        expect(others.rows[0]?.n, `${table} as Acme, no filter on itself`).toBe('0');
      }
      // The rows exist and Acme's own are visible: the zeros above are isolation, not an empty table.
      const raw = await c.query<{ payload: { secret: string } }>('SELECT payload FROM raw_extraction_data ORDER BY id');
      expect(raw.rows.map((r) => r.payload.secret)).toEqual(['Acme-row-0', 'Acme-row-1', 'Acme-row-2']);
      // A join through a foreign key does not leak either.
      const joined = await c.query('SELECT r.id FROM raw_extraction_data r JOIN integrations i ON i.id = r.integration_id WHERE i.tenant_id = $1', [globex]);
      expect(joined.rowCount).toBe(0);
    });
    const all = await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM raw_extraction_data WHERE tenant_id = $1', [globex]);
    expect(all.rows[0]?.n).toBe('3');
  });

  it("Acme cannot change, delete or plant Globex rows", async () => {
    await withTenant(pool, acme, async (c) => {
      expect((await c.query("UPDATE raw_extraction_data SET status = 'skipped' WHERE tenant_id = $1", [globex])).rowCount).toBe(0);
      expect((await c.query('DELETE FROM integrations WHERE tenant_id = $1', [globex])).rowCount).toBe(0);
    });
    const globexIntegration = (await pool.query<{ id: string }>('SELECT id FROM integrations WHERE tenant_id = $1', [globex])).rows[0]!.id;
    const globexRun = (await pool.query<{ id: string }>('SELECT id FROM runs WHERE tenant_id = $1', [globex])).rows[0]!.id;
    const planted = withTenant(pool, acme, (c) =>
      c.query("INSERT INTO raw_extraction_data (tenant_id, integration_id, run_id, step, stream, request_url, payload, payload_bytes) VALUES ($1, $2, $3, 's', 's', 'u', '{}', 2)", [globex, globexIntegration, globexRun]),
    );
    await expect(planted).rejects.toThrow(/row-level security|permission denied/);
    const counts = await pool.query<{ status: string; n: string }>("SELECT status, count(*)::text AS n FROM raw_extraction_data WHERE tenant_id = $1 GROUP BY status", [globex]);
    expect(counts.rows).toEqual([{ status: 'pending', n: '3' }]);
    expect((await pool.query('SELECT 1 FROM integrations WHERE tenant_id = $1', [globex])).rowCount).toBe(1);
  });

  it('a tenant scope without a tenant set sees nothing at all', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL ROLE sluice_tenant');
      for (const table of await tenantTables()) {
        const n = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`);
        expect(n.rows[0]?.n, table).toBe('0');
      }
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });
});
