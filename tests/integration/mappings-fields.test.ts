import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ApiError } from '../../shared/contract/errors';
import type { CustomFieldsState, FieldDiscovery, MappingsChange, MappingsSnapshot, UnmappedValues } from '../../shared/contract/mappings';
import { loadConfig } from '../../main/engine/config';
import { createEngine, type Engine } from '../../main/engine/engine';
import { silentLogger } from '../../main/engine/logger';
import { createTaskRunner } from '../../main/engine/tasks';
import type { CallContext } from '../../main/engine/types';
import { migratePostgres } from '../../main/migrate/postgres';
import { loadJiraMappings } from '../../workers/connectors/jira/mappings';
import { generateWorld, startJiraSimulator, type RunningSimulator } from '../../simulators';
import { createTestDatabase, type TestDatabase } from './support/database';
import { testTaskEntry } from './support/entries';
import { insertWorkItems, mappingTables } from './mappings-fixtures';

/**
 * Custom-field discovery against the Jira simulator (the jira.fields task in a worker thread, the
 * answer kept as a raw unit of a discovery run, custom_fields upserted with it as lineage), the
 * special-field and slot mapping, "unmapped values seen in the data", and the re-transform offer.
 */
const TOKEN = 'mappings-fields-token-42';

let db: TestDatabase;
let admin: pg.Client;
let engine: Engine;
let jira: RunningSimulator;
let tenant: number;
let integrationId: number;
let discovered: { discovery: FieldDiscovery; state: CustomFieldsState };

const ctx: () => CallContext = () => ({ transport: 'test', tenantId: tenant, principal: 'ops' });
const call = <T>(method: string, input: unknown): Promise<T> => engine.call(method, input, ctx()) as Promise<T>;
const failure = async (promise: Promise<unknown>): Promise<ApiError> => {
  const e = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  if (!(e instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(e)}`);
  return e;
};
const emptySlots = (): (string | null)[] => Array.from({ length: 20 }, () => null);

beforeAll(async () => {
  db = await createTestDatabase('mappings_fields');
  await migratePostgres(db.url);
  admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  jira = await startJiraSimulator({ world: generateWorld({ scale: 'small', seed: 8 }), token: TOKEN });
  const home = mkdtempSync(join(tmpdir(), 'sluice-mappings-fields-'));
  engine = await createEngine(loadConfig({ DATABASE_URL: db.url, SLUICE_HOME: home, SLUICE_SECRET_KEY: randomBytes(32).toString('base64'), SLUICE_WORKERS: 'off' }), {
    mode: 'headless',
    logger: silentLogger(),
    taskEntry: testTaskEntry(),
  });
  tenant = (await engine.call('tenants.create', { name: 'Acme' }, { ...ctx(), tenantId: null }) as { id: number }).id;
  integrationId = (await call<{ id: number }>('integrations.create', { provider: 'jira', name: 'Sim Jira', baseUrl: jira.url, token: TOKEN, settings: { email: 'ops@example.com' } })).id;
  await call('mappings.seedDefaults', { integrationId });
});

afterAll(async () => {
  await engine?.close();
  await admin?.end();
  await jira?.stop();
  await db?.drop();
});

describe('custom-field discovery', () => {
  it('has nothing discovered before the first discovery', async () => {
    const state = await call<CustomFieldsState>('mappings.customFields.get', { integrationId });
    expect(state).toMatchObject({ fields: [], discoveredAt: null, unknownIds: [], mapping: { team: null, slots: emptySlots() } });
  });

  it('reads the field list from Jira and keeps the answer as the raw unit of a finished discovery run', async () => {
    discovered = await call('mappings.customFields.discover', { integrationId });
    const expected = jira.world.jira.fields;
    expect(discovered.discovery).toMatchObject({ fields: expected.length, added: expected.length, changed: 0 });
    expect(discovered.state.fields.map((f) => f.externalId).sort()).toEqual(expected.map((f) => String(f['id'])).sort());
    expect(discovered.state.discoveredAt).not.toBeNull();
    const run = (await admin.query('SELECT kind, trigger, state, started_by, finished_at IS NOT NULL AS finished FROM runs WHERE id = $1', [discovered.discovery.runId])).rows[0];
    expect(run).toEqual({ kind: 'discovery', trigger: 'manual', state: 'succeeded', started_by: 'ops (custom-field discovery)', finished: true });
    const raw = (await admin.query('SELECT step, stream, status, record_count, payload, request_url FROM raw_extraction_data WHERE id = $1', [discovered.discovery.rawId])).rows[0];
    expect(raw).toMatchObject({ step: 'fields', stream: 'fields', status: 'loaded', record_count: expected.length, request_url: `${jira.url}/rest/api/3/field` });
    expect(raw.payload).toEqual(expected);
    const counters = (await admin.query('SELECT final_counters FROM run_steps WHERE run_id = $1', [discovered.discovery.runId])).rows[0].final_counters;
    expect(counters).toMatchObject({ units: 1, loaded: expected.length, failed: 0, pending: 0 });
    // Run history lists it as what it is, with its counters.
    const history = await call<{ runs: { id: number; kind: string; state: string; totals: { units: number; loaded: number } }[] }>('runs.list', { integrationId, kinds: ['discovery'] });
    expect(history.runs).toEqual([expect.objectContaining({ id: discovered.discovery.runId, kind: 'discovery', state: 'succeeded', totals: expect.objectContaining({ units: 1, loaded: expected.length }) as unknown })]);
    // Lineage: every discovered row points at the unit.
    expect((await admin.query('SELECT DISTINCT raw_id FROM custom_fields WHERE integration_id = $1', [integrationId])).rows).toEqual([{ raw_id: String(discovered.discovery.rawId) }]);
  });

  it("writes exactly the rows the connector's own fields transform makes of that answer (one shape with a run's load)", async () => {
    const tasks = createTaskRunner(testTaskEntry(), { timeoutMs: 60_000 });
    const payload = (await admin.query('SELECT payload FROM raw_extraction_data WHERE id = $1', [discovered.discovery.rawId])).rows[0].payload as unknown;
    const preview = await tasks.run('transform.preview', { connector: 'jira', units: [{ stream: 'fields', payload }] });
    const transformed = (preview.units[0]?.tables['custom_fields'] ?? []) as Record<string, unknown>[];
    expect(transformed.length).toBe(jira.world.jira.fields.length);
    const stored = await admin.query('SELECT external_id, name, field_type, custom, schema FROM custom_fields WHERE integration_id = $1 ORDER BY external_id', [integrationId]);
    const byId = (rows: Record<string, unknown>[]) => [...rows].sort((a, b) => String(a['external_id']).localeCompare(String(b['external_id'])));
    expect(byId(stored.rows)).toEqual(byId(transformed));
  });

  it('suggests the special fields from their schema type, as the transform would recognise them', async () => {
    const { suggestions, fields } = discovered.state;
    const nameOf = (id: string | undefined) => fields.find((f) => f.externalId === id)?.name;
    expect(nameOf(suggestions.sprints[0])).toBe('Sprint');
    expect(nameOf(suggestions.storyPoints[0])).toBe('Story point estimate');
    expect(nameOf(suggestions.development[0])).toBe('Development');
    expect(nameOf(suggestions.team[0])).toBe('Team');
  });

  it('counts new and changed fields on the next discovery, and moves their lineage to the new unit', async () => {
    const fields = jira.world.jira.fields;
    const renamed = fields.find((f) => f['id'] === 'customfield_10033')!;
    renamed['name'] = 'Customer account';
    fields.push({ id: 'customfield_10099', key: 'customfield_10099', name: 'Risk', custom: true, schema: { type: 'string', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textfield', customId: 10099 } });
    const again = await call<{ discovery: FieldDiscovery; state: CustomFieldsState }>('mappings.customFields.discover', { integrationId });
    expect(again.discovery).toMatchObject({ fields: fields.length, added: 1, changed: 1 });
    expect(again.discovery.rawId).toBeGreaterThan(discovered.discovery.rawId);
    expect(again.state.fields.find((f) => f.externalId === 'customfield_10033')?.name).toBe('Customer account');
    expect((await admin.query('SELECT DISTINCT raw_id FROM custom_fields WHERE integration_id = $1', [integrationId])).rows).toEqual([{ raw_id: String(again.discovery.rawId) }]);
  });

  it('says why when Jira refuses, and writes no run, no raw unit and no field', async () => {
    const other = (await call<{ id: number }>('integrations.create', { provider: 'jira', name: 'Wrong token', baseUrl: jira.url, token: 'not-the-token', settings: { email: 'ops@example.com' } })).id;
    const count = async () => (await admin.query('SELECT (SELECT count(*) FROM runs WHERE integration_id = $1) + (SELECT count(*) FROM custom_fields WHERE integration_id = $1) AS n', [other])).rows[0].n;
    const e = await failure(call('mappings.customFields.discover', { integrationId: other }));
    expect(e.code).toBe('unavailable');
    expect(e.message).toContain('Could not read the field list from Jira: the token was refused (401');
    expect(e.message).toContain('check the API token and that it belongs to ops@example.com');
    expect(await count()).toBe('0');
  });
});

describe('special fields and slots', () => {
  it('saves the mapping that runs then snapshot', async () => {
    const slots = emptySlots();
    slots[0] = 'customfield_10033';
    slots[4] = 'components';
    const saved = await call<CustomFieldsState>('mappings.customFields.save', { integrationId, team: 'customfield_10001', sprints: 'customfield_10020', development: null, storyPoints: 'customfield_10016', slots });
    expect(saved.mapping).toEqual({ team: 'customfield_10001', sprints: 'customfield_10020', development: null, storyPoints: 'customfield_10016', slots });
    expect(saved.unknownIds).toEqual([]);
    const jm = await loadJiraMappings(admin, { id: integrationId, tenantId: tenant });
    expect(jm.customFields).toEqual({ team: 'customfield_10001', sprints: 'customfield_10020', development: null, storyPoints: 'customfield_10016', slots });
  });

  it('refuses a field in two slots or for two special fields, at the field, and changes nothing', async () => {
    const before = await mappingTables(admin, integrationId);
    const slots = emptySlots();
    slots[2] = 'customfield_10034';
    slots[7] = 'customfield_10034';
    const e = await failure(call('mappings.customFields.save', { integrationId, team: 'customfield_10001', sprints: 'customfield_10001', development: null, storyPoints: null, slots }));
    expect(e.code).toBe('bad_request');
    expect(e.issues).toEqual([
      { path: 'sprints', message: 'customfield_10001 is already mapped to Team; a field feeds one place only' },
      { path: 'slots.7', message: 'customfield_10034 is already mapped to slot 3; a field feeds one place only' },
    ]);
    expect((await failure(call('mappings.customFields.save', { integrationId, team: 'Team Field!', sprints: null, development: null, storyPoints: null, slots }))).issues?.[0]?.path).toBe('team');
    expect((await failure(call('mappings.customFields.save', { integrationId, team: null, sprints: null, development: null, storyPoints: null, slots: [] }))).issues?.[0]?.path).toBe('slots');
    expect(await mappingTables(admin, integrationId)).toEqual(before);
  });

  it('accepts a field not discovered yet, and lists it as unknown', async () => {
    const state = await call<CustomFieldsState>('mappings.customFields.save', { integrationId, team: null, sprints: null, development: 'customfield_77777', storyPoints: null, slots: emptySlots() });
    expect(state.unknownIds).toEqual(['customfield_77777']);
  });
});

describe('unmapped values seen in the data', () => {
  it('lists loaded types and statuses no mapping covered, with counts, and marks those mapped since', async () => {
    await insertWorkItems(admin, tenant, integrationId, [
      { key: 'OPS-1', type: 'Runbook', typeMapped: false, status: 'Awaiting Vendor', statusMapped: false, unmappedHistory: ['Triage Queue', 'Awaiting Vendor'] },
      { key: 'OPS-2', type: 'runbook', typeMapped: false, status: 'Done', statusMapped: true, unmappedHistory: ['Triage Queue'] },
      { key: 'OPS-3', type: 'Story', typeMapped: true, status: 'Done', statusMapped: true },
    ]);
    const u = await call<UnmappedValues>('mappings.unmapped', { integrationId });
    expect(u.workItems).toBe(3);
    expect(u.types).toEqual([{ name: 'Runbook', workItems: 2, jiraHierarchyLevel: null, mappedNow: false }]);
    expect(u.statuses).toEqual([
      { name: 'Awaiting Vendor', current: 1, inHistory: 1, jiraCategoryKey: null, mappedNow: false },
      { name: 'Triage Queue', current: 0, inHistory: 2, jiraCategoryKey: null, mappedNow: false },
    ]);
    const s = await call<MappingsSnapshot>('mappings.get', { integrationId });
    const story = s.hierarchies.find((h) => h.levelName === 'Story')!;
    await call<MappingsChange>('mappings.witMappings.create', { integrationId, witFrom: 'Runbook', witTo: 'Task', hierarchyId: story.id });
    const after = await call<UnmappedValues>('mappings.unmapped', { integrationId });
    expect(after.types[0]).toMatchObject({ name: 'Runbook', mappedNow: true });
    expect(after.statuses.every((x) => !x.mappedNow)).toBe(true);
  });
});

describe('re-transform', () => {
  it('starts a re-transform run of the stored units, and refuses a second while it runs', async () => {
    const started = await call<{ runId: number; units: number }>('mappings.retransform', { integrationId });
    const replays = await admin.query('SELECT replay_of FROM raw_extraction_data WHERE run_id = $1', [started.runId]);
    // The units the unified rows point at: here the latest field discovery (the work items above have no raw unit).
    expect(started.units).toBe(replays.rowCount);
    expect(replays.rows.map((r) => Number(r.replay_of))).toContain(Number((await admin.query('SELECT max(raw_id) AS id FROM custom_fields WHERE integration_id = $1', [integrationId])).rows[0].id));
    expect((await admin.query('SELECT kind, state FROM runs WHERE id = $1', [started.runId])).rows[0]).toEqual({ kind: 'retransform', state: 'running' });
    const e = await failure(call('mappings.retransform', { integrationId }));
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/^Re-transform not started: Integration "Sim Jira" already has an active run/);
  });
});
