/**
 * Benchmark (not a test) of issue 5: a Jira world end to end through the real pipeline — the Jira
 * simulator in its own process, worker threads in this one (extract, transform, load), RabbitMQ with
 * confirms, Postgres — then, in the same run, the COPY floor for the same unified rows, and an
 * incremental run with no changes. Reports:
 *   - time from "Run" (the run row's creation) to the first raw page stored;
 *   - the full run: wall time, issues/s (with whole changelogs), status transitions, raw pages;
 *   - peak RSS of this process (the worker host: every worker thread lives here);
 *   - the COPY floor: plain COPY of the loaded unified rows into empty tables of the same shape;
 *   - an incremental run right after, with nothing changed.
 * Targets (issue 5): end to end within 3× the COPY floor; incremental with no changes under 2 s; first
 * raw page under 1 s.
 *
 *   npm run build && . /tmp/devenv.sh   # or `sluice stack up`: DATABASE_URL, RABBITMQ_URL, RABBITMQ_MANAGEMENT_URL
 *   npx tsx scripts/bench-jira.ts [--scale large|demo|small] [--threads extract=2,transform=2,load=2] [--prefetch 10]
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { runnerImport } from 'vite';

import { startRun } from '../main/engine/runs/start';
import type * as MigrateModule from '../main/migrate/postgres';
import { sourceWorkerEntries } from '../main/supervisor/entries';
import { Supervisor } from '../main/supervisor/supervisor';
import { seal, type SecretKey } from '../shared/lib/secret-box';
import type { Stage } from '../shared/worker-protocol/protocol';
import { RabbitManagement } from '../workers/queue/management';

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: 'large' },
    threads: { type: 'string', default: 'extract=2,transform=2,load=2' },
    prefetch: { type: 'string', default: '10' },
    'timeout-s': { type: 'string', default: '1800' },
  },
});
const databaseUrl = process.env.DATABASE_URL;
const rabbitmqUrl = process.env.RABBITMQ_URL;
const managementUrl = process.env.RABBITMQ_MANAGEMENT_URL;
if (!databaseUrl || !rabbitmqUrl || !managementUrl) {
  console.error('bench-jira: set DATABASE_URL, RABBITMQ_URL and RABBITMQ_MANAGEMENT_URL (e.g. `. /tmp/devenv.sh` or `sluice stack up`).');
  process.exit(1);
}
const root = fileURLToPath(new URL('..', import.meta.url));
const counts = Object.fromEntries(args.threads.split(',').map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)])) as Partial<Record<Stage, number>>;
const TOKEN = 'bench-jira-token';
const TERMINAL = ['succeeded', 'partial', 'failed', 'cancelled'];
const TABLES = ['projects', 'wits', 'statuses', 'projects_wits', 'projects_statuses', 'custom_fields', 'work_items', 'changelogs', 'sprints', 'work_items_sprints', 'work_items_prs_links'];

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const rate = (n: number, ms: number): string => Math.round((n / ms) * 1000).toLocaleString('en');

const { module: migrate } = await runnerImport<typeof MigrateModule>(fileURLToPath(new URL('../main/migrate/postgres.ts', import.meta.url)), { configFile: false, logLevel: 'error' });

/** The Jira simulator in its own process (so its JSON serving does not share this event loop). */
const startSimulator = async (): Promise<{ url: string; stop: () => void }> => {
  const child = spawn(process.execPath, ['bin/sluice.js', 'sim', 'jira', '--scale', args.scale, '--seed', '1', '--token', TOKEN], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => resolve(line.trim()));
    child.once('exit', (code) => reject(new Error(`sluice sim jira exited with ${code} before printing its URL (run \`npm run build\` first).`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
};

const createDatabase = async (): Promise<{ url: string; drop: () => Promise<void> }> => {
  const name = `sluice_bench_jira_${randomBytes(4).toString('hex')}`;
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

const waitForEnd = async (db: pg.Pool, runId: number): Promise<string> => {
  const deadline = Date.now() + Number(args['timeout-s']) * 1000;
  for (;;) {
    const state = (await db.query<{ state: string }>('SELECT state FROM runs WHERE id = $1', [runId])).rows[0]!.state;
    if (TERMINAL.includes(state)) return state;
    if (Date.now() > deadline) throw new Error(`Run ${runId} did not end in time (state ${state}).`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

const runTimes = async (db: pg.Pool, runId: number) =>
  (await db.query<{ first_ms: number; total_ms: number; pages: string }>(
    `SELECT extract(epoch FROM (SELECT min(d.created_at) FROM raw_extraction_data d WHERE d.run_id = r.id) - r.created_at) * 1000 AS first_ms,
            extract(epoch FROM r.finished_at - r.created_at) * 1000 AS total_ms,
            (SELECT count(*) FROM raw_extraction_data d WHERE d.run_id = r.id) AS pages
       FROM runs r WHERE r.id = $1`,
    [runId],
  )).rows[0]!;

/** Plain COPY of every loaded unified row into empty tables of the same columns: the floor of a load. */
const copyFloor = async (url: string): Promise<{ rows: number; ms: number }> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let rows = 0;
  let ms = 0;
  try {
    for (const table of TABLES) {
      const chunks: Buffer[] = [];
      await new Promise<void>((resolve, reject) => {
        const out = client.query(copyTo(`COPY ${table} TO STDOUT`));
        out.on('data', (c: Buffer) => chunks.push(c));
        out.on('end', () => resolve());
        out.on('error', reject);
      });
      await client.query(`CREATE TABLE floor_${table} AS SELECT * FROM ${table} WITH NO DATA`);
      const started = performance.now();
      await new Promise<void>((resolve, reject) => {
        const input = client.query(copyFrom(`COPY floor_${table} FROM STDIN`));
        input.on('finish', () => resolve());
        input.on('error', reject);
        for (const c of chunks) input.write(c);
        input.end();
      });
      ms += performance.now() - started;
      rows += Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM floor_${table}`)).rows[0]!.n);
    }
  } finally {
    await client.end();
  }
  return { rows, ms };
};

const sim = await startSimulator();
const database = await createDatabase();
const db = new pg.Pool({ connectionString: database.url, max: 3 });
const prefix = `bench-jira-${randomBytes(3).toString('hex')}.`;
const keyBytes = randomBytes(32);
const key: SecretKey = { id: createHash('sha256').update(keyBytes).digest('hex').slice(0, 8), bytes: new Uint8Array(keyBytes) };
const supervisor = new Supervisor({
  entries: sourceWorkerEntries(root),
  counts,
  settings: {
    hostId: 'bench-jira',
    rabbitmqUrl,
    databaseUrl: database.url,
    topology: { prefix },
    prefetch: Number(args.prefetch),
    handlers: { extract: 'pipeline', transform: 'pipeline', load: 'pipeline' },
    secretKeys: [{ id: key.id, key: keyBytes.toString('base64') }],
  },
});
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
try {
  const tenantId = (await db.query<{ id: number }>("INSERT INTO tenants (name) VALUES ('Bench') RETURNING id")).rows[0]!.id;
  const integrationId = Number((await db.query<{ id: string }>(
    "INSERT INTO integrations (tenant_id, provider, name, base_url, settings) VALUES ($1, 'jira', 'Bench Jira', $2, $3) RETURNING id",
    [tenantId, sim.url, { email: 'bench@example.com', pageSize: 100, overlapMinutes: 5, rateLimitPerSecond: 1000, rateLimitBurst: 1000 }],
  )).rows[0]!.id);
  await db.query('UPDATE integrations SET secret_sealed = $2 WHERE id = $1', [integrationId, await seal(key, TOKEN, `integration:${integrationId}`)]);
  await db.query('SELECT sluice_seed_jira_mappings($1, $2)', [tenantId, integrationId]);
  supervisor.start();
  await supervisor.waitUntilReady(60_000);

  const full = await startRun(db, { tenantId, integrationId, kind: 'full_refresh', trigger: 'manual' });
  const state = await waitForEnd(db, full.runId);
  const t = await runTimes(db, full.runId);
  const n = (await db.query<{ items: string; changelogs: string }>('SELECT (SELECT count(*) FROM work_items) AS items, (SELECT count(*) FROM changelogs) AS changelogs')).rows[0]!;
  const items = Number(n.items);
  console.log(
    `full run (${args.scale} world, threads ${args.threads}, prefetch ${args.prefetch}): ${state} in ${seconds(t.total_ms)}: ${items.toLocaleString('en')} issues = ${rate(items, t.total_ms)} issues/s ` +
      `with ${Number(n.changelogs).toLocaleString('en')} status transitions, ${t.pages} raw pages; first raw page stored ${Math.round(t.first_ms)} ms after Run`,
  );
  console.log(`  peak RSS of the worker host (this process): ${Math.round(peakRss / 1024 / 1024)} MB`);
  const phases = (await db.query<{ stream: string; units: string; first_ms: number; last_ms: number }>(
    `SELECT d.stream, count(*) AS units, extract(epoch FROM min(d.created_at) - r.created_at) * 1000 AS first_ms, extract(epoch FROM max(d.created_at) - r.created_at) * 1000 AS last_ms
       FROM raw_extraction_data d JOIN runs r ON r.id = d.run_id WHERE d.run_id = $1 GROUP BY d.stream, r.created_at ORDER BY min(d.created_at)`,
    [full.runId],
  )).rows;
  console.log(`  extraction by stream (first → last page stored, after Run): ${phases.map((p) => `${p.stream} ${p.units} pages ${seconds(p.first_ms)}→${seconds(p.last_ms)}`).join('; ')}`);
  console.log(`  pools: ${supervisor.pools().map((p) => `${p.stage}×${p.alive} processed=${p.processed} failed=${p.failed} restarts=${p.restarts}`).join(', ')}`);

  const floor = await copyFloor(database.url);
  console.log(`COPY floor: ${floor.rows.toLocaleString('en')} unified rows in ${seconds(floor.ms)} (${rate(floor.rows, floor.ms)} rows/s); end to end = ${(t.total_ms / floor.ms).toFixed(1)}× the floor (target ≤ 3×)`);

  const incremental = await startRun(db, { tenantId, integrationId, kind: 'incremental', trigger: 'manual' });
  const incState = await waitForEnd(db, incremental.runId);
  const ti = await runTimes(db, incremental.runId);
  console.log(`incremental run with no changes: ${incState} in ${seconds(ti.total_ms)} (${ti.pages} raw pages; target < 2 s)`);
  if (state !== 'succeeded' || incState !== 'succeeded') process.exitCode = 1;
} finally {
  clearInterval(sampler);
  await supervisor.stop(10_000);
  sim.stop();
  await db.end();
  await database.drop();
  await new RabbitManagement(managementUrl).deleteByPrefix(prefix);
}
