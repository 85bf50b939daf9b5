import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { withTenant } from '../../main/engine/db/tenant-scope';
import { migratePostgres } from '../../main/migrate/postgres';
import { advanceUnit, markExtractionDone, runCounters, tryCompleteRun } from '../../workers/accounting/run-accounting';
import { createTestDatabase, type TestDatabase } from './support/database';

/**
 * Exact completion under concurrency: many workers finish units in random order, each calling the
 * completion check after its commit; the run finishes exactly once, only when all is done.
 */
describe('run accounting and exact completion', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let tenant: number;
  let integration: number;

  beforeAll(async () => {
    db = await createTestDatabase('runs');
    await migratePostgres(db.url);
    pool = new pg.Pool({ connectionString: db.url, max: 10 });
    tenant = (await pool.query<{ id: number }>("INSERT INTO tenants (name) VALUES ('Acme') RETURNING id")).rows[0]!.id;
    integration = Number((await pool.query<{ id: string }>("INSERT INTO integrations (tenant_id, provider, name, base_url) VALUES ($1, 'jira', 'J', 'https://j.example') RETURNING id", [tenant])).rows[0]!.id);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  /** A running run with the given steps and `units` raw units per step of `records` records each. */
  const makeRun = async (steps: string[], units: number, records = 10): Promise<{ runId: string; rawIds: string[] }> => {
    const runId = (await pool.query<{ id: string }>(
      "INSERT INTO runs (tenant_id, integration_id, kind, trigger, state, started_at) VALUES ($1, $2, 'full_refresh', 'manual', 'running', now()) RETURNING id",
      [tenant, integration],
    )).rows[0]!.id;
    const rawIds: string[] = [];
    for (const [ordinal, step] of steps.entries()) {
      await pool.query('INSERT INTO run_steps (run_id, tenant_id, step, ordinal) VALUES ($1, $2, $3, $4)', [runId, tenant, step, ordinal]);
      const ids = await pool.query<{ id: string }>(
        `INSERT INTO raw_extraction_data (tenant_id, integration_id, run_id, step, stream, request_url, payload, payload_bytes, record_count)
         SELECT $1, $2, $3, $4, $4, 'https://j.example/page/' || g, '{}', 2, $5 FROM generate_series(1, $6) g RETURNING id`,
        [tenant, integration, runId, step, records, units],
      );
      rawIds.push(...ids.rows.map((r) => r.id));
    }
    return { runId, rawIds };
  };

  /** One worker's handling of a unit: transform then load, each committed, then the completion check. */
  const process = async (runId: string, rawId: string, fail: boolean): Promise<string | null> => {
    if (fail) await advanceUnit(pool, rawId, ['pending', 'transformed'], 'failed', { message: 'poison' });
    else {
      await advanceUnit(pool, rawId, ['pending'], 'transformed');
      await advanceUnit(pool, rawId, ['transformed'], 'loaded');
    }
    return tryCompleteRun(pool, runId);
  };

  it('does not finish while a step is still extracting, even with nothing pending', async () => {
    const { runId, rawIds } = await makeRun(['projects', 'issues'], 3);
    for (const id of rawIds) expect(await process(runId, id, false)).toBeNull();
    await markExtractionDone(pool, runId, 'projects');
    expect(await tryCompleteRun(pool, runId)).toBeNull();
    await markExtractionDone(pool, runId, 'issues');
    expect(await tryCompleteRun(pool, runId)).toBe('succeeded');
    expect(await tryCompleteRun(pool, runId)).toBeNull(); // already finished: nobody wins twice
  });

  it('finishes exactly once when 8 workers race over 400 units, with exact counters', async () => {
    const { runId, rawIds } = await makeRun(['statuses', 'issues'], 200, 7);
    await markExtractionDone(pool, runId, 'statuses');
    await markExtractionDone(pool, runId, 'issues');
    const shuffled = [...rawIds].sort(() => Math.random() - 0.5);
    const queue = [...shuffled];
    const wins: string[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
          const won = await process(runId, id, false);
          if (won) wins.push(won);
        }
      }),
    );
    expect(wins).toEqual(['succeeded']);
    const counters = await runCounters(pool, runId);
    expect(counters).toEqual([
      { step: 'statuses', units: 200, extracted: 1400, transformed: 1400, loaded: 1400, failed: 0, skipped: 0, pending: 0 },
      { step: 'issues', units: 200, extracted: 1400, transformed: 1400, loaded: 1400, failed: 0, skipped: 0, pending: 0 },
    ]);
    const final = (await pool.query("SELECT final_counters FROM run_steps WHERE run_id = $1 AND step = 'issues'", [runId])).rows[0].final_counters;
    expect(final).toMatchObject({ units: 200, loaded: 1400 });
  });

  it('ends partial when a unit failed, and a redelivered unit changes nothing', async () => {
    const { runId, rawIds } = await makeRun(['issues'], 5, 4);
    await markExtractionDone(pool, runId, 'issues');
    const [poison, ...rest] = rawIds as [string, ...string[]];
    await process(runId, poison, true);
    for (const id of rest.slice(0, -1)) await process(runId, id, false);
    const last = rest.at(-1)!;
    expect(await process(runId, last, false)).toBe('partial');
    // The same message delivered again: the guarded updates match nothing, nothing is counted twice.
    expect(await advanceUnit(pool, last, ['pending'], 'transformed')).toBe(false);
    expect(await advanceUnit(pool, last, ['transformed'], 'loaded')).toBe(false);
    const [counters] = await runCounters(pool, runId);
    expect(counters).toMatchObject({ units: 5, extracted: 20, loaded: 16, failed: 1, pending: 0 });
    const run = (await pool.query('SELECT state, finished_at IS NOT NULL AS finished FROM runs WHERE id = $1', [runId])).rows[0];
    expect(run).toEqual({ state: 'partial', finished: true });
  });

  it('keeps runs and their steps tenant-isolated', async () => {
    const other = (await pool.query<{ id: number }>("INSERT INTO tenants (name) VALUES ('Globex') RETURNING id")).rows[0]!.id;
    const { runId } = await makeRun(['issues'], 1);
    expect(await withTenant(pool, other, async (c) => (await c.query('SELECT id FROM runs WHERE id = $1', [runId])).rowCount)).toBe(0);
    expect(await withTenant(pool, other, async (c) => (await c.query('SELECT * FROM run_steps WHERE run_id = $1', [runId])).rowCount)).toBe(0);
    expect(await withTenant(pool, tenant, async (c) => (await c.query('SELECT id FROM runs WHERE id = $1', [runId])).rowCount)).toBe(1);
  });
});
