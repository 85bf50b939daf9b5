import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { withTenant } from '../../main/engine/db/tenant-scope';
import { migratePostgres } from '../../main/migrate/postgres';
import { bulkUpsert, copyRows, JsonText, type Row } from '../../workers/load/bulk-upsert';
import { createTestDatabase, type TestDatabase } from './support/database';

interface Item extends Row {
  tenant_id: number;
  external_id: string;
  summary: string | null;
  labels: string[] | null;
  payload: unknown;
  updated: Date | null;
}

const tx = async <T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> => {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const r = await fn(c);
    await c.query('COMMIT');
    return r;
  } catch (e) {
    await c.query('ROLLBACK');
    throw e;
  } finally {
    c.release();
  }
};

const columns = ['tenant_id', 'external_id', 'summary', 'labels', 'payload', 'updated'] as const;

// Both ways must behave identically: one statement (jsonb_populate_recordset) and COPY + merge.
describe.each(['json', 'copy'] as const)('bulkUpsert against Postgres (%s)', (strategy) => {
  const upsert = (pool: pg.Pool, rows: Item[], updateColumns?: (typeof columns)[number][]) =>
    tx(pool, (c) => bulkUpsert<Item>(c, { table: 'items', columns: [...columns], key: ['tenant_id', 'external_id'], rows, strategy, ...(updateColumns ? { updateColumns } : {}) }));

  let db: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await createTestDatabase(`bulk_${strategy}`);
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
    await pool.query(`CREATE TABLE items (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      tenant_id int NOT NULL, external_id text NOT NULL, summary text, labels text[], payload jsonb,
      updated timestamptz, created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, external_id))`);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  const item = (n: number, over: Partial<Item> = {}): Item => ({
    tenant_id: 1,
    external_id: `EX-${n}`,
    summary: `Summary ${n}`,
    labels: ['a', `l${n}`],
    payload: { n, nested: { list: [1, 2, n] } },
    updated: new Date(Date.UTC(2024, 0, 1, 0, 0, n)),
    ...over,
  });

  it('inserts new rows, then reports unchanged rows without rewriting them', async () => {
    const rows = Array.from({ length: 500 }, (_, i) => item(i + 1));
    expect(await upsert(pool, rows)).toEqual({ inserted: 500, updated: 0, unchanged: 0, duplicates: 0 });
    const xminBefore = (await pool.query<{ x: string }>("SELECT xmin::text AS x FROM items WHERE external_id = 'EX-7'")).rows[0]!.x;
    expect(await upsert(pool, rows)).toEqual({ inserted: 0, updated: 0, unchanged: 500, duplicates: 0 });
    // Unchanged means not rewritten: same tuple version.
    expect((await pool.query<{ x: string }>("SELECT xmin::text AS x FROM items WHERE external_id = 'EX-7'")).rows[0]!.x).toBe(xminBefore);
    expect((await pool.query('SELECT count(*)::int AS n FROM items')).rows[0].n).toBe(500);
  });

  it('updates only changed rows, inserts new ones, and keeps defaults of columns it does not send', async () => {
    const rows = [item(1, { summary: 'changed' }), item(2, { payload: { n: 2, changed: true } }), item(3), item(501)];
    expect(await upsert(pool, rows)).toEqual({ inserted: 1, updated: 2, unchanged: 1, duplicates: 0 });
    const r = (await pool.query("SELECT summary, payload, created_at FROM items WHERE external_id IN ('EX-1','EX-2','EX-501') ORDER BY id")).rows;
    expect(r[0].summary).toBe('changed');
    expect(r[1].payload).toEqual({ n: 2, changed: true });
    expect(r[2].created_at).toBeInstanceOf(Date);
  });

  it('de-duplicates keys within a batch, the last row winning', async () => {
    const rows = [item(600, { summary: 'first' }), item(601), item(600, { summary: 'second' }), item(600, { summary: 'last' })];
    expect(await upsert(pool, rows)).toEqual({ inserted: 2, updated: 0, unchanged: 0, duplicates: 2 });
    expect((await pool.query("SELECT summary FROM items WHERE external_id = 'EX-600'")).rows).toEqual([{ summary: 'last' }]);
  });

  it('round-trips NULLs, unicode, tabs, newlines, backslashes and jsonb exactly', async () => {
    const nasty = 'tab\there\nnewline\r\nCRLF back\\slash \\N not-null "quotes" ünïcødé 漢字 🚀 \u2028';
    const payload = { text: nasty, arr: [null, true, 1.5, 'x\ty'], deep: { 'k\ney': '\\' } };
    const rows = [
      item(700, { summary: nasty, labels: ['tab\t', 'comma,', 'brace}', 'quote"', 'NULL', null as unknown as string], payload }),
      item(701, { summary: null, labels: null, payload: null, updated: null }),
      item(702, { summary: '', payload: new JsonText('{"pre":"serialized","n":1}') }),
      item(703, { summary: 'nul\0char', payload: { s: 'nul\0char' } }),
    ];
    expect(await upsert(pool, rows)).toMatchObject({ inserted: 4 });
    const got = (await pool.query("SELECT external_id, summary, labels, payload, updated FROM items WHERE external_id IN ('EX-700','EX-701','EX-702','EX-703') ORDER BY external_id")).rows;
    expect(got[0]).toMatchObject({ summary: nasty, labels: ['tab\t', 'comma,', 'brace}', 'quote"', 'NULL', null], payload });
    expect(got[1]).toEqual({ external_id: 'EX-701', summary: null, labels: null, payload: null, updated: null });
    expect(got[2]).toMatchObject({ summary: '', payload: { pre: 'serialized', n: 1 } });
    expect(got[3]).toMatchObject({ summary: 'nulchar', payload: { s: 'nulchar' } });
    // Same values again: nothing changed (NULL vs NULL is not a change).
    expect(await upsert(pool, rows.slice(0, 2))).toMatchObject({ unchanged: 2 });
  });

  it('with updateColumns [] it only inserts (DO NOTHING)', async () => {
    expect(await upsert(pool, [item(1, { summary: 'ignored' }), item(800)], [])).toEqual({ inserted: 1, updated: 0, unchanged: 1, duplicates: 0 });
    expect((await pool.query("SELECT summary FROM items WHERE external_id = 'EX-1'")).rows[0].summary).toBe('changed');
  });

  it('with a versionColumn, an older version never replaces a newer one (loads finishing out of order)', async () => {
    await pool.query('CREATE TABLE versioned (tenant_id int, external_id text, summary text, raw_id bigint, UNIQUE (tenant_id, external_id))');
    const put = (summary: string, rawId: number) =>
      tx(pool, (c) => bulkUpsert(c, { table: 'versioned', columns: ['tenant_id', 'external_id', 'summary', 'raw_id'], key: ['tenant_id', 'external_id'], versionColumn: 'raw_id', strategy, rows: [{ tenant_id: 1, external_id: 'V-1', summary, raw_id: rawId }] }));
    expect(await put('from unit 10', 10)).toMatchObject({ inserted: 1 });
    expect(await put('from unit 7 (older, late)', 7)).toMatchObject({ updated: 0, unchanged: 1 });
    expect((await pool.query("SELECT summary FROM versioned WHERE external_id = 'V-1'")).rows[0].summary).toBe('from unit 10');
    // The same version again (a re-transform with changed mappings) and a newer one both apply.
    expect(await put('unit 10 re-transformed', 10)).toMatchObject({ updated: 1 });
    expect(await put('from unit 12', 12)).toMatchObject({ updated: 1 });
    expect((await pool.query("SELECT summary, raw_id FROM versioned WHERE external_id = 'V-1'")).rows[0]).toEqual({ summary: 'from unit 12', raw_id: '12' });
    await expect(tx(pool, (c) => bulkUpsert(c, { table: 'versioned', columns: ['tenant_id', 'external_id', 'summary'], key: ['tenant_id', 'external_id'], versionColumn: 'raw_id' as never, rows: [] }))).rejects.toThrow(/Version column raw_id is not in the column list/);
  });

  it('fails clearly outside a transaction (COPY needs one), and leaves the caller’s transaction usable after an error', async () => {
    const c = await pool.connect();
    try {
      if (strategy === 'copy') await expect(bulkUpsert<Item>(c, { table: 'items', columns: [...columns], key: ['tenant_id', 'external_id'], rows: [item(1)], strategy })).rejects.toThrow(/must run inside a transaction/);
      await c.query('BEGIN');
      await expect(bulkUpsert<Item>(c, { table: 'items', columns: [...columns, 'nope' as never], key: ['tenant_id', 'external_id'], rows: [item(1)], strategy, isolateErrors: true })).rejects.toThrow(/has no column nope/);
      await expect(bulkUpsert(c, { table: 'items', columns: ['tenant_id', 'external_id', 'updated'], key: ['tenant_id', 'external_id'], rows: [{ tenant_id: 1, external_id: 'EX-1', updated: 'not a date' }], strategy, isolateErrors: true })).rejects.toThrow(/rolled back to its savepoint/);
      // Still usable: the failed upsert was rolled back to its savepoint.
      expect((await c.query('SELECT 1 AS one')).rows[0].one).toBe(1);
      await c.query('ROLLBACK');
    } finally {
      c.release();
    }
  });

  it('copyRows loads plain rows with COPY', async () => {
    await pool.query('CREATE TABLE plain_copy (a int, b text, c jsonb)');
    const n = await tx(pool, (c) => copyRows(c, { table: 'plain_copy', columns: ['a', 'b', 'c'], rows: [{ a: 1, b: 'x\ty', c: { z: 1 } }, { a: 2, b: null, c: null }] }));
    expect(n).toBe(2);
    expect((await pool.query('SELECT a, b, c FROM plain_copy ORDER BY a')).rows).toEqual([
      { a: 1, b: 'x\ty', c: { z: 1 } },
      { a: 2, b: null, c: null },
    ]);
  });
});

describe('raw_extraction_data (migration 0002)', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let acme: number;
  let globex: number;
  const integrationOf = new Map<number, number>();
  const runOf = new Map<number, number>();

  beforeAll(async () => {
    db = await createTestDatabase('raw');
    await migratePostgres(db.url);
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
    [acme, globex] = (await pool.query<{ id: number }>("INSERT INTO tenants (name) VALUES ('Acme'), ('Globex') RETURNING id")).rows.map((r) => r.id) as [number, number];
    for (const tenant of [acme, globex]) {
      const row = await pool.query<{ id: string }>("INSERT INTO integrations (tenant_id, provider, name, base_url) VALUES ($1, 'jira', 'Jira', 'https://jira.example') RETURNING id", [tenant]);
      integrationOf.set(tenant, Number(row.rows[0]!.id));
      const run = await pool.query<{ id: string }>(
        "INSERT INTO runs (tenant_id, integration_id, kind, trigger, state, started_at) VALUES ($1, $2, 'full_refresh', 'manual', 'running', now()) RETURNING id",
        [tenant, row.rows[0]!.id],
      );
      runOf.set(tenant, Number(run.rows[0]!.id));
    }
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  const insertRaw = (tenant: number) =>
    withTenant(pool, tenant, async (c) =>
      (
        await c.query<{ id: string }>(
          `INSERT INTO raw_extraction_data (tenant_id, integration_id, run_id, step, stream, request_url, request_params, payload, payload_bytes, record_count)
           VALUES ($1, $2, $3, 'issues', 'issues', 'https://jira.example/rest/api/3/search/jql', '{"jql":"project = A"}', '{"issues":[]}', 13, 0) RETURNING id`,
          [tenant, integrationOf.get(tenant), runOf.get(tenant)],
        )
      ).rows[0]!.id,
    );

  it('is tenant-isolated by row-level security', async () => {
    const id = await insertRaw(acme);
    expect(await withTenant(pool, globex, async (c) => (await c.query('SELECT * FROM raw_extraction_data WHERE id = $1', [id])).rowCount)).toBe(0);
    expect(await withTenant(pool, acme, async (c) => (await c.query('SELECT * FROM raw_extraction_data WHERE id = $1', [id])).rowCount)).toBe(1);
    // Writing another tenant's row is refused by the policy's WITH CHECK.
    await expect(insertRaw(globex).then(() => withTenant(pool, globex, (c) => c.query('UPDATE raw_extraction_data SET tenant_id = $1', [acme])))).rejects.toThrow(/row-level security/);
  });

  it('moves status forward only, except an explicit reprocess reset', async () => {
    const id = await insertRaw(acme);
    const set = (sql: string) => withTenant(pool, acme, (c) => c.query(`UPDATE raw_extraction_data SET ${sql} WHERE id = $1`, [id]));
    await set("status = 'transformed', attempts = attempts + 1");
    await set("status = 'transformed'"); // idempotent redelivery
    await set("status = 'loaded'");
    await expect(set("status = 'transformed'")).rejects.toThrow(/cannot move from loaded to transformed/);
    await expect(set("status = 'failed'")).rejects.toThrow(/cannot move from loaded to failed/);
    await expect(set("status = 'pending'")).rejects.toThrow(/cannot move from loaded to pending/);
    await expect(set("status = 'pending', reprocess_count = reprocess_count + 2")).rejects.toThrow(/reprocess_count may only grow by 1/);
    await set("status = 'pending', reprocess_count = reprocess_count + 1, error = NULL");
    await set(`status = 'failed', error = '{"message":"bad payload"}'`);
    const row = (await pool.query('SELECT status, attempts, reprocess_count, error, updated_at > created_at AS touched FROM raw_extraction_data WHERE id = $1', [id])).rows[0];
    expect(row).toEqual({ status: 'failed', attempts: 1, reprocess_count: 1, error: { message: 'bad payload' }, touched: true });
    await expect(
      pool.query(`INSERT INTO raw_extraction_data (tenant_id, integration_id, run_id, step, stream, request_url, payload, payload_bytes, status)
                  VALUES ($1, $2, $3, 's', 's', 'u', '{}', 2, 'bogus')`, [acme, integrationOf.get(acme), runOf.get(acme)]),
    ).rejects.toThrow(/check constraint/);
  });

  it('cannot point at another tenant\'s integration', async () => {
    await expect(
      pool.query(`INSERT INTO raw_extraction_data (tenant_id, integration_id, run_id, step, stream, request_url, payload, payload_bytes)
                  VALUES ($1, $2, $3, 's', 's', 'u', '{}', 2)`, [acme, integrationOf.get(globex), runOf.get(acme)]),
    ).rejects.toThrow(/raw_extraction_data_integration_fk/);
  });
});
