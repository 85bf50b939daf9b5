import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { withTenant } from '../../main/engine/db/tenant-scope';
import { ensureDemoIntegrations, ensureDemoTenant } from '../../main/engine/seed/demo';
import { migratePostgres } from '../../main/migrate/postgres';
import { open, type SecretKey } from '../../shared/lib/secret-box';
import { generateWorld } from '../../simulators';
import { loadJiraMappings } from '../../workers/connectors/jira/mappings';
import { createTestDatabase, type TestDatabase } from './support/database';

const key: SecretKey = { id: 'testkey1', bytes: new Uint8Array(32).fill(9) };
const sources = { jiraUrl: 'http://127.0.0.1:1111', githubUrl: 'http://127.0.0.1:2222', token: 'sim-token-abcdef', organization: 'sluice-demo' };

describe('the Demo tenant and its integrations', () => {
  let db: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await createTestDatabase('demo');
    await migratePostgres(db.url);
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('is created once; later starts only refresh the simulator URLs', async () => {
    const first = await ensureDemoTenant(pool);
    expect(first.created).toBe(true);
    expect((await ensureDemoIntegrations(pool, first.id, sources, key)).created).toEqual(['Demo Jira', 'Demo GitHub']);

    const again = await ensureDemoTenant(pool);
    expect(again).toEqual({ id: first.id, created: false });
    const moved = { ...sources, jiraUrl: 'http://127.0.0.1:3333' };
    expect((await ensureDemoIntegrations(pool, first.id, moved, key)).created).toEqual([]);

    const rows = (await pool.query('SELECT provider, name, base_url, settings, is_demo, secret_hint FROM integrations ORDER BY provider DESC')).rows;
    expect(rows).toEqual([
      expect.objectContaining({ provider: 'jira', name: 'Demo Jira', base_url: 'http://127.0.0.1:3333', is_demo: true, secret_hint: '…cdef' }),
      expect.objectContaining({ provider: 'github', name: 'Demo GitHub', base_url: 'http://127.0.0.1:2222', is_demo: true }),
    ]);
    expect(rows[1].settings).toMatchObject({ organization: 'sluice-demo' });
    expect((await pool.query('SELECT count(*)::int AS n FROM tenants')).rows[0].n).toBe(1);
  });

  it('seeds the Demo Jira mappings once, covering every type and status of the demo world, and keeps operator edits', async () => {
    const tenantId = (await ensureDemoTenant(pool)).id;
    const jira = (await pool.query<{ id: string }>("SELECT id FROM integrations WHERE name = 'Demo Jira'")).rows[0]!;
    const integration = { id: Number(jira.id), tenantId };
    const counts = async () =>
      (
        await pool.query<Record<string, number>>(
          `SELECT (SELECT count(*)::int FROM wits_hierarchies) AS hierarchies, (SELECT count(*)::int FROM wits_mappings) AS wits,
                  (SELECT count(*)::int FROM workflows) AS steps, (SELECT count(*)::int FROM statuses_mappings) AS statuses,
                  (SELECT count(*)::int FROM custom_fields_mappings) AS fields`,
        )
      ).rows[0]!;
    const seeded = await counts();
    expect(seeded).toMatchObject({ hierarchies: 6, steps: 12, fields: 1 });
    expect(seeded.wits).toBeGreaterThanOrEqual(28);
    expect(seeded.statuses).toBeGreaterThanOrEqual(100);
    // Only the Jira integration gets them.
    expect((await pool.query("SELECT DISTINCT integration_id FROM workflows")).rows).toEqual([{ integration_id: jira.id }]);

    const mappings = await loadJiraMappings(pool, integration);
    expect(mappings.workflow.filter((w) => w.isCommitmentPoint)).toEqual([{ stepName: 'To Do', stepNumber: 4, stepCategory: 'To Do', isCommitmentPoint: true }]);
    const world = generateWorld({ scale: 'demo', seed: 1 });
    const types = [...new Set(world.jira.issueTypes.map((t) => String(t.name)))];
    const statuses = [...new Set(world.jira.statuses.map((s) => String(s.name)))];
    expect(types).toEqual(expect.arrayContaining(['Tâche', 'Épopée', 'Initiative']));
    expect(statuses).toEqual(expect.arrayContaining(['Prêt à déployer', 'Triage', 'QA / Recette']));
    const wits = new Set(mappings.wits.map((w) => w.witFrom.toLowerCase()));
    const mapped = new Set(mappings.statuses.map((s) => s.statusFrom.toLowerCase()));
    expect(types.filter((t) => !wits.has(t.toLowerCase()))).toEqual([]);
    expect(statuses.filter((s) => !mapped.has(s.toLowerCase()))).toEqual([]);
    expect(mappings.statuses.find((s) => s.statusFrom === "Won't Do")).toMatchObject({ stepName: 'Discarded', category: 'Discarded' });

    // An operator edits one mapping and deletes another; later starts (and a direct re-seed) change nothing.
    await pool.query("UPDATE wits_mappings SET wit_to = 'Defect' WHERE wit_from = 'Bug'");
    await pool.query("DELETE FROM statuses_mappings WHERE status_from = 'Blocked'");
    await ensureDemoIntegrations(pool, tenantId, sources, key);
    expect((await pool.query('SELECT sluice_seed_jira_mappings($1, $2) AS n', [tenantId, jira.id])).rows[0].n).toBe(0);
    expect(await counts()).toEqual({ ...seeded, statuses: seeded.statuses! - 1 });
    expect((await pool.query("SELECT wit_to FROM wits_mappings WHERE wit_from = 'Bug'")).rows).toEqual([{ wit_to: 'Defect' }]);
  });

  it('holds exactly one commitment point per integration, checked at commit', async () => {
    const jira = (await pool.query<{ id: string }>("SELECT id FROM integrations WHERE name = 'Demo Jira'")).rows[0]!;
    await expect(pool.query("UPDATE workflows SET is_commitment_point = true WHERE step_name = 'In Progress' AND integration_id = $1", [jira.id])).rejects.toThrow(/workflows_one_commitment_point/);
    await expect(pool.query("UPDATE workflows SET is_commitment_point = false WHERE step_name = 'To Do' AND integration_id = $1", [jira.id])).rejects.toThrow(/exactly one step must be the commitment point/);
    // Moving it in one transaction works, in either order of the two updates.
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await c.query("UPDATE workflows SET is_commitment_point = false WHERE step_name = 'To Do' AND integration_id = $1", [jira.id]);
      await c.query("UPDATE workflows SET is_commitment_point = true WHERE step_name = 'Ready to Work' AND integration_id = $1", [jira.id]);
      await c.query('COMMIT');
    } finally {
      c.release();
    }
    const points = (await pool.query('SELECT step_name FROM workflows WHERE is_commitment_point AND integration_id = $1', [jira.id])).rows;
    expect(points).toEqual([{ step_name: 'Ready to Work' }]);
    await expect(pool.query("UPDATE workflows SET is_commitment_point = true WHERE step_name = 'Discarded' AND integration_id = $1", [jira.id])).rejects.toThrow(/commitment_point_numbered|one_commitment_point/);
  });

  it('stores the token sealed, bound to its row, and hides the sealed column from the tenant role', async () => {
    const row = (await pool.query<{ id: string; secret_sealed: string }>("SELECT id, secret_sealed FROM integrations WHERE name = 'Demo Jira'")).rows[0]!;
    expect(row.secret_sealed).not.toContain(sources.token);
    await expect(open([key], row.secret_sealed, `integration:${row.id}`)).resolves.toBe(sources.token);
    await expect(open([key], row.secret_sealed, 'integration:999')).rejects.toThrow(/integrity/);
    const tenantId = (await ensureDemoTenant(pool)).id;
    const visible = await withTenant(pool, tenantId, async (c) => (await c.query('SELECT id, name, secret_hint FROM integrations')).rowCount);
    expect(visible).toBe(2);
    await expect(withTenant(pool, tenantId, (c) => c.query('SELECT secret_sealed FROM integrations'))).rejects.toThrow(/permission denied/);
  });

  it('leaves a real integration that happens to use a demo name alone', async () => {
    const tenantId = (await ensureDemoTenant(pool)).id;
    await pool.query("UPDATE integrations SET is_demo = false, base_url = 'https://acme.atlassian.net' WHERE name = 'Demo Jira'");
    await ensureDemoIntegrations(pool, tenantId, sources, key);
    const row = (await pool.query("SELECT base_url FROM integrations WHERE name = 'Demo Jira'")).rows[0];
    expect(row.base_url).toBe('https://acme.atlassian.net');
  });
});
