/**
 * Console API latency while a large run processes (issue 9's measured figure; target p95 < 100 ms).
 *
 *   . /tmp/devenv.sh && npm run build && npx tsx scripts/bench-console-api.ts [--pages 1500] [--page-size 100] [--seconds 60] [--workers extract=1,transform=2,load=2]
 *
 * Starts the built `sluice serve` (its own database, a private queue namespace, the pipeline's worker
 * threads inside it), creates a synthetic integration (no API: pages computed from settings) with a
 * job, starts a full run of `pages × page-size` records, and while it is live calls what the screens
 * call — `jobs.list` (dashboard), `runs.get`, `runs.throughput` and `runs.errors` (run detail),
 * `runs.logs` — one after another, as a busy console would, over HTTP with the console token. Prints
 * p50/p95/p99 per method and overall, the run's throughput, and the samples' count.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

import pg from 'pg';

import { createDatabase, requireServers, root } from './bench-support';

const { values: args } = parseArgs({
  options: {
    pages: { type: 'string', default: '1500' },
    'page-size': { type: 'string', default: '100' },
    seconds: { type: 'string', default: '60' },
    workers: { type: 'string', default: 'extract=1,transform=2,load=2,vectorize=0' },
  },
});
const pages = Number(args.pages);
const pageSize = Number(args['page-size']);
const maxSeconds = Number(args.seconds);

const servers = requireServers('bench-console-api');
const database = await createDatabase(servers.databaseUrl, 'consoleapi');
const token = randomBytes(18).toString('base64url');
const prefix = `bench-api-${randomBytes(3).toString('hex')}.`;
const home = mkdtempSync(join(tmpdir(), 'sluice-bench-api-'));
const child = spawn(process.execPath, ['bin/sluice.js', 'serve', '--port', '0', '--queue-prefix', prefix], {
  cwd: root,
  env: { ...process.env, DATABASE_URL: database.url, SLUICE_HOME: home, SLUICE_TOKEN: token, SLUICE_LOG_LEVEL: 'warn', SLUICE_WORKERS: args.workers },
  stdio: ['ignore', 'pipe', 'inherit'],
});

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;

try {
  const loginUrl = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(line.trim()));
    child.once('exit', (code) => reject(new Error(`sluice serve exited with ${code}; run \`npm run build\` first`)));
  });
  const base = new URL(loginUrl).origin;
  let tenant = 0;
  const call = async <T>(method: string, input: unknown): Promise<{ result: T; ms: number }> => {
    const t0 = performance.now();
    const res = await fetch(`${base}/api/v1/call/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(tenant ? { 'x-sluice-tenant': String(tenant) } : {}) },
      body: JSON.stringify(input),
    });
    const body = (await res.json()) as { ok: boolean; result?: T; error?: { message: string } };
    const ms = performance.now() - t0;
    if (!body.ok) throw new Error(`${method}: ${body.error?.message ?? res.status}`);
    return { result: body.result as T, ms };
  };

  tenant = (await call<{ id: number }>('tenants.create', { name: 'Bench' })).result.id;
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query(`CREATE TABLE synthetic_items (tenant_id integer NOT NULL, integration_id bigint NOT NULL, external_id text NOT NULL,
    value text NOT NULL, raw_id bigint NOT NULL, PRIMARY KEY (tenant_id, integration_id, external_id))`);
  await admin.query('GRANT SELECT, INSERT, UPDATE, DELETE ON synthetic_items TO sluice_tenant');
  const integrationId = Number(
    (await admin.query<{ id: string }>("INSERT INTO integrations (tenant_id, provider, name, base_url, settings) VALUES ($1, 'github', 'Synthetic', 'https://synthetic.invalid', $2) RETURNING id", [tenant, { connector: 'synthetic', synthetic: { pages, pageSize } }])).rows[0]!.id,
  );
  await admin.end();
  const job = (await call<{ id: number }>('jobs.create', { integrationId, name: 'Large run', runKind: 'full_refresh', schedule: null })).result;
  const started = await call<{ run: { id: number } }>('jobs.runNow', { id: job.id });
  const runId = started.result.run.id;
  process.stderr.write(`run ${runId}: ${pages} pages × ${pageSize} records; sampling the console API while it is live (at most ${maxSeconds} s)…\n`);

  const samples = new Map<string, number[]>();
  const calls: [string, unknown][] = [
    ['jobs.list', {}],
    ['runs.get', { id: runId }],
    ['runs.throughput', { id: runId }],
    ['runs.errors', { id: runId }],
    ['runs.logs', { id: runId, limit: 200 }],
  ];
  const until = Date.now() + maxSeconds * 1000;
  let state = 'running';
  let loaded = 0;
  while (Date.now() < until) {
    for (const [method, input] of calls) {
      const { result, ms } = await call<{ state?: string; totals?: { loaded: number } }>(method, input);
      (samples.get(method) ?? samples.set(method, []).get(method)!).push(ms);
      if (method === 'runs.get') {
        state = result.state ?? state;
        loaded = result.totals?.loaded ?? loaded;
      }
    }
    if (!['queued', 'running', 'paused', 'rate_limited'].includes(state)) break;
  }
  const all = [...samples.values()].flat().sort((a, b) => a - b);
  const fmt = (v: number): string => `${v.toFixed(1)} ms`;
  console.log(`console API while run ${runId} processed (${state}, ${loaded.toLocaleString('en')} of ${(pages * pageSize).toLocaleString('en')} records loaded when sampling stopped):`);
  for (const [method, ms] of samples) {
    const s = [...ms].sort((a, b) => a - b);
    console.log(`  ${method.padEnd(16)} n=${String(s.length).padStart(4)}  p50 ${fmt(quantile(s, 0.5))}  p95 ${fmt(quantile(s, 0.95))}  p99 ${fmt(quantile(s, 0.99))}`);
  }
  console.log(`  ${'all'.padEnd(16)} n=${String(all.length).padStart(4)}  p50 ${fmt(quantile(all, 0.5))}  p95 ${fmt(quantile(all, 0.95))}  p99 ${fmt(quantile(all, 0.99))}  (target p95 < 100 ms)`);
} finally {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  await database.drop();
}
