import type pg from 'pg';

import { JobInput } from '../../../shared/contract/jobs';
import { seal, type SecretKey } from '../../../shared/lib/secret-box';
import { withTenant } from '../db/tenant-scope';
import { createJob } from '../jobs/store';

export const DEMO_TENANT_NAME = 'Demo';

/**
 * The Demo tenant that `sluice start` shows a new user. Created once; an operator who renames or
 * deactivates it is not overridden. Real tenants are created beside it, never mixed into it.
 */
export const ensureDemoTenant = async (pool: pg.Pool): Promise<{ id: number; created: boolean }> => {
  const inserted = await pool.query<{ id: number }>(
    `INSERT INTO tenants (name, tier) VALUES ($1, 'premium') ON CONFLICT ((lower(name))) DO NOTHING RETURNING id`,
    [DEMO_TENANT_NAME],
  );
  const row = inserted.rows[0];
  if (row) return { id: row.id, created: true };
  const existing = await pool.query<{ id: number }>('SELECT id FROM tenants WHERE lower(name) = lower($1)', [DEMO_TENANT_NAME]);
  return { id: existing.rows[0]?.id ?? 0, created: false };
};

export interface DemoSources {
  readonly jiraUrl: string;
  readonly githubUrl: string;
  /** The simulators' credential; sealed like any real token. */
  readonly token: string;
  readonly organization: string;
}

/**
 * The Demo tenant's Jira and GitHub integrations, pointing at the local simulators. Created once;
 * on later starts only their URLs (the simulators' ports change) and sealed token are refreshed.
 * Real integrations of the Demo tenant (is_demo = false) are never touched.
 */
export const ensureDemoIntegrations = async (
  pool: pg.Pool,
  tenantId: number,
  sources: DemoSources,
  key: SecretKey,
): Promise<{ created: string[]; jobs: string[] }> => {
  const wanted = [
    {
      provider: 'jira',
      name: 'Demo Jira',
      baseUrl: sources.jiraUrl,
      settings: { email: 'demo@sluice.local', projectKeys: [], baseJql: null, pageSize: 100, overlapMinutes: 5, rateLimitPerSecond: 20 },
    },
    {
      provider: 'github',
      name: 'Demo GitHub',
      baseUrl: sources.githubUrl,
      settings: { organization: sources.organization, repositoryPatterns: [], pageSize: 50, lookbackDays: 730, rateLimitPerSecond: 50 },
    },
  ] as const;
  const created: string[] = [];
  for (const w of wanted) {
    const inserted = await pool.query<{ id: string }>(
      `INSERT INTO integrations (tenant_id, provider, name, base_url, settings, is_demo)
       VALUES ($1, $2, $3, $4, $5, true)
       ON CONFLICT (tenant_id, lower(name)) DO UPDATE SET base_url = EXCLUDED.base_url, updated_at = now()
         WHERE integrations.is_demo
       RETURNING id, (xmax = 0) AS inserted`,
      [tenantId, w.provider, w.name, w.baseUrl, JSON.stringify(w.settings)],
    );
    const row = inserted.rows[0] as { id: string; inserted: boolean } | undefined;
    if (!row) continue; // a real integration already uses the name: leave it alone
    if (row.inserted) created.push(w.name);
    const sealed = await seal(key, sources.token, `integration:${row.id}`);
    await pool.query('UPDATE integrations SET secret_sealed = $2, secret_hint = $3 WHERE id = $1', [row.id, sealed, secretHint(sources.token)]);
    // Default type/status mappings and workflow (migration 0008); seeds only what is still empty, so an operator's edits stay.
    if (w.provider === 'jira') await pool.query('SELECT sluice_seed_jira_mappings($1, $2)', [tenantId, row.id]);
  }
  const jobs = await ensureDemoJobs(pool, tenantId);
  return { created, jobs };
};

/** Who created the Demo jobs, as the jobs table records it. */
export const DEMO_JOB_CREATOR = 'demo-seed';

/**
 * One incremental job per Demo integration, every 60 minutes, so the jobs dashboard has something
 * to run on a first start. Created once: only for a Demo integration that has no job and no run yet,
 * so an operator's edits (rename, schedule, deactivate) are never overridden and a job they deleted
 * after using it does not come back. Goes through the jobs store, so it is validated like any job.
 */
export const ensureDemoJobs = async (pool: pg.Pool, tenantId: number): Promise<string[]> => {
  const candidates = await pool.query<{ id: string; name: string }>(
    `SELECT i.id, i.name FROM integrations i
      WHERE i.tenant_id = $1 AND i.is_demo
        AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.integration_id = i.id)
        AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.integration_id = i.id)
      ORDER BY i.id`,
    [tenantId],
  );
  const created: string[] = [];
  for (const integration of candidates.rows) {
    const name = `${integration.name} sync`;
    const input = JobInput.parse({ integrationId: Number(integration.id), name, runKind: 'incremental', schedule: { type: 'interval', everyMinutes: 60 } });
    await withTenant(pool, tenantId, (client) => createJob(client, tenantId, input, DEMO_JOB_CREATOR));
    created.push(name);
  }
  return created;
};

/** What operators see instead of a token: its last four characters. */
export const secretHint = (token: string): string => (token.length > 8 ? `…${token.slice(-4)}` : '…');
