/**
 * Benchmark (not a test): the synthetic connector end to end through the real supervisor (worker
 * threads running the `pipeline` handlers), RabbitMQ with confirms, the raw store and run accounting.
 * For each thread count it starts one run of `pages × pageSize` records and reports pages/s,
 * records/s, the time from the first publish to the run's `succeeded`, and the time to the first raw
 * page stored. Times come from the database clock (run start, first unit's created_at, the run's
 * finished_at), so no polling interval blurs them.
 *
 *   . /tmp/devenv.sh   # or `sluice stack up`: DATABASE_URL, RABBITMQ_URL, RABBITMQ_MANAGEMENT_URL
 *   npx tsx scripts/bench-pipeline.ts [--pages 2000] [--page-size 50] [--threads 1,2] [--prefetch 10]
 *
 * It works in a fresh database (dropped afterwards) and a random queue namespace per round (deleted).
 * Migrations are loaded through Vite's module runner: they are bundled with `import.meta.glob`, which
 * plain tsx does not understand.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import pg from 'pg';
import { runnerImport } from 'vite';

import type * as MigrateModule from '../main/migrate/postgres';
import { sourceWorkerEntries } from '../main/supervisor/entries';
import { Supervisor } from '../main/supervisor/supervisor';
import { startRun } from '../main/engine/runs/start';
import { RabbitManagement } from '../workers/queue/management';

const { values: args } = parseArgs({
  options: {
    pages: { type: 'string', default: '2000' },
    'page-size': { type: 'string', default: '50' },
    threads: { type: 'string', default: '1,2' },
    prefetch: { type: 'string', default: '10' },
    'timeout-s': { type: 'string', default: '600' },
  },
});
const PAGES = Number(args.pages);
const PAGE_SIZE = Number(args['page-size']);
const PREFETCH = Number(args.prefetch);
const TIMEOUT_MS = Number(args['timeout-s']) * 1000;
const databaseUrl = process.env.DATABASE_URL;
const rabbitmqUrl = process.env.RABBITMQ_URL;
const managementUrl = process.env.RABBITMQ_MANAGEMENT_URL;
if (!databaseUrl || !rabbitmqUrl || !managementUrl) {
  console.error('bench-pipeline: set DATABASE_URL, RABBITMQ_URL and RABBITMQ_MANAGEMENT_URL (e.g. `. /tmp/devenv.sh` or `sluice stack up`).');
  process.exit(1);
}
const root = fileURLToPath(new URL('..', import.meta.url));
const TERMINAL = ['succeeded', 'partial', 'failed', 'cancelled'];

const { module: migrate } = await runnerImport<typeof MigrateModule>(fileURLToPath(new URL('../main/migrate/postgres.ts', import.meta.url)), {
  configFile: false,
  logLevel: 'error',
});

/** A fresh, migrated database with the synthetic connector's table (test schema, not product schema). */
const createDatabase = async (): Promise<{ url: string; drop: () => Promise<void> }> => {
  const name = `sluice_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  await migrate.migratePostgres(url.toString());
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
};

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const perSecond = (n: number, ms: number): string => Math.round((n / ms) * 1000).toLocaleString('en');

const round = async (db: pg.Pool, url: string, tenantId: number, threads: number): Promise<void> => {
  const prefix = `bench-pipe-${randomBytes(3).toString('hex')}.`;
  const supervisor = new Supervisor({
    entries: sourceWorkerEntries(root),
    counts: { extract: threads, transform: threads, load: threads },
    settings: {
      hostId: 'bench-pipeline',
      rabbitmqUrl,
      databaseUrl: url,
      topology: { prefix },
      prefetch: PREFETCH,
      handlers: { extract: 'pipeline', transform: 'pipeline', load: 'pipeline' },
    },
  });
  try {
    supervisor.start();
    await supervisor.waitUntilReady(60_000);
    const integrationId = Number(
      (await db.query<{ id: string }>(
        "INSERT INTO integrations (tenant_id, provider, name, base_url, settings) VALUES ($1, 'github', $2, 'https://synthetic.invalid', $3) RETURNING id",
        [tenantId, `bench ${prefix}`, { connector: 'synthetic', synthetic: { pages: PAGES, pageSize: PAGE_SIZE } }],
      )).rows[0]!.id,
    );
    // The run starts as the engine starts it: one transaction, its first message through the outbox.
    const publishedAt = (await db.query<{ t: Date }>('SELECT clock_timestamp() AS t')).rows[0]!.t;
    const { runId } = await startRun(db, { tenantId, integrationId, kind: 'full_refresh', trigger: 'manual' });
    const deadline = Date.now() + TIMEOUT_MS;
    let state = 'running';
    while (!TERMINAL.includes(state)) {
      if (Date.now() > deadline) throw new Error(`Run ${runId} did not end within ${TIMEOUT_MS / 1000} s (state ${state}); see the pool health above.`);
      await new Promise((r) => setTimeout(r, 100));
      state = (await db.query<{ state: string }>('SELECT state FROM runs WHERE id = $1', [runId])).rows[0]!.state;
    }
    const t = (
      await db.query<{ first_ms: number; last_extract_ms: number; done_ms: number; items: string; units: string }>(
        `SELECT extract(epoch FROM (SELECT min(created_at) FROM raw_extraction_data WHERE run_id = $1) - $2::timestamptz) * 1000 AS first_ms,
                extract(epoch FROM (SELECT max(created_at) FROM raw_extraction_data WHERE run_id = $1) - $2::timestamptz) * 1000 AS last_extract_ms,
                extract(epoch FROM (SELECT finished_at FROM runs WHERE id = $1) - $2::timestamptz) * 1000 AS done_ms,
                (SELECT count(*) FROM synthetic_items WHERE integration_id = $3) AS items,
                (SELECT count(*) FROM raw_extraction_data WHERE run_id = $1 AND status = 'loaded') AS units`,
        [runId, publishedAt, integrationId],
      )
    ).rows[0]!;
    const records = PAGES * PAGE_SIZE;
    const exact = state === 'succeeded' && Number(t.items) === records && Number(t.units) === PAGES;
    console.log(
      `threads/stage ${threads}, prefetch ${PREFETCH}: ${PAGES} pages × ${PAGE_SIZE} = ${records.toLocaleString('en')} records, run ${state} in ${seconds(t.done_ms)} ` +
        `(first publish → succeeded) = ${perSecond(PAGES, t.done_ms)} pages/s, ${perSecond(records, t.done_ms)} records/s; ` +
        `first raw page stored after ${Math.round(t.first_ms)} ms, last page extracted after ${seconds(t.last_extract_ms)}; ` +
        `${exact ? 'counts exact' : `COUNTS WRONG: ${t.items} items, ${t.units} loaded units`}`,
    );
    // Threads post their counters at most every 500 ms: give the last ones a moment to arrive.
    for (let i = 0; i < 40 && supervisor.pools().some((p) => p.desired > 0 && p.processed < PAGES); i++) await new Promise((r) => setTimeout(r, 50));
    console.log(`  pools: ${supervisor.pools().map((p) => `${p.stage} processed=${p.processed} failed=${p.failed} restarts=${p.restarts}`).join(', ')}`);
    if (!exact) process.exitCode = 1;
  } finally {
    await supervisor.stop(10_000);
    await new RabbitManagement(managementUrl).deleteByPrefix(prefix);
  }
};

const database = await createDatabase();
const db = new pg.Pool({ connectionString: database.url, max: 3 });
try {
  await db.query(`CREATE TABLE synthetic_items (
    tenant_id integer NOT NULL, integration_id bigint NOT NULL, external_id text NOT NULL,
    value text NOT NULL, raw_id bigint NOT NULL, PRIMARY KEY (tenant_id, integration_id, external_id))`);
  const tenantId = (await db.query<{ id: number }>("INSERT INTO tenants (name) VALUES ('Bench') RETURNING id")).rows[0]!.id;
  for (const threads of args.threads.split(',').map(Number)) await round(db, database.url, tenantId, threads);
} finally {
  await db.end();
  await database.drop();
}
