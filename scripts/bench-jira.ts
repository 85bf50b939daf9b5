/**
 * Benchmark (not a test) of issue 5: a Jira world end to end through the real pipeline — the Jira
 * simulator in its own process, worker threads in this one (extract, transform, load), RabbitMQ with
 * confirms, Postgres — then, in the same run, the COPY floor for the same unified rows, and an
 * incremental run with no changes. Reports the time from "Run" to the first raw page stored, the full
 * run (issues/s with whole changelogs), peak RSS of the worker host, the COPY floor, and the incremental
 * run. Targets (issue 5): end to end within 3× the COPY floor; incremental with no changes under 2 s;
 * first raw page under 1 s.
 *
 *   npm run build && . /tmp/devenv.sh   # or `sluice stack up`: DATABASE_URL, RABBITMQ_URL, RABBITMQ_MANAGEMENT_URL
 *   npx tsx scripts/bench-jira.ts [--scale large|demo|small] [--threads extract=2,transform=2,load=2] [--prefetch 10]
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

import pg from 'pg';

import { startRun } from '../main/engine/runs/start';
import { RabbitManagement } from '../workers/queue/management';
import { benchKey, copyFloor, createDatabase, parseCounts, pipelineSupervisor, rate, requireServers, rssSampler, runTimes, seconds, startSimulatorProcess, streamPhases, waitForEnd } from './bench-support';

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: 'large' },
    threads: { type: 'string', default: 'extract=2,transform=2,load=2' },
    prefetch: { type: 'string', default: '10' },
    'timeout-s': { type: 'string', default: '1800' },
  },
});
const servers = requireServers('bench-jira');
const TOKEN = 'bench-jira-token';
const TABLES = ['projects', 'wits', 'statuses', 'projects_wits', 'projects_statuses', 'custom_fields', 'work_items', 'changelogs', 'sprints', 'work_items_sprints', 'work_items_prs_links'];
const timeoutMs = Number(args['timeout-s']) * 1000;

const sim = await startSimulatorProcess('jira', ['--scale', args.scale, '--seed', '1', '--token', TOKEN]);
const database = await createDatabase(servers.databaseUrl, 'jira');
const db = new pg.Pool({ connectionString: database.url, max: 3 });
const prefix = `bench-jira-${randomBytes(3).toString('hex')}.`;
const key = benchKey();
const supervisor = pipelineSupervisor({ databaseUrl: database.url, rabbitmqUrl: servers.rabbitmqUrl, prefix, counts: parseCounts(args.threads), prefetch: Number(args.prefetch), secretKey: key.settings });
const rss = rssSampler();
try {
  const tenantId = (await db.query<{ id: number }>("INSERT INTO tenants (name) VALUES ('Bench') RETURNING id")).rows[0]!.id;
  const integrationId = Number((await db.query<{ id: string }>(
    "INSERT INTO integrations (tenant_id, provider, name, base_url, settings) VALUES ($1, 'jira', 'Bench Jira', $2, $3) RETURNING id",
    [tenantId, sim.url, { email: 'bench@example.com', pageSize: 100, overlapMinutes: 5, rateLimitPerSecond: 1000, rateLimitBurst: 1000 }],
  )).rows[0]!.id);
  await db.query('UPDATE integrations SET secret_sealed = $2 WHERE id = $1', [integrationId, await key.seal(TOKEN, integrationId)]);
  await db.query('SELECT sluice_seed_jira_mappings($1, $2)', [tenantId, integrationId]);
  supervisor.start();
  await supervisor.waitUntilReady(60_000);

  const full = await startRun(db, { tenantId, integrationId, kind: 'full_refresh', trigger: 'manual' });
  const state = await waitForEnd(db, full.runId, timeoutMs);
  const t = await runTimes(db, full.runId);
  const n = (await db.query<{ items: string; changelogs: string }>('SELECT (SELECT count(*) FROM work_items) AS items, (SELECT count(*) FROM changelogs) AS changelogs')).rows[0]!;
  const items = Number(n.items);
  console.log(
    `full run (${args.scale} world, threads ${args.threads}, prefetch ${args.prefetch}): ${state} in ${seconds(t.total_ms)}: ${items.toLocaleString('en')} issues = ${rate(items, t.total_ms)} issues/s ` +
      `with ${Number(n.changelogs).toLocaleString('en')} status transitions, ${t.pages} raw pages; first raw page stored ${Math.round(t.first_ms)} ms after Run`,
  );
  console.log(`  peak RSS of the worker host (this process): ${rss.peakMb()} MB`);
  console.log(`  extraction by stream (first → last page stored, after Run): ${await streamPhases(db, full.runId)}`);
  console.log(`  pools: ${supervisor.pools().map((p) => `${p.stage}×${p.alive} processed=${p.processed} failed=${p.failed} restarts=${p.restarts}`).join(', ')}`);

  const floor = await copyFloor(database.url, TABLES);
  console.log(`COPY floor: ${floor.rows.toLocaleString('en')} unified rows in ${seconds(floor.ms)} (${rate(floor.rows, floor.ms)} rows/s); end to end = ${(t.total_ms / floor.ms).toFixed(1)}× the floor (target ≤ 3×)`);

  const incremental = await startRun(db, { tenantId, integrationId, kind: 'incremental', trigger: 'manual' });
  const incState = await waitForEnd(db, incremental.runId, timeoutMs);
  const ti = await runTimes(db, incremental.runId);
  console.log(`incremental run with no changes: ${incState} in ${seconds(ti.total_ms)} (${ti.pages} raw pages; target < 2 s)`);
  if (state !== 'succeeded' || incState !== 'succeeded') process.exitCode = 1;
} finally {
  rss.stop();
  await supervisor.stop(10_000);
  sim.stop();
  await db.end();
  await database.drop();
  await new RabbitManagement(servers.managementUrl).deleteByPrefix(prefix);
}
