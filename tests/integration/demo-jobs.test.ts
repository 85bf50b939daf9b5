import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ensureDemoIntegrations, ensureDemoJobs, ensureDemoTenant } from '../../main/engine/seed/demo';
import { migratePostgres } from '../../main/migrate/postgres';
import type { SecretKey } from '../../shared/lib/secret-box';
import { createTestDatabase, type TestDatabase } from './support/database';

/** The Demo jobs of `sluice start`: one per Demo integration, created once, never over an operator's edits. */
describe('Demo jobs', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  const sources = { jiraUrl: 'http://127.0.0.1:1111', githubUrl: 'http://127.0.0.1:2222', token: 'sim-token-abcdef', organization: 'sluice-demo' };

  beforeAll(async () => {
    db = await createTestDatabase('demojobs');
    await migratePostgres(db.url);
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('creates an incremental hourly job per Demo integration once, and keeps an operator’s edits', async () => {
    const tenantId = (await ensureDemoTenant(pool)).id;
    const key: SecretKey = { id: 'testkey7', bytes: new Uint8Array(32).fill(7) };
    const first = await ensureDemoIntegrations(pool, tenantId, sources, key);
    expect(first.jobs).toEqual(['Demo Jira sync', 'Demo GitHub sync']);
    const rows = await pool.query<{ name: string; run_kind: string; schedule: unknown; active: boolean; next_run_at: Date | null; created_by: string }>('SELECT name, run_kind, schedule, active, next_run_at, created_by FROM jobs ORDER BY id');
    expect(rows.rows.map((r) => [r.name, r.run_kind, r.schedule, r.active, r.created_by])).toEqual([
      ['Demo Jira sync', 'incremental', { type: 'interval', everyMinutes: 60 }, true, 'demo-seed'],
      ['Demo GitHub sync', 'incremental', { type: 'interval', everyMinutes: 60 }, true, 'demo-seed'],
    ]);
    expect(rows.rows.every((r) => r.next_run_at !== null && r.next_run_at.getTime() > Date.now())).toBe(true);

    // An operator renames one and deactivates the other: later starts change nothing.
    await pool.query("UPDATE jobs SET name = 'My Jira', active = false, next_run_at = NULL WHERE name = 'Demo Jira sync'");
    expect((await ensureDemoIntegrations(pool, tenantId, sources, key)).jobs).toEqual([]);
    expect((await pool.query('SELECT name FROM jobs ORDER BY id')).rows.map((r: { name: string }) => r.name)).toEqual(['My Jira', 'Demo GitHub sync']);

    // A job deleted after it ran does not come back (its runs stay in the history).
    const github = (await pool.query<{ id: string; integration_id: string }>("SELECT id, integration_id FROM jobs WHERE name = 'Demo GitHub sync'")).rows[0]!;
    await pool.query("INSERT INTO runs (tenant_id, integration_id, job_id, kind, trigger, state, started_at, finished_at) VALUES ($1, $2, $3, 'incremental', 'manual', 'succeeded', now(), now())", [tenantId, github.integration_id, github.id]);
    await pool.query('DELETE FROM jobs WHERE id = $1', [github.id]);
    expect(await ensureDemoJobs(pool, tenantId)).toEqual([]);
  });
});
