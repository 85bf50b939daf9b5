// Over 300 lines on purpose: one engine and database for every integrations.* call's checks; the
// describe blocks are the parts (create/edit, validation, guards, tenancy).
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ApiError } from '../../shared/contract/errors';
import type { Integration } from '../../shared/contract/integrations';
import { open } from '../../shared/lib/secret-box';
import { loadConfig } from '../../main/engine/config';
import { createEngine, type Engine } from '../../main/engine/engine';
import { silentLogger } from '../../main/engine/logger';
import { loadOrCreateSecretKey } from '../../main/engine/secrets/key';
import { createPool } from '../../main/engine/db/pool';
import { dispatch } from '../../main/engine/dispatch';
import { integrationHandlers } from '../../main/engine/handlers/integrations';
import { createTaskRunner } from '../../main/engine/tasks';
import type { Handlers } from '../../main/engine/types';
import type { CallContext } from '../../main/engine/types';
import { migratePostgres } from '../../main/migrate/postgres';
import { generateWorld, startGithubSimulator, startJiraSimulator, type RunningSimulator } from '../../simulators';
import { createTestDatabase, type TestDatabase } from './support/database';
import { testTaskEntry } from './support/entries';

/**
 * The integrations and tenants API against real Postgres, through the engine's call path (contract
 * validation, handlers, RLS). Bad input must give a clear error and change nothing; the token must
 * never come back; the active-runs guard and tenant isolation must hold.
 */
const TOKEN = 'jira-api-token-0123456789';
const secretKeyB64 = randomBytes(32).toString('base64');

let db: TestDatabase;
let admin: pg.Client;
let engine: Engine;
let jira: RunningSimulator;
let github: RunningSimulator;
let home: string;
let tenantA: number;
let tenantB: number;

const as = (tenantId: number | null): CallContext => ({ transport: 'test', tenantId, principal: 'test' });
const call = <T = unknown>(method: string, input: unknown, tenantId: number | null = tenantA): Promise<T> => engine.call(method, input, as(tenantId)) as Promise<T>;
const failure = async (promise: Promise<unknown>): Promise<ApiError> => {
  const e = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  if (!(e instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(e)}`);
  return e;
};
const count = async (sql: string, params: unknown[] = []): Promise<number> => Number((await admin.query<{ n: string }>(`SELECT count(*) AS n FROM (${sql}) x`, params)).rows[0]!.n);
const snapshot = async () => (await admin.query('SELECT id, name, base_url, settings, secret_sealed, secret_hint, active FROM integrations ORDER BY id')).rows;

const jiraInput = (over: Record<string, unknown> = {}) => ({
  provider: 'jira',
  name: 'Jira Cloud',
  baseUrl: `${jira.url}/`,
  token: `  ${TOKEN}  `,
  settings: { email: 'ops@example.com', projectKeys: [], baseJql: null },
  ...over,
});

beforeAll(async () => {
  db = await createTestDatabase('integrations');
  await migratePostgres(db.url);
  admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  const world = generateWorld({ scale: 'small', seed: 5 });
  jira = await startJiraSimulator({ world, token: TOKEN });
  github = await startGithubSimulator({ world, token: TOKEN });
  home = mkdtempSync(join(tmpdir(), 'sluice-integrations-'));
  engine = await createEngine(loadConfig({ DATABASE_URL: db.url, SLUICE_HOME: home, SLUICE_SECRET_KEY: secretKeyB64, SLUICE_WORKERS: 'off' }), {
    mode: 'headless',
    logger: silentLogger(),
    taskEntry: testTaskEntry(),
  });
  tenantA = (await call<{ id: number }>('tenants.create', { name: 'Acme' }, null)).id;
  tenantB = (await call<{ id: number }>('tenants.create', { name: 'Beta', tier: 'basic' }, null)).id;
});

afterAll(async () => {
  await engine?.close();
  await admin?.end();
  await Promise.all([jira?.stop(), github?.stop()]);
  await db?.drop();
});

describe('tenants', () => {
  it('creates, renames, re-tiers and deactivates a tenant', async () => {
    const t = await call<{ id: number; name: string; tier: string; active: boolean }>('tenants.create', { name: '  Gamma  ', tier: 'free' }, null);
    expect(t).toMatchObject({ name: 'Gamma', tier: 'free', active: true });
    expect(await call('tenants.update', { id: t.id, name: 'Gamma Corp', tier: 'enterprise' }, null)).toMatchObject({ name: 'Gamma Corp', tier: 'enterprise', active: true });
    expect(await call('tenants.update', { id: t.id, active: false }, null)).toMatchObject({ name: 'Gamma Corp', active: false });
    const { tenants } = await call<{ tenants: { name: string }[] }>('tenants.list', {}, null);
    expect(tenants.map((x) => x.name)).toEqual(['Acme', 'Beta', 'Gamma Corp']);
  });

  it('refuses a duplicate name (any case) at the name field and changes nothing', async () => {
    const before = (await admin.query('SELECT * FROM tenants ORDER BY id')).rows;
    const dup = await failure(call('tenants.create', { name: 'ACME' }, null));
    expect(dup).toMatchObject({ code: 'conflict', message: 'A tenant named "ACME" already exists (names ignore case); pick another name.' });
    expect(dup.issues).toEqual([{ path: 'name', message: 'already used by another tenant' }]);
    const rename = await failure(call('tenants.update', { id: tenantB, name: 'acme', tier: 'free' }, null));
    expect(rename.code).toBe('conflict');
    expect((await admin.query('SELECT * FROM tenants ORDER BY id')).rows).toEqual(before);
  });

  it('refuses bad input with the field, and an unknown tenant', async () => {
    const empty = await failure(call('tenants.create', { name: '   ' }, null));
    expect(empty).toMatchObject({ code: 'bad_request', issues: [{ path: 'name', message: 'give the tenant a name' }] });
    expect((await failure(call('tenants.create', { name: 'X', tier: 'gold' }, null))).issues?.[0]?.path).toBe('tier');
    expect((await failure(call('tenants.update', { id: tenantA }, null))).message).toContain('nothing to change');
    expect((await failure(call('tenants.update', { id: 999_999, active: false }, null))).code).toBe('not_found');
  });
});

describe('integrations: create and read', () => {
  let created: Integration;

  it('creates a Jira integration, seals the token and never returns it', async () => {
    created = await call<Integration>('integrations.create', jiraInput());
    expect(created).toMatchObject({ provider: 'jira', name: 'Jira Cloud', baseUrl: jira.url, hasSecret: true, secretHint: `…${TOKEN.slice(-4)}`, active: true, activeRuns: 0 });
    // The settings schema's defaults are stored, so workers read complete settings.
    expect(created.settings).toEqual({ email: 'ops@example.com', projectKeys: [], baseJql: null, pageSize: 100, overlapMinutes: 5 });
    const { integrations } = await call<{ integrations: Integration[] }>('integrations.list', {});
    const got = await call('integrations.get', { id: created.id });
    for (const answer of [created, integrations, got]) expect(JSON.stringify(answer)).not.toContain(TOKEN.slice(0, 12));
    const row = (await admin.query<{ secret_sealed: string }>('SELECT secret_sealed FROM integrations WHERE id = $1', [created.id])).rows[0]!;
    expect(row.secret_sealed).not.toContain(TOKEN);
    const key = loadOrCreateSecretKey(home, secretKeyB64);
    expect(await open([key], row.secret_sealed, `integration:${created.id}`)).toBe(TOKEN);
  });

  it('allows several integrations per provider, and filters the list', async () => {
    await call('integrations.create', jiraInput({ name: 'Second Jira', active: false }));
    await call('integrations.create', { provider: 'github', name: 'GitHub', baseUrl: github.url, token: TOKEN, settings: { organization: github.world.meta.organization } });
    const names = async (filters: unknown) => (await call<{ integrations: Integration[] }>('integrations.list', filters)).integrations.map((i) => i.name);
    expect(await names({})).toEqual(['GitHub', 'Jira Cloud', 'Second Jira']);
    expect(await names({ provider: 'jira' })).toEqual(['Jira Cloud', 'Second Jira']);
    expect(await names({ active: false })).toEqual(['Second Jira']);
    expect(await names({ search: 'SECOND' })).toEqual(['Second Jira']);
    expect(await names({ search: '127.0.0.1' })).toHaveLength(3);
  });

  it('refuses bad input at the field and stores nothing', async () => {
    const before = await snapshot();
    const cases: [Record<string, unknown>, string][] = [
      [{ settings: { email: 'not-an-email' } }, 'settings.email'],
      [{ settings: { projectKeys: ['lower'] } }, 'settings.projectKeys.0'],
      [{ settings: { baseJql: 'project = X ORDER BY created' } }, 'settings.baseJql'],
      [{ settings: { pageSize: 500 } }, 'settings.pageSize'],
      [{ settings: { surprise: true } }, 'settings'],
      [{ baseUrl: 'ftp://jira.example.com' }, 'baseUrl'],
      [{ baseUrl: 'https://user:pw@jira.example.com' }, 'baseUrl'],
      [{ name: '' }, 'name'],
      [{ token: '   ' }, 'token'],
    ];
    for (const [over, path] of cases) {
      const e = await failure(call('integrations.create', jiraInput({ name: 'Bad one', ...over })));
      expect(e.code, path).toBe('bad_request');
      expect(e.issues?.map((i) => i.path), path).toContain(path);
      expect(e.message).toMatch(/^Invalid input for integrations\.create: /);
    }
    const provider = await failure(call('integrations.create', jiraInput({ provider: 'gitlab' })));
    expect(provider.issues?.[0]?.path).toBe('provider');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a duplicate name at the name field and stores nothing', async () => {
    const before = await snapshot();
    const e = await failure(call('integrations.create', jiraInput({ name: 'jira cloud' })));
    expect(e).toMatchObject({ code: 'conflict', issues: [{ path: 'name', message: 'already used by another integration of this tenant' }] });
    expect(await snapshot()).toEqual(before);
  });

  it('needs a tenant, and an existing one', async () => {
    expect((await failure(call('integrations.list', {}, null))).message).toContain('pick a tenant in the header');
    expect((await failure(call('integrations.list', {}, 424242))).code).toBe('not_found');
  });

  it('keeps tenants apart: another tenant sees, changes and deletes nothing of ours', async () => {
    expect((await call<{ integrations: Integration[] }>('integrations.list', {}, tenantB)).integrations).toEqual([]);
    const before = await snapshot();
    for (const [method, input] of [
      ['integrations.get', { id: created.id }],
      ['integrations.update', { ...jiraInput({ name: 'Stolen' }), id: created.id }],
      ['integrations.setActive', { id: created.id, active: false }],
      ['integrations.delete', { id: created.id, dryRun: false }],
      ['integrations.testConnection', { integrationId: created.id }],
    ] as const) {
      expect((await failure(call(method, input, tenantB))).code, method).toBe('not_found');
    }
    expect(await snapshot()).toEqual(before);
    // A same-named integration in the other tenant is fine: names are unique per tenant.
    await expect(call('integrations.create', jiraInput(), tenantB)).resolves.toMatchObject({ name: 'Jira Cloud' });
  });
});

describe('integrations: update', () => {
  let it1: Integration;
  beforeAll(async () => {
    it1 = await call<Integration>('integrations.create', jiraInput({ name: 'Editable' }));
  });
  const sealedOf = async (id: number) => (await admin.query<{ secret_sealed: string }>('SELECT secret_sealed FROM integrations WHERE id = $1', [id])).rows[0]!.secret_sealed;

  it('replaces name, URL and settings and keeps the token when none is given', async () => {
    const sealed = await sealedOf(it1.id);
    const updated = await call<Integration>('integrations.update', {
      id: it1.id,
      provider: 'jira',
      name: 'Edited',
      baseUrl: 'https://acme.atlassian.net',
      settings: { email: null, projectKeys: ['ENG', 'OPS'], baseJql: 'issuetype != Epic', rateLimitPerSecond: 5 },
    });
    expect(updated).toMatchObject({ name: 'Edited', baseUrl: 'https://acme.atlassian.net', secretHint: it1.secretHint });
    expect(updated.settings).toMatchObject({ email: null, projectKeys: ['ENG', 'OPS'], baseJql: 'issuetype != Epic', rateLimitPerSecond: 5 });
    expect(await sealedOf(it1.id)).toBe(sealed);
  });

  it('replaces the token when a new one is given', async () => {
    const updated = await call<Integration>('integrations.update', { ...jiraInput({ name: 'Edited' }), id: it1.id, token: 'a-new-token-WXYZ' });
    expect(updated.secretHint).toBe('…WXYZ');
    expect(await open([loadOrCreateSecretKey(home, secretKeyB64)], await sealedOf(it1.id), `integration:${it1.id}`)).toBe('a-new-token-WXYZ');
  });

  it('changes nothing when any part fails, the new token included', async () => {
    const before = await snapshot();
    const dup = await failure(call('integrations.update', { ...jiraInput({ name: 'Jira Cloud' }), id: it1.id, token: 'should-not-stick-1234' }));
    expect(dup.code).toBe('conflict');
    const provider = await failure(call('integrations.update', { provider: 'github', id: it1.id, name: 'X', baseUrl: github.url, settings: { organization: 'acme' } }));
    expect(provider).toMatchObject({ code: 'bad_request', issues: [{ path: 'provider', message: 'must be jira' }] });
    const bad = await failure(call('integrations.update', { ...jiraInput(), id: it1.id, settings: { overlapMinutes: -1 } }));
    expect(bad.issues?.[0]?.path).toBe('settings.overlapMinutes');
    expect((await failure(call('integrations.update', { ...jiraInput(), id: 987_654 }))).code).toBe('not_found');
    expect(await snapshot()).toEqual(before);
  });
});

describe('integrations: one transaction per mutation', () => {
  it('a create whose token cannot be sealed leaves no integration behind', async () => {
    const pool = createPool(db.url, 2);
    try {
      const broken = integrationHandlers({
        pool,
        tasks: createTaskRunner(testTaskEntry()),
        secretKey: () => {
          throw new Error('key store unreadable');
        },
      });
      const before = await snapshot();
      const e = await dispatch(broken as unknown as Handlers, 'integrations.create', jiraInput({ name: 'Half made' }), as(tenantA)).catch((x: unknown) => x);
      expect((e as Error).message).toBe('key store unreadable');
      expect(await snapshot()).toEqual(before);
      expect(await count("SELECT 1 FROM integrations WHERE name = 'Half made'")).toBe(0);
    } finally {
      await pool.end();
    }
  });
});

describe('integrations: activate, deactivate and delete with the active-runs guard', () => {
  let target: Integration;
  let runId: string;
  beforeAll(async () => {
    target = await call<Integration>('integrations.create', jiraInput({ name: 'Guarded' }));
    const run = await admin.query<{ id: string }>(
      `INSERT INTO runs (tenant_id, integration_id, kind, trigger, state) VALUES ($1, $2, 'full_refresh', 'manual', 'running') RETURNING id`,
      [tenantA, target.id],
    );
    runId = run.rows[0]!.id;
    await admin.query(`INSERT INTO runs (tenant_id, integration_id, kind, trigger, state, finished_at) VALUES ($1, $2, 'incremental', 'schedule', 'succeeded', now())`, [tenantA, target.id]);
    for (let i = 0; i < 3; i++) {
      const raw = await admin.query<{ id: string }>(
        `INSERT INTO raw_extraction_data (tenant_id, integration_id, run_id, step, stream, request_url, payload, payload_bytes, page_key)
         VALUES ($1, $2, $3, 'issues', 'issues', 'https://x/rest/api/3/search/jql', '{}', 2, $4) RETURNING id`,
        [tenantA, target.id, runId, `page-${i}`],
      );
      await admin.query(
        `INSERT INTO work_items_prs_links (tenant_id, integration_id, source, work_item_key, repo_full_name, pr_number, raw_id) VALUES ($1, $2, 'jira_dev_status', $3, 'acme/api', $4, $5)`,
        [tenantA, target.id, `ENG-${i + 1}`, i + 1, raw.rows[0]!.id],
      );
    }
  });

  it('refuses to deactivate while a run is in progress, and says what to do', async () => {
    expect(target.activeRuns).toBe(0);
    const e = await failure(call('integrations.setActive', { id: target.id, active: false }));
    expect(e.code).toBe('conflict');
    expect(e.message).toBe('"Guarded" has 1 run in progress (queued, running, paused or rate limited), so it cannot be deactivated; let it finish or cancel it on the Jobs screen, then try again.');
    expect((await call<Integration>('integrations.get', { id: target.id })).active).toBe(true);
  });

  it('counts what a delete removes without removing it, and refuses the delete during a run', async () => {
    const dry = await call<{ deleted: boolean; removes: { runs: number; rawUnits: number; otherRows: number; tables: { table: string; rows: number }[] } }>(
      'integrations.delete',
      { id: target.id },
    );
    expect(dry.deleted).toBe(false);
    expect(dry.removes).toMatchObject({ runs: 2, rawUnits: 3, otherRows: 3 });
    expect(dry.removes.tables).toEqual(expect.arrayContaining([{ table: 'work_items_prs_links', rows: 3 }]));
    const e = await failure(call('integrations.delete', { id: target.id, dryRun: false }));
    expect(e.message).toContain('cannot be deleted');
    expect(await count('SELECT 1 FROM raw_extraction_data WHERE integration_id = $1', [target.id])).toBe(3);
  });

  it('deactivates once the run is over, activates again, then deletes everything that came through it', async () => {
    await admin.query(`UPDATE runs SET state = 'cancelled', finished_at = now() WHERE id = $1`, [runId]);
    expect(await call('integrations.setActive', { id: target.id, active: false })).toMatchObject({ active: false, activeRuns: 0 });
    expect(await call('integrations.setActive', { id: target.id, active: true })).toMatchObject({ active: true });
    const done = await call<{ deleted: boolean; removes: { runs: number } }>('integrations.delete', { id: target.id, dryRun: false });
    expect(done).toMatchObject({ deleted: true, removes: { runs: 2, rawUnits: 3, otherRows: 3 } });
    for (const table of ['integrations WHERE id = $1', 'runs WHERE integration_id = $1', 'raw_extraction_data WHERE integration_id = $1', 'work_items_prs_links WHERE integration_id = $1']) {
      expect(await count(`SELECT 1 FROM ${table}`, [target.id]), table).toBe(0);
    }
    expect((await failure(call('integrations.get', { id: target.id }))).code).toBe('not_found');
  });
});

describe('integrations: test connection and remote projects', () => {
  let saved: Integration;
  beforeAll(async () => {
    saved = await call<Integration>('integrations.create', jiraInput({ name: 'Connected' }));
  });

  it('tests a saved integration with its sealed token: every check ok', async () => {
    const res = await call<{ ok: boolean; checks: { name: string; ok: boolean }[] }>('integrations.testConnection', { integrationId: saved.id });
    expect(res.ok).toBe(true);
    expect(res.checks.map((c) => c.name)).toEqual(['Authentication', 'Projects', 'Issue search']);
  });

  it('tests unsaved form values: a typed token, the saved token, or a clear error without one', async () => {
    const draft = { provider: 'jira', baseUrl: jira.url, settings: { email: 'ops@example.com' } };
    expect(await call('integrations.testConnection', { draft: { ...draft, token: TOKEN } })).toMatchObject({ ok: true });
    expect(await call('integrations.testConnection', { integrationId: saved.id, draft })).toMatchObject({ ok: true });
    const wrong = await call<{ ok: boolean; checks: { ok: boolean; detail: string }[] }>('integrations.testConnection', { draft: { ...draft, token: 'wrong' } });
    expect(wrong.ok).toBe(false);
    expect(wrong.checks[0]!.detail).toContain('The token was refused (401');
    const none = await failure(call('integrations.testConnection', { draft }));
    expect(none).toMatchObject({ code: 'bad_request', issues: [{ path: 'token', message: 'enter the API token' }] });
    expect((await failure(call('integrations.testConnection', {}))).issues?.[0]?.path).toBe('integrationId');
  });

  it('lists the Jira projects for the picker, and explains when it cannot', async () => {
    const res = await call<{ projects: { key: string }[] }>('integrations.remoteProjects', { integrationId: saved.id });
    expect(res.projects.map((p) => p.key)).toEqual(jira.world.jira.projects.map((p) => p.key).sort());
    const bad = await failure(call('integrations.remoteProjects', { draft: { provider: 'jira', baseUrl: jira.url, settings: {}, token: 'nope' } }));
    expect(bad.code).toBe('unavailable');
    expect(bad.message).toMatch(/^Could not list the Jira projects: the token was refused \(401.*Type the project keys by hand/);
    const gh = await failure(call('integrations.remoteProjects', { draft: { provider: 'github', baseUrl: github.url, settings: { organization: 'x' }, token: TOKEN } }));
    expect(gh.message).toBe('Only Jira integrations have a remote project list.');
  });
});
