import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { migratePostgres } from '../../main/migrate/postgres';
import { generateWorld, startJiraSimulator, type RunningSimulator } from '../../simulators';
import { extractJiraPage } from '../../workers/connectors/jira/extract/streams';
import { repoRoot } from './sim-helpers';
import { createTestDatabase, type TestDatabase } from './support/database';

/**
 * `sluice transform` (issue 5): the real transform on a raw payload file, printed as NDJSON, with the
 * tenant's current mappings when an integration is named, and clear errors for bad input. Runs the
 * built CLI (`npm test` builds first).
 */
const TOKEN = 'cli-transform-token';

interface Line {
  table: string;
  row: Record<string, unknown>;
}

const cli = (args: string[], env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, ['bin/sluice.js', 'transform', ...args], { cwd: repoRoot, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 });
  const lines: Line[] = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
  return { status: r.status, lines, stderr: r.stderr };
};

describe('sluice transform', () => {
  const world = generateWorld({ scale: 'small', seed: 31 });
  let sim: RunningSimulator;
  let db: TestDatabase;
  let dir: string;
  let integrationId = 0;
  let unitFile = '';
  let issuesOnPage = 0;

  beforeAll(async () => {
    sim = await startJiraSimulator({ world, token: TOKEN });
    db = await createTestDatabase('clitx');
    await migratePostgres(db.url);
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    try {
      const tenant = (await pool.query<{ id: number }>("INSERT INTO tenants (name) VALUES ('CLI') RETURNING id")).rows[0]!.id;
      integrationId = Number((await pool.query<{ id: string }>("INSERT INTO integrations (tenant_id, provider, name, base_url) VALUES ($1, 'jira', 'Jira', 'https://x.atlassian.net') RETURNING id", [tenant])).rows[0]!.id);
      await pool.query('SELECT sluice_seed_jira_mappings($1, $2)', [tenant, integrationId]);
    } finally {
      await pool.end();
    }
    // A real issues page, as extract stores it, exported as a unit.
    const project = world.jira.projects[0]!.key;
    const page = await extractJiraPage({ integration: { id: 1, tenantId: 1, provider: 'jira', baseUrl: sim.url, settings: { email: 'etl@example.com', pageSize: 10 } }, step: 'issues', stream: 'issues', partition: project, cursor: null, signal: new AbortController().signal, secret: TOKEN });
    issuesOnPage = page.recordCount;
    dir = mkdtempSync(join(tmpdir(), 'sluice-cli-tx-'));
    unitFile = join(dir, 'unit.json');
    writeFileSync(unitFile, JSON.stringify({ stream: 'issues', parentKey: project, payload: page.payload }));
  }, 60_000);
  afterAll(async () => {
    await sim?.stop();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints the unified rows of an exported unit as NDJSON, flagged as unmapped without an integration', () => {
    const r = cli(['--provider', 'jira', '--file', unitFile], { DATABASE_URL: '' });
    expect(r.status, r.stderr).toBe(0);
    const items = r.lines.filter((l) => l.table === 'work_items');
    expect(items).toHaveLength(issuesOnPage);
    expect(items.every((l) => l.row['wit_mapped'] === false && l.row['status_mapped'] === false)).toBe(true);
    expect(r.lines.some((l) => l.table === 'changelogs')).toBe(true);
    expect(r.stderr).toMatch(/1 unit\(s\) → \d+ work_items.*no mappings \(pass --integration N/);
  });

  it("uses the integration's current mappings with --integration", () => {
    const r = cli(['--provider', 'jira', '--file', unitFile, '--integration', String(integrationId)], { DATABASE_URL: db.url });
    expect(r.status, r.stderr).toBe(0);
    const items = r.lines.filter((l) => l.table === 'work_items');
    expect(items).toHaveLength(issuesOnPage);
    expect(items.every((l) => l.row['wit_mapped'] === true && typeof l.row['wit_to'] === 'string')).toBe(true);
    expect(r.stderr).toMatch(new RegExp(`mappings of integration ${integrationId}`));
  });

  it('says what is wrong with bad input, and exits non-zero', () => {
    const bare = join(dir, 'bare.json');
    writeFileSync(bare, JSON.stringify({ issues: [] }));
    expect(cli(['--provider', 'jira', '--file', bare])).toMatchObject({ status: 2, stderr: expect.stringMatching(/bare payload: say which stream.*--stream/) });
    expect(cli(['--provider', 'jira', '--file', bare, '--stream', 'nope'])).toMatchObject({ status: 2, stderr: expect.stringMatching(/no stream nope; its streams are projects, statuses/) });
    expect(cli(['--provider', 'jira', '--file', join(dir, 'missing.json')])).toMatchObject({ status: 2, stderr: expect.stringMatching(/Cannot read .*missing\.json/) });
    const poison = join(dir, 'poison.json');
    writeFileSync(poison, JSON.stringify({ stream: 'issues', partition: 'X', payload: { search: { issues: [{ id: 'x' }] }, changelogs: {} } }));
    const failed = cli(['--provider', 'jira', '--file', poison]);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/unit 1 \(issues\): PermanentError/);
    expect(failed.stderr).toMatch(/1 of 1 unit\(s\) could not be transformed/);
  });
});
