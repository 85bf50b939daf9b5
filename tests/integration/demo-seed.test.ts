import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { withTenant } from '../../main/engine/db/tenant-scope';
import { ensureDemoIntegrations, ensureDemoTenant } from '../../main/engine/seed/demo';
import { migratePostgres } from '../../main/migrate/postgres';
import { open, type SecretKey } from '../../shared/lib/secret-box';
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
