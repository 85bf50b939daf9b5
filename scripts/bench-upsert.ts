/**
 * Benchmark (not a test): bulkUpsert against a plain COPY of the same rows, on the same server, in
 * the same run. Target: bulkUpsert into an empty table at least half of COPY's rows/s.
 *
 *   DATABASE_URL=postgres://... npx tsx scripts/bench-upsert.ts [--rows 200000] [--batch 5000]
 *
 * Works in a scratch database it creates and drops. Rows are work-item-like, ~1 KB of jsonb each.
 * Each method starts from TRUNCATE + CHECKPOINT; rows go in batches of --batch, one transaction each
 * (as a load worker would commit per message).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

import pg from 'pg';

import { bulkUpsert, copyRows, type Row } from '../workers/load/bulk-upsert';

const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '200000' }, batch: { type: 'string', default: '5000' } } });
const ROWS = Number(args.rows);
const BATCH = Number(args.batch);
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('bench-upsert: set DATABASE_URL to a Postgres server (a scratch database is created on it).');
  process.exit(1);
}

interface WorkItem extends Row {
  tenant_id: number;
  integration_id: number;
  external_id: string;
  key: string;
  summary: string;
  status: string;
  type: string;
  created: Date;
  updated: Date;
  raw_id: number;
  payload: unknown;
}

const COLUMNS = ['tenant_id', 'integration_id', 'external_id', 'key', 'summary', 'status', 'type', 'created', 'updated', 'raw_id', 'payload'] as const;
const WORDS = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua'.split(' ');

/** Deterministic Jira-like issue, about 1 KB of JSON (machine-notes section 8). */
const makeItem = (i: number, variant = 0): WorkItem => {
  const words = Array.from({ length: 70 }, (_, w) => WORDS[(i * 7 + w * 3 + variant) % WORDS.length]).join(' ');
  const status = ['To Do', 'In Progress', 'Done'][(i + variant) % 3]!;
  const created = new Date(Date.UTC(2023, 0, 1) + i * 60_000);
  const updated = new Date(created.getTime() + 3_600_000 * (1 + variant));
  const key = `PRJ-${i}`;
  return {
    tenant_id: 1,
    integration_id: 1,
    external_id: String(100_000 + i),
    key,
    summary: `Issue ${i}: ${words.slice(0, 60)}`,
    status,
    type: i % 5 === 0 ? 'Bug' : 'Story',
    created,
    updated,
    raw_id: 1 + Math.floor(i / 100),
    payload: {
      id: String(100_000 + i),
      key,
      self: `https://example.atlassian.net/rest/api/3/issue/${100_000 + i}`,
      fields: {
        summary: `Issue ${i}`,
        status: { name: status, statusCategory: { key: status === 'Done' ? 'done' : 'indeterminate' } },
        issuetype: { name: i % 5 === 0 ? 'Bug' : 'Story' },
        priority: { name: 'Medium' },
        labels: ['backend', `team-${i % 7}`],
        created: created.toISOString(),
        updated: updated.toISOString(),
        assignee: { accountId: `acc-${i % 50}`, displayName: `User ${i % 50}` },
        reporter: { accountId: `acc-${i % 13}`, displayName: `User ${i % 13}` },
        description: words,
        customfield_10016: (i % 8) + variant,
        components: [{ name: `comp-${i % 4}` }],
      },
    },
  };
};

const batches = <T>(rows: T[]): T[][] => Array.from({ length: Math.ceil(rows.length / BATCH) }, (_, b) => rows.slice(b * BATCH, (b + 1) * BATCH));

const inTx = async (client: pg.Client, fn: () => Promise<unknown>): Promise<void> => {
  await client.query('BEGIN');
  await fn();
  await client.query('COMMIT');
};

/** Multi-row INSERT ... ON CONFLICT with 1000 rows per statement: the prior system's way, for reference. */
const multiRowUpsert = async (client: pg.Client, rows: WorkItem[]): Promise<void> => {
  const per = 1000;
  for (let s = 0; s < rows.length; s += per) {
    const slice = rows.slice(s, s + per);
    const params: unknown[] = [];
    const tuples = slice.map((r) => `(${COLUMNS.map((c) => `$${params.push(c === 'payload' ? JSON.stringify(r[c]) : r[c])}`).join(', ')})`);
    const sets = COLUMNS.filter((c) => !['tenant_id', 'integration_id', 'external_id'].includes(c)).map((c) => `${c} = EXCLUDED.${c}`);
    await client.query(
      `INSERT INTO bench_items (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}
       ON CONFLICT (tenant_id, integration_id, external_id) DO UPDATE SET ${sets.join(', ')}`,
      params,
    );
  }
};

const main = async (): Promise<void> => {
  const name = `sluice_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: dbUrl.toString() });
  await client.connect();
  try {
    await client.query(`CREATE TABLE bench_items (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      tenant_id int NOT NULL, integration_id int NOT NULL, external_id text NOT NULL, key text NOT NULL,
      summary text, status text, type text, created timestamptz, updated timestamptz, raw_id bigint, payload jsonb,
      loaded_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, integration_id, external_id))`);
    const rows = Array.from({ length: ROWS }, (_, i) => makeItem(i));
    // Half the rows changed (new status/updated/payload), half identical.
    const halfChanged = rows.map((r, i) => (i % 2 === 0 ? makeItem(i, 1) : r));
    const avgBytes = Math.round(rows.slice(0, 1000).reduce((n, r) => n + JSON.stringify(r.payload).length, 0) / 1000);
    const fresh = async (): Promise<void> => {
      await client.query('TRUNCATE bench_items');
      await client.query('CHECKPOINT');
    };
    const results: { method: string; ms: number; note: string }[] = [];
    const time = async (method: string, note: string, fn: () => Promise<void>): Promise<void> => {
      const started = performance.now();
      await fn();
      results.push({ method, ms: performance.now() - started, note });
      process.stderr.write(`  done: ${method}\n`);
    };
    const cols = [...COLUMNS];

    await fresh();
    await time('(a) COPY into empty table', '', async () => {
      for (const b of batches(rows)) await inTx(client, () => copyRows(client, { table: 'bench_items', columns: cols, rows: b }));
    });
    await fresh();
    let notes = { inserted: 0, updated: 0, unchanged: 0 };
    await time('(b) bulkUpsert, empty table', 'insert path', async () => {
      for (const b of batches(rows)) {
        await inTx(client, async () => {
          const r = await bulkUpsert(client, { table: 'bench_items', columns: cols, key: ['tenant_id', 'integration_id', 'external_id'], rows: b });
          notes.inserted += r.inserted;
        });
      }
    });
    results.at(-1)!.note = `inserted ${notes.inserted}`;
    await client.query('CHECKPOINT');
    notes = { inserted: 0, updated: 0, unchanged: 0 };
    await time('(c) bulkUpsert, all exist, half changed', '', async () => {
      for (const b of batches(halfChanged)) {
        await inTx(client, async () => {
          const r = await bulkUpsert(client, { table: 'bench_items', columns: cols, key: ['tenant_id', 'integration_id', 'external_id'], rows: b });
          notes.updated += r.updated;
          notes.unchanged += r.unchanged;
        });
      }
    });
    results.at(-1)!.note = `updated ${notes.updated}, unchanged ${notes.unchanged}`;
    await fresh();
    await time('(d) multi-row INSERT ON CONFLICT, empty', '1000 rows/statement', async () => {
      for (const b of batches(rows)) await inTx(client, () => multiRowUpsert(client, b));
    });
    const count = (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM bench_items')).rows[0]!.n;
    if (count !== ROWS) throw new Error(`expected ${ROWS} rows after (d), found ${count}`);

    console.log(`\n${ROWS} rows, ~${avgBytes} B jsonb payload each, batch ${BATCH} rows per transaction, ${(await client.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version}\n`);
    console.log(`${'method'.padEnd(44)} ${'seconds'.padStart(8)} ${'rows/s'.padStart(10)}  ${'vs COPY'.padStart(7)}  note`);
    const copyRate = ROWS / (results[0]!.ms / 1000);
    for (const r of results) {
      const rate = ROWS / (r.ms / 1000);
      console.log(`${r.method.padEnd(44)} ${(r.ms / 1000).toFixed(2).padStart(8)} ${Math.round(rate).toLocaleString('en-US').padStart(10)}  ${(rate / copyRate).toFixed(2).padStart(7)}  ${r.note}`);
    }
    const ratio = results[0]!.ms / results[1]!.ms;
    console.log(`\nbulkUpsert (empty) / COPY = ${ratio.toFixed(2)} (target >= 0.50): ${ratio >= 0.5 ? 'met' : 'NOT met'}`);
  } finally {
    await client.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
};

main().catch((error: unknown) => {
  console.error(`bench-upsert: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
