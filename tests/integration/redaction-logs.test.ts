import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';

import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadConfig } from '../../main/engine/config';
import { createEngine, type Engine } from '../../main/engine/engine';
import { startRun } from '../../main/engine/runs/start';
import { migratePostgres } from '../../main/migrate/postgres';
import { generateWorld, startJiraSimulator, type RunningSimulator } from '../../simulators';
import { createSupervisorHarness, type SupervisorHarness } from './supervisor-harness';
import { createTestDatabase, type TestDatabase } from './support/database';
import { requireEnv } from './support/env';
import { testTaskEntry, testWorkerEntries } from './support/entries';

/**
 * Issue 11: integration tokens never reach a log. A real engine with embedded worker threads runs
 * a Jira integration against the simulator, once with the right token (a full successful run) and
 * once against a server that refuses it (the error paths, where request details tend to leak). The
 * engine log (pino at debug), everything the worker threads and the process print, the run logs and
 * every row of every table are then searched for the token in the forms it travels in: none.
 */
const TOKEN = `sluice-canary-${randomBytes(12).toString('hex')}`;
const EMAIL = 'etl@example.com';
const FORMS = [TOKEN, Buffer.from(`${EMAIL}:${TOKEN}`).toString('base64'), encodeURIComponent(TOKEN), TOKEN.slice(0, 24)];

describe('log redaction of integration secrets over a real pipeline run', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let engine: Engine;
  let queues: SupervisorHarness;
  let good: RunningSimulator;
  let refusing: RunningSimulator;
  const engineLog: string[] = [];
  const printed: string[] = [];
  const restore: (() => void)[] = [];

  beforeAll(async () => {
    // Capture what worker threads and libraries print: worker stdio is piped into the parent's streams.
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write.bind(stream);
      stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        printed.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write;
      restore.push(() => (stream.write = original as typeof stream.write));
    }
    db = await createTestDatabase('redact');
    await migratePostgres(db.url);
    pool = new pg.Pool({ connectionString: db.url, max: 3 });
    queues = createSupervisorHarness('redact');
    const world = generateWorld({ scale: 'small', seed: 31 });
    good = await startJiraSimulator({ world, token: TOKEN });
    refusing = await startJiraSimulator({ world, token: 'a-different-token-the-server-wants' });
    const config = loadConfig({
      DATABASE_URL: db.url,
      RABBITMQ_URL: requireEnv('RABBITMQ_URL'),
      REDIS_URL: requireEnv('REDIS_URL'),
      SLUICE_WORKERS: 'extract=1,transform=1,load=1,vectorize=0',
      SLUICE_HOME: mkdtempSync(join(tmpdir(), 'sluice-redact-')),
    });
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (engineLog.push(chunk.toString('utf8')), done()) });
    engine = await createEngine(config, { mode: 'headless', logger: pino({ level: 'debug' }, sink), workerEntries: testWorkerEntries(), taskEntry: testTaskEntry(), topology: { prefix: queues.prefix }, jobs: false });
    const deadline = Date.now() + 180_000;
    for (;;) {
      const status = (await engine.call('workers.status', {}, { transport: 'test', tenantId: null, principal: 'test' })) as { embedded: { pools: { desired: number; alive: number }[] } };
      if (status.embedded.pools.length > 0 && status.embedded.pools.every((p) => p.alive >= p.desired)) break;
      if (Date.now() > deadline) throw new Error('the worker pools did not start');
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
    for (const r of restore) r();
    await good?.stop();
    await refusing?.stop();
    await queues?.cleanup();
    await pool?.end();
    await db?.drop();
  });

  const waitForEnd = async (runId: number): Promise<string> => {
    const deadline = Date.now() + 180_000;
    for (;;) {
      const state = (await pool.query<{ state: string }>('SELECT state FROM runs WHERE id = $1', [runId])).rows[0]!.state;
      if (['succeeded', 'partial', 'failed', 'cancelled'].includes(state)) return state;
      if (Date.now() > deadline) {
        const units = (await pool.query<{ status: string; n: string }>('SELECT status, count(*) AS n FROM raw_extraction_data WHERE run_id = $1 GROUP BY status', [runId])).rows;
        throw new Error(`run ${runId} did not end (state ${state}, units ${JSON.stringify(units)}); last output:\n${[...engineLog, ...printed].slice(-15).join('')}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  it('finds the token in no log, no printed line and no stored row after a good and a refused run', async () => {
    const tenantId = (await pool.query<{ id: number }>("INSERT INTO tenants (name) VALUES ('Redaction') RETURNING id")).rows[0]!.id;
    const ctx = { transport: 'test' as const, tenantId, principal: 'test' };
    const create = async (name: string, baseUrl: string): Promise<number> =>
      ((await engine.call('integrations.create', { provider: 'jira', name, baseUrl, token: TOKEN, settings: { email: EMAIL, overlapMinutes: 0 } }, ctx)) as { id: number }).id;
    const goodId = await create('Good Jira', good.url);
    const refusedId = await create('Refused Jira', refusing.url);
    // The engine's own connection test sends the token too (and fails for the refusing one).
    const tested = (await engine.call('integrations.testConnection', { integrationId: refusedId }, ctx)) as { ok: boolean };
    expect(tested.ok).toBe(false);

    const okRun = (await startRun(pool, { tenantId, integrationId: goodId, kind: 'full_refresh', trigger: 'manual' })).runId;
    expect(await waitForEnd(okRun)).toBe('succeeded');
    const badRun = (await startRun(pool, { tenantId, integrationId: refusedId, kind: 'full_refresh', trigger: 'manual' })).runId;
    // Every unit is refused (401): wait for the failures to be stored with their errors. Whether the
    // run then ends at once or after its retries is not this test's business.
    const failedUnits = async (): Promise<number> => Number((await pool.query<{ n: string }>("SELECT count(*) AS n FROM raw_extraction_data WHERE run_id = $1 AND status = 'failed' AND error IS NOT NULL", [badRun])).rows[0]!.n);
    const until = Date.now() + 120_000;
    while ((await failedUnits()) === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
    expect(await failedUnits()).toBeGreaterThan(0);
    await engine.call('runs.cancel', { id: badRun }, ctx).catch(() => undefined);
    // Let the threads' last lines and the run log writes land.
    await new Promise((r) => setTimeout(r, 1500));

    // The run really did work and really did fail: the searches below look at real output.
    expect(Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM work_items WHERE integration_id = $1', [goodId])).rows[0]!.n)).toBeGreaterThan(0);
    const logs = (await engine.call('runs.logs', { id: badRun }, ctx)) as { logs: unknown[] };
    const runLogText = JSON.stringify(logs) + JSON.stringify(await engine.call('runs.logs', { id: okRun }, ctx));
    expect(runLogText).toMatch(/401|refused|token|unauthori[sz]ed/i);
    expect(engineLog.join('').length).toBeGreaterThan(0);

    const haystacks: Record<string, string> = { 'engine log': engineLog.join(''), 'printed by workers and libraries': printed.join(''), 'run logs': runLogText };
    const tables = (await pool.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'")).rows.map((r) => r.t);
    for (const t of tables) haystacks[`table ${t}`] = (await pool.query<{ row: string }>(`SELECT (x.*)::text AS row FROM ${t} x`)).rows.map((r) => r.row).join('\n');
    expect(Object.keys(haystacks)).toContain('table integrations');
    for (const [where, text] of Object.entries(haystacks)) {
      for (const form of FORMS) expect(text.includes(form), `${where} contains the token (as ${form === TOKEN ? 'itself' : form})`).toBe(false);
    }
  }, 300_000);
});
