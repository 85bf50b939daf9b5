/**
 * Benchmark (not a test) of issue 6: a GitHub world end to end through the real pipeline — the GitHub
 * simulator in its own process (REST search + GraphQL), worker threads in this one, RabbitMQ, Postgres.
 * Reports PRs/s with every nested page (commits, reviews, comments, review threads), the rows loaded,
 * how the time splits between streams, peak RSS of the worker host, and the COPY floor of the same rows.
 * The simulator's GraphQL points budget is raised (the real 5,000 points an hour would make this a
 * rate-limit test, which tests/integration/github-pipeline.test.ts is).
 *
 *   npm run build && . /tmp/devenv.sh
 *   npx tsx scripts/bench-github.ts [--scale large|demo|small] [--threads extract=2,transform=2,load=2] [--prefetch 10] [--page-size 50]
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
    'page-size': { type: 'string', default: '50' },
    'timeout-s': { type: 'string', default: '1800' },
  },
});
const servers = requireServers('bench-github');
const TOKEN = 'bench-github-token';
const TABLES = ['repositories', 'prs', 'prs_commits', 'prs_reviews', 'prs_comments', 'prs_review_threads', 'work_items_prs_links'];

const sim = await startSimulatorProcess('github', ['--scale', args.scale, '--seed', '1', '--token', TOKEN, '--rate-limits', 'graphql=10000000,core=1000000,search=100000']);
const database = await createDatabase(servers.databaseUrl, 'github');
const db = new pg.Pool({ connectionString: database.url, max: 3 });
const prefix = `bench-gh-${randomBytes(3).toString('hex')}.`;
const key = benchKey();
const supervisor = pipelineSupervisor({ databaseUrl: database.url, rabbitmqUrl: servers.rabbitmqUrl, prefix, counts: parseCounts(args.threads), prefetch: Number(args.prefetch), secretKey: key.settings });
const rss = rssSampler();
try {
  const tenantId = (await db.query<{ id: number }>("INSERT INTO tenants (name) VALUES ('Bench') RETURNING id")).rows[0]!.id;
  const integrationId = Number((await db.query<{ id: string }>(
    "INSERT INTO integrations (tenant_id, provider, name, base_url, settings) VALUES ($1, 'github', 'Bench GitHub', $2, $3) RETURNING id",
    [tenantId, sim.url, { organization: 'sluice-demo', pageSize: Number(args['page-size']), lookbackDays: 3650, rateLimitPerSecond: 1000, rateLimitBurst: 1000 }],
  )).rows[0]!.id);
  await db.query('UPDATE integrations SET secret_sealed = $2 WHERE id = $1', [integrationId, await key.seal(TOKEN, integrationId)]);
  supervisor.start();
  await supervisor.waitUntilReady(60_000);

  const full = await startRun(db, { tenantId, integrationId, kind: 'full_refresh', trigger: 'manual' });
  const state = await waitForEnd(db, full.runId, Number(args['timeout-s']) * 1000);
  const t = await runTimes(db, full.runId);
  const n = (await db.query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM prs) AS prs, (SELECT count(*) FROM prs_commits) AS commits, (SELECT count(*) FROM prs_reviews) AS reviews,
            (SELECT count(*) FROM prs_comments) AS comments, (SELECT count(*) FROM prs_review_threads) AS threads, (SELECT count(*) FROM work_items_prs_links) AS links`,
  )).rows[0]!;
  const prs = Number(n.prs);
  console.log(
    `full run (${args.scale} world, threads ${args.threads}, prefetch ${args.prefetch}, ${args['page-size']} PRs per page): ${state} in ${seconds(t.total_ms)}: ` +
      `${prs.toLocaleString('en')} PRs = ${rate(prs, t.total_ms)} PRs/s with ${n.commits} commits, ${n.reviews} reviews, ${n.comments} comments, ${n.threads} review threads, ${n.links} links; ` +
      `${t.pages} raw pages; first raw page stored ${Math.round(t.first_ms)} ms after Run`,
  );
  console.log(`  peak RSS of the worker host (this process): ${rss.peakMb()} MB`);
  console.log(`  extraction by stream (first → last page stored, after Run): ${await streamPhases(db, full.runId)}`);
  const floor = await copyFloor(database.url, TABLES);
  console.log(`COPY floor: ${floor.rows.toLocaleString('en')} unified rows in ${seconds(floor.ms)} (${rate(floor.rows, floor.ms)} rows/s); end to end = ${(t.total_ms / floor.ms).toFixed(1)}× the floor`);
  if (state !== 'succeeded') process.exitCode = 1;
} finally {
  rss.stop();
  await supervisor.stop(10_000);
  sim.stop();
  await db.end();
  await database.drop();
  await new RabbitManagement(servers.managementUrl).deleteByPrefix(prefix);
}
