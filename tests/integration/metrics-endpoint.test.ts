import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadConfig } from '../../main/engine/config';
import { createEngine, type Engine } from '../../main/engine/engine';
import { metricsPortFrom } from '../../main/engine/metrics/config';
import { createMetricsRegistry } from '../../main/engine/metrics/registry';
import { startMetricsServer } from '../../main/engine/metrics/server';
import { migratePostgres } from '../../main/migrate/postgres';
import { METRIC_NAMES } from '../../shared/contract/metrics';
import type { PoolHealth } from '../../shared/worker-protocol/health';
import { createTestDatabase, type TestDatabase } from './support/database';
import { requireEnv } from './support/env';

/**
 * Prometheus metrics scraped over HTTP: the engine serves them on its loopback port when asked
 * (what `sluice serve --metrics-port` does) with runs by state, live units by status, rate-limit waits
 * and queue depths; pool families come from the supervisor's health (what `sluice worker` serves).
 */
const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

const scrape = async (url: string): Promise<string> => {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
};

const value = (text: string, series: string): number | null => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : null;
};

describe('Prometheus metrics', () => {
  let db: TestDatabase;
  let admin: pg.Client;
  let engine: Engine;

  beforeAll(async () => {
    db = await createTestDatabase('metrics');
    await migratePostgres(db.url);
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    const t = (await admin.query<{ id: number }>("INSERT INTO tenants (name) VALUES ('M') RETURNING id")).rows[0]!.id;
    const i = (await admin.query<{ id: string }>("INSERT INTO integrations (tenant_id, provider, name, base_url, settings) VALUES ($1, 'jira', 'J', 'https://j.invalid', '{}') RETURNING id", [t])).rows[0]!.id;
    const i2 = (await admin.query<{ id: string }>("INSERT INTO integrations (tenant_id, provider, name, base_url, settings) VALUES ($1, 'jira', 'J2', 'https://j.invalid', '{}') RETURNING id", [t])).rows[0]!.id;
    const run = async (integration: string, state: string, limitedUntil = 'NULL') =>
      (
        await admin.query<{ id: string }>(
          `INSERT INTO runs (tenant_id, integration_id, kind, trigger, state, started_at, finished_at, rate_limited_until)
           VALUES ($1, $2, 'incremental', 'manual', $3, now(), CASE WHEN $3 IN ('succeeded', 'failed') THEN now() END, ${limitedUntil}) RETURNING id`,
          [t, integration, state],
        )
      ).rows[0]!.id;
    const live = await run(i, 'running');
    await run(i, 'succeeded');
    await run(i, 'failed');
    await run(i2, 'rate_limited', "now() + interval '90 seconds'");
    await admin.query("INSERT INTO run_steps (run_id, tenant_id, step, ordinal) VALUES ($1, $2, 'issues', 0)", [live, t]);
    for (const status of ['pending', 'loaded', 'loaded', 'failed']) {
      await admin.query(`INSERT INTO raw_extraction_data (tenant_id, integration_id, run_id, step, stream, request_url, payload, payload_bytes, status) VALUES ($1, $2, $3, 'issues', 'issues', 'https://x', '{}', 2, $4)`, [t, i, live, status]);
    }
    const home = mkdtempSync(join(tmpdir(), 'sluice-metrics-'));
    const config = { ...loadConfig({ ...process.env, DATABASE_URL: db.url, SLUICE_HOME: home, SLUICE_WORKERS: 'off' }) };
    engine = await createEngine(config, { mode: 'headless', logger: pino({ level: 'silent' }), workerEntries: null, jobs: false, metricsPort: await freePort(), topology: { prefix: 'it-metrics-none.' } });
  }, 60_000);

  afterAll(async () => {
    await engine?.close();
    await admin?.end();
    await db?.drop();
  });

  it('serves runs, units, rate-limit waits and queue depths on its loopback port', async () => {
    expect(engine.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const info = (await engine.call('metrics.info', {}, { transport: 'test', tenantId: null, principal: 't' })) as { enabled: boolean; url: string };
    expect(info).toMatchObject({ enabled: true, url: engine.metricsUrl });
    const text = await scrape(engine.metricsUrl!);
    expect(value(text, `${METRIC_NAMES.runsByState}{state="running"}`)).toBe(1);
    expect(value(text, `${METRIC_NAMES.runsByState}{state="failed"}`)).toBe(1);
    expect(value(text, `${METRIC_NAMES.runsByState}{state="cancelled"}`)).toBe(0);
    expect(value(text, `${METRIC_NAMES.unitsByStatus}{status="loaded"}`)).toBe(2);
    expect(value(text, `${METRIC_NAMES.unitsByStatus}{status="failed"}`)).toBe(1);
    expect(value(text, METRIC_NAMES.rateLimitedRuns)).toBe(1);
    const wait = text.split('\n').find((l) => l.startsWith(`${METRIC_NAMES.rateLimitWaitSeconds}{`));
    expect(Number(wait?.split(' ')[1])).toBeGreaterThan(60);
    // The management API answers for the (empty) namespace: every queue is reported, at depth 0.
    expect(value(text, `${METRIC_NAMES.queueMessages}{queue="it-metrics-none.sluice.v1.extract",kind="stage",stage="extract",state="ready"}`)).toBe(0);
    expect(text).not.toContain(`${METRIC_NAMES.scrapeErrors}{source="postgres"}`);
    // Only GET /metrics.
    expect((await fetch(engine.metricsUrl!.replace('/metrics', '/'))).status).toBe(404);
  });

  it('reports pool health as counters and gauges, and counts a failing source instead of guessing', async () => {
    const pool: PoolHealth = { stage: 'transform', state: 'degraded', desired: 3, alive: 2, disconnected: 0, draining: 1, busy: 2, inFlight: 5, processed: 120, failed: 4, retried: 3, deadLettered: 1, restarts: 2, crashStreak: 1, nextRestartAt: null, lastError: null };
    const broken = new pg.Pool({ connectionString: 'postgres://nobody:x@127.0.0.1:9/none', connectionTimeoutMillis: 500 });
    broken.on('error', () => undefined);
    const registry = createMetricsRegistry({ pools: () => [{ hostId: 'h1', pools: [pool] }], db: broken, queues: null });
    const server = await startMetricsServer(registry, 0);
    try {
      const text = await scrape(server.url);
      expect(value(text, `${METRIC_NAMES.unitsProcessed}{host="h1",stage="transform"}`)).toBe(120);
      expect(value(text, `${METRIC_NAMES.unitsFailed}{host="h1",stage="transform"}`)).toBe(4);
      expect(value(text, `${METRIC_NAMES.poolThreads}{host="h1",stage="transform",state="alive"}`)).toBe(2);
      expect(value(text, `${METRIC_NAMES.poolThreads}{host="h1",stage="transform",state="desired"}`)).toBe(3);
      expect(value(text, `${METRIC_NAMES.poolUp}{host="h1",stage="transform"}`)).toBe(0);
      expect(value(text, `${METRIC_NAMES.poolRestarts}{host="h1",stage="transform"}`)).toBe(2);
      expect(value(text, `${METRIC_NAMES.scrapeErrors}{source="postgres"}`)).toBeGreaterThan(0);
      expect(value(text, `${METRIC_NAMES.runsByState}{state="running"}`)).toBeNull();
    } finally {
      await server.close();
      await broken.end().catch(() => undefined);
    }
  }, 30_000);

  it('validates the port setting with a sentence that says what to write', () => {
    expect(metricsPortFrom({})).toBeNull();
    expect(metricsPortFrom({ SLUICE_METRICS_PORT: 'off' })).toBeNull();
    expect(metricsPortFrom({ SLUICE_METRICS_PORT: '9464' })).toBe(9464);
    expect(metricsPortFrom({ SLUICE_METRICS_PORT: '9464' }, '9500')).toBe(9500);
    expect(() => metricsPortFrom({ SLUICE_METRICS_PORT: 'abc' })).toThrow('SLUICE_METRICS_PORT must be a port number, got "abc"; e.g. SLUICE_METRICS_PORT=9464.');
    expect(() => metricsPortFrom({}, '70000')).toThrow(/--metrics-port must be from 1 to 65535, got "70000"; e.g. --metrics-port 9464/);
    expect(requireEnv('RABBITMQ_MANAGEMENT_URL')).toMatch(/^http/);
  });
});
