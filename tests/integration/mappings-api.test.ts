// Over 300 lines on purpose: the hub's calls share one fixture world (mappings-fixtures.ts) and one
// engine; the describe blocks are the parts.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ApiError } from '../../shared/contract/errors';
import type { MappingsChange, MappingsSnapshot } from '../../shared/contract/mappings';
import { loadConfig } from '../../main/engine/config';
import { createEngine, type Engine } from '../../main/engine/engine';
import { silentLogger } from '../../main/engine/logger';
import type { CallContext } from '../../main/engine/types';
import { migratePostgres } from '../../main/migrate/postgres';
import { loadJiraMappings } from '../../workers/connectors/jira/mappings';
import { createTestDatabase, type TestDatabase } from './support/database';
import { testTaskEntry } from './support/entries';
import { insertWorkItems, mappingTables } from './mappings-fixtures';

/**
 * The Mappings hub API against real Postgres, through the engine's call path (contract validation,
 * handlers, RLS): hierarchy levels with reassignment, type mappings with soft delete, the workflow's one
 * commitment point, status mappings, and the refusals, each of which must say what to do at the field
 * and change nothing. Usage counts come from loaded work items written into the database.
 */

let db: TestDatabase;
let admin: pg.Client;
let engine: Engine;
let tenantA: number;
let tenantB: number;
let jiraA: number;
let emptyJira: number;
let github: number;
let jiraB: number;

const as = (tenantId: number | null): CallContext => ({ transport: 'test', tenantId, principal: 'test' });
const call = <T = MappingsChange>(method: string, input: unknown, tenantId: number | null = tenantA): Promise<T> => engine.call(method, input, as(tenantId)) as Promise<T>;
const failure = async (promise: Promise<unknown>): Promise<ApiError> => {
  const e = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  if (!(e instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(e)}`);
  return e;
};
/** The call is refused with `code` and changes no mapping table of the integration. */
const refusedUnchanged = async (method: string, input: { integrationId: number } & Record<string, unknown>, code: string): Promise<ApiError> => {
  const before = await mappingTables(admin, input.integrationId);
  const error = await failure(call(method, input));
  expect(error.code, error.message).toBe(code);
  expect(await mappingTables(admin, input.integrationId)).toEqual(before);
  return error;
};
const snapshot = (integrationId = jiraA) => call<MappingsSnapshot>('mappings.get', { integrationId });
const level = (s: MappingsSnapshot, name: string) => s.hierarchies.find((h) => h.levelName === name)!;
const step = (s: MappingsSnapshot, name: string) => s.workflow.find((w) => w.stepName === name)!;
const wit = (s: MappingsSnapshot, from: string) => s.witMappings.find((m) => m.witFrom === from)!;
const status = (s: MappingsSnapshot, from: string) => s.statusMappings.find((m) => m.statusFrom === from)!;

const createIntegration = async (tenantId: number, provider: 'jira' | 'github', name: string): Promise<number> => {
  const settings = provider === 'jira' ? { email: 'ops@example.com' } : { organization: 'acme' };
  const baseUrl = provider === 'jira' ? 'https://acme.atlassian.net' : 'https://api.github.com';
  return (await call<{ id: number }>('integrations.create', { provider, name, baseUrl, token: 'token-0123456789', settings }, tenantId)).id;
};

beforeAll(async () => {
  db = await createTestDatabase('mappings_api');
  await migratePostgres(db.url);
  admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  const home = mkdtempSync(join(tmpdir(), 'sluice-mappings-'));
  engine = await createEngine(loadConfig({ DATABASE_URL: db.url, SLUICE_HOME: home, SLUICE_SECRET_KEY: randomBytes(32).toString('base64'), SLUICE_WORKERS: 'off' }), {
    mode: 'headless',
    logger: silentLogger(),
    taskEntry: testTaskEntry(),
  });
  tenantA = (await call<{ id: number }>('tenants.create', { name: 'Acme' }, null)).id;
  tenantB = (await call<{ id: number }>('tenants.create', { name: 'Beta' }, null)).id;
  jiraA = await createIntegration(tenantA, 'jira', 'Jira');
  emptyJira = await createIntegration(tenantA, 'jira', 'Empty Jira');
  github = await createIntegration(tenantA, 'github', 'GitHub');
  jiraB = await createIntegration(tenantB, 'jira', 'Beta Jira');
  await insertWorkItems(admin, tenantA, jiraA, [
    { key: 'ENG-1', type: 'Story', typeMapped: true, status: 'In Progress', statusMapped: true, history: ['Backlog', 'In Progress'] },
    { key: 'ENG-2', type: 'story', typeMapped: true, status: 'Code Review', statusMapped: true, history: ['Backlog', 'Code Review'] },
    { key: 'ENG-3', type: 'Epic', typeMapped: true, status: 'Done', statusMapped: true, history: ['Backlog', 'In Progress', 'Done'] },
    { key: 'ENG-4', type: 'Bug', typeMapped: true, status: 'Backlog', statusMapped: true },
  ]);
});

afterAll(async () => {
  await engine?.close();
  await admin?.end();
  await db?.drop();
});

describe('defaults and scope', () => {
  it('starts empty, then seeds the default levels, types, workflow and statuses once', async () => {
    expect(await snapshot()).toMatchObject({ integrationId: jiraA, integrationName: 'Jira', hierarchies: [], witMappings: [], workflow: [], statusMappings: [] });
    const seeded = await call('mappings.seedDefaults', { integrationId: jiraA });
    expect(seeded.message).toMatch(/^Added \d+ default rows/);
    const s = seeded.snapshot;
    expect(s.hierarchies.map((h) => [h.levelNumber, h.levelName])).toEqual([[4, 'Capital Investment'], [3, 'Product Objective'], [2, 'Milestone'], [1, 'Epic'], [0, 'Story'], [-1, 'Sub-task']]);
    expect(s.workflow.filter((w) => w.isCommitmentPoint).map((w) => w.stepName)).toEqual(['To Do']);
    expect(s.workflow.map((w) => w.stepNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, null]);
    // Usage counts are the loaded work items, names compared ignoring case, history included.
    expect(wit(s, 'Story')).toMatchObject({ witTo: 'Story', levelName: 'Story', workItems: 2 });
    expect(level(s, 'Story').workItems).toBe(3); // Story x2 + Bug
    expect(status(s, 'Backlog')).toMatchObject({ stepName: 'Backlog', workItems: 4 }); // three via history, one current
    expect(step(s, 'In Progress').workItems).toBe(3); // In Progress: ENG-1, ENG-3; Code Review: ENG-2
    expect((await call('mappings.seedDefaults', { integrationId: jiraA })).message).toContain('Nothing added');
  });

  it('needs a tenant, one of its own Jira integrations, and says which is wrong', async () => {
    expect((await failure(call('mappings.get', { integrationId: jiraA }, null))).message).toContain('No tenant selected');
    expect(await failure(call('mappings.get', { integrationId: 999_999 }))).toMatchObject({ code: 'not_found', issues: [{ path: 'integrationId', message: 'no such integration in this tenant' }] });
    const gh = await failure(call('mappings.get', { integrationId: github }));
    expect(gh).toMatchObject({ code: 'bad_request', message: expect.stringContaining('"GitHub" is a github integration') as unknown });
    // Row-level security: tenant B cannot see tenant A's integration, and tenant A not B's.
    expect((await failure(call('mappings.get', { integrationId: jiraA }, tenantB))).code).toBe('not_found');
    const before = await mappingTables(admin, jiraA);
    expect((await failure(call('mappings.hierarchies.create', { integrationId: jiraA, levelNumber: 7, levelName: 'Theirs' }, tenantB))).code).toBe('not_found');
    expect(await mappingTables(admin, jiraA)).toEqual(before);
    expect((await failure(call('mappings.get', { integrationId: jiraB }))).code).toBe('not_found');
  });

  it('refuses malformed input at the field before anything runs', async () => {
    const e = await refusedUnchanged('mappings.hierarchies.create', { integrationId: jiraA, levelNumber: 99, levelName: '   ' }, 'bad_request');
    expect(e.issues).toEqual([
      { path: 'levelNumber', message: 'from -10 to 20' },
      { path: 'levelName', message: 'enter the level name' },
    ]);
    expect((await failure(call('mappings.witMappings.create', { integrationId: jiraA, witFrom: 'X', witTo: 'Y', hierarchyId: 1, extra: true }))).issues?.[0]?.path).toBe('(root)');
    expect((await failure(call('mappings.workflow.create', { integrationId: jiraA, stepName: 'Z', stepNumber: null, stepCategory: 'Doing' }))).issues?.[0]?.path).toBe('stepCategory');
    const cp = await failure(call('mappings.workflow.create', { integrationId: jiraA, stepName: 'Z', stepNumber: null, stepCategory: 'Discarded', isCommitmentPoint: true }));
    expect(cp.issues?.map((i) => i.path)).toEqual(['stepNumber', 'stepCategory']);
  });
});

describe('hierarchy levels', () => {
  it('creates, renames and refuses a number or name another level has, at that field', async () => {
    const created = await call('mappings.hierarchies.create', { integrationId: jiraA, levelNumber: 5, levelName: ' Portfolio ', description: '' });
    expect(level(created.snapshot, 'Portfolio')).toMatchObject({ id: created.id, levelNumber: 5, description: null, active: true, mappings: 0 });
    const dup = await refusedUnchanged('mappings.hierarchies.create', { integrationId: jiraA, levelNumber: 1, levelName: 'EPIC' }, 'conflict');
    expect(dup.issues).toEqual([
      { path: 'levelNumber', message: 'level 1 is already "Epic"' },
      { path: 'levelName', message: '"Epic" is already level 1' },
    ]);
    const renamed = await call('mappings.hierarchies.update', { integrationId: jiraA, id: created.id, levelNumber: 6, levelName: 'Portfolio Theme', description: 'Above investments' });
    expect(level(renamed.snapshot, 'Portfolio Theme')).toMatchObject({ levelNumber: 6, description: 'Above investments' });
    expect((await failure(call('mappings.hierarchies.update', { integrationId: jiraA, id: 999_999, levelNumber: 8, levelName: 'Ghost' }))).code).toBe('not_found');
  });

  it('reports what uses a level, and refuses to deactivate it without a target for its mappings', async () => {
    const s = await snapshot();
    const epic = level(s, 'Epic');
    const deps = await call<{ mappings: { witFrom: string; workItems: number }[]; workItems: number; targets: { levelName: string }[] }>('mappings.hierarchies.dependencies', { integrationId: jiraA, id: epic.id });
    expect(deps.mappings.map((m) => m.witFrom).sort()).toEqual(s.witMappings.filter((m) => m.hierarchyId === epic.id).map((m) => m.witFrom).sort());
    expect(deps.mappings.map((m) => m.witFrom)).toContain('Feature');
    expect(deps.workItems).toBe(1);
    expect(deps.targets.map((t) => t.levelName)).not.toContain('Epic');
    const e = await refusedUnchanged('mappings.hierarchies.setActive', { integrationId: jiraA, id: epic.id, active: false }, 'conflict');
    expect(e.message).toBe('Not changed: 3 type mappings use "Epic"; choose the level they move to before you deactivate it.');
    expect(e.issues).toEqual([{ path: 'reassignTo', message: 'choose the level the type mappings move to' }]);
    expect((await refusedUnchanged('mappings.hierarchies.setActive', { integrationId: jiraA, id: epic.id, active: false, reassignTo: epic.id }, 'bad_request')).issues?.[0]?.path).toBe('reassignTo');
  });

  it('deactivates a level and moves its mappings to the target in the same transaction', async () => {
    const s = await snapshot();
    const epic = level(s, 'Epic');
    const milestone = level(s, 'Milestone');
    const done = await call('mappings.hierarchies.setActive', { integrationId: jiraA, id: epic.id, active: false, reassignTo: milestone.id });
    expect(done.message).toBe('Moved 3 type mappings from "Epic" to level 2 "Milestone"; level "Epic" is inactive. It applies from the next run; re-transform to apply it to the data already loaded.');
    expect(level(done.snapshot, 'Epic')).toMatchObject({ active: false, mappings: 0 });
    expect(wit(done.snapshot, 'Feature')).toMatchObject({ levelName: 'Milestone', witTo: 'Epic' });
    // What a run snapshots from now on: the moved mappings at their new level.
    const jm = await loadJiraMappings(admin, { id: jiraA, tenantId: tenantA });
    expect(jm.wits.find((w) => w.witFrom === 'Feature')).toMatchObject({ hierarchyLevel: 2, hierarchyName: 'Milestone' });
    // An inactive level is no target, and takes no new mapping.
    const story = level(done.snapshot, 'Story');
    expect((await refusedUnchanged('mappings.hierarchies.setActive', { integrationId: jiraA, id: story.id, active: false, reassignTo: epic.id }, 'bad_request')).message).toContain('"Epic" is inactive');
    expect((await refusedUnchanged('mappings.witMappings.create', { integrationId: jiraA, witFrom: 'Saga', witTo: 'Epic', hierarchyId: epic.id }, 'bad_request')).issues).toEqual([{ path: 'hierarchyId', message: 'choose an active level' }]);
    expect((await call('mappings.hierarchies.setActive', { integrationId: jiraA, id: epic.id, active: true })).message).toContain('Level "Epic" is active.');
  });

  it('deletes a level after moving its mappings, or at once when nothing uses it', async () => {
    const s = await snapshot();
    const sub = level(s, 'Sub-task');
    expect((await refusedUnchanged('mappings.hierarchies.delete', { integrationId: jiraA, id: sub.id }, 'conflict')).issues?.[0]?.path).toBe('reassignTo');
    const moved = await call('mappings.hierarchies.delete', { integrationId: jiraA, id: sub.id, reassignTo: level(s, 'Story').id });
    expect(moved.message).toMatch(new RegExp(`^Moved ${sub.mappings} type mappings from "Sub-task" to level 0 "Story"; deleted level -1 "Sub-task"\\.`));
    expect(sub.mappings).toBeGreaterThan(1);
    expect(moved.snapshot.hierarchies.map((h) => h.levelName)).not.toContain('Sub-task');
    expect(wit(moved.snapshot, 'Defect').levelName).toBe('Story');
    const unused = await call('mappings.hierarchies.delete', { integrationId: jiraA, id: level(s, 'Portfolio Theme').id });
    expect(unused.message).toMatch(/^Deleted level 6 "Portfolio Theme"\./);
  });
});

describe('concurrent reassignments', () => {
  it('two opposite reassignments at once: one wins, the other is refused in words (no deadlock, nothing half done)', async () => {
    const a = await call('mappings.hierarchies.create', { integrationId: jiraA, levelNumber: 10, levelName: 'Theme A' });
    const b = await call('mappings.hierarchies.create', { integrationId: jiraA, levelNumber: 11, levelName: 'Theme B' });
    await call('mappings.witMappings.create', { integrationId: jiraA, witFrom: 'Theme Item A', witTo: 'Theme', hierarchyId: a.id });
    await call('mappings.witMappings.create', { integrationId: jiraA, witFrom: 'Theme Item B', witTo: 'Theme', hierarchyId: b.id });
    const results = await Promise.allSettled([
      call('mappings.hierarchies.setActive', { integrationId: jiraA, id: a.id, active: false, reassignTo: b.id }),
      call('mappings.hierarchies.setActive', { integrationId: jiraA, id: b.id, active: false, reassignTo: a.id }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(ApiError);
    expect((lost[0]!.reason as ApiError).message).toMatch(/^Not changed: "Theme [AB]" is inactive; move the type mappings to an active level\.$/);
    // Exactly one level is inactive and holds nothing; both mappings sit on the other.
    const s = await snapshot();
    const themes = s.hierarchies.filter((h) => h.levelName.startsWith('Theme '));
    expect(themes.map((h) => h.active).sort()).toEqual([false, true]);
    const kept = themes.find((h) => h.active)!;
    expect(s.witMappings.filter((m) => m.witFrom.startsWith('Theme Item')).map((m) => m.hierarchyId)).toEqual([kept.id, kept.id]);
    for (const t of themes) await call('mappings.hierarchies.delete', { integrationId: jiraA, id: t.id, reassignTo: t.active ? level(s, 'Story').id : null });
  });
});

describe('type mappings', () => {
  it('creates one, and refuses a type another mapping covers (any case) at the field', async () => {
    const s = await snapshot();
    const created = await call('mappings.witMappings.create', { integrationId: jiraA, witFrom: 'Saga', witTo: 'Epic', hierarchyId: level(s, 'Epic').id });
    expect(wit(created.snapshot, 'Saga')).toMatchObject({ id: created.id, witTo: 'Epic', levelNumber: 1, active: true, workItems: 0 });
    const dup = await refusedUnchanged('mappings.witMappings.create', { integrationId: jiraA, witFrom: 'saga', witTo: 'X', hierarchyId: level(s, 'Story').id }, 'conflict');
    expect(dup.message).toBe('Not saved: "Saga" is already mapped to "Epic" (names ignore case); edit that mapping instead.');
    expect(dup.issues).toEqual([{ path: 'witFrom', message: 'already mapped (active)' }]);
    expect((await refusedUnchanged('mappings.witMappings.update', { integrationId: jiraA, id: created.id, witFrom: 'Saga', witTo: 'Epic', hierarchyId: 999_999 }, 'bad_request')).issues?.[0]?.path).toBe('hierarchyId');
  });

  it('soft-deletes a mapping that loaded work items use, and deletes one nothing uses', async () => {
    const s = await snapshot();
    const soft = await call('mappings.witMappings.delete', { integrationId: jiraA, id: wit(s, 'Story').id });
    expect(soft.message).toContain('"Story" is used by 2 loaded work items, so it was deactivated instead of deleted');
    expect(wit(soft.snapshot, 'Story')).toMatchObject({ active: false, workItems: 2 });
    // The soft-deleted row still owns its name: a new mapping of "STORY" says so.
    expect((await refusedUnchanged('mappings.witMappings.create', { integrationId: jiraA, witFrom: 'STORY', witTo: 'Story', hierarchyId: level(s, 'Story').id }, 'conflict')).message).toContain(
      'it is inactive: activate and edit it instead',
    );
    await call('mappings.witMappings.setActive', { integrationId: jiraA, id: wit(s, 'Story').id, active: true });
    const hard = await call('mappings.witMappings.delete', { integrationId: jiraA, id: wit(s, 'Saga').id });
    expect(hard).toMatchObject({ id: null, message: expect.stringContaining('Deleted the mapping of "Saga".') as unknown });
    expect(hard.snapshot.witMappings.some((m) => m.witFrom === 'Saga')).toBe(false);
  });
});

describe('workflow and its one commitment point', () => {
  it('moves the commitment point with one call that updates both steps', async () => {
    const s = await snapshot();
    const moved = await call('mappings.workflow.setCommitmentPoint', { integrationId: jiraA, id: step(s, 'In Progress').id });
    expect(moved.message).toContain('"In Progress" is the commitment point instead of "To Do"');
    expect(moved.snapshot.workflow.filter((w) => w.isCommitmentPoint).map((w) => w.stepName)).toEqual(['In Progress']);
    const points = await admin.query('SELECT step_name FROM workflows WHERE integration_id = $1 AND is_commitment_point', [jiraA]);
    expect(points.rows).toEqual([{ step_name: 'In Progress' }]);
    expect((await refusedUnchanged('mappings.workflow.setCommitmentPoint', { integrationId: jiraA, id: step(s, 'Discarded').id }, 'bad_request')).message).toContain('"Discarded" has no step number');
  });

  it('adds a step as the new commitment point in the same transaction, and keeps the point numbered and active', async () => {
    const created = await call('mappings.workflow.create', { integrationId: jiraA, stepName: 'Committed', stepNumber: 4, stepCategory: 'To Do', isCommitmentPoint: true });
    expect(created.message).toContain('It replaces "In Progress" as the commitment point.');
    expect(created.snapshot.workflow.filter((w) => w.isCommitmentPoint).map((w) => w.stepName)).toEqual(['Committed']);
    const cp = step(created.snapshot, 'Committed');
    expect((await refusedUnchanged('mappings.workflow.update', { integrationId: jiraA, id: cp.id, stepName: 'Committed', stepNumber: null, stepCategory: 'To Do' }, 'bad_request')).issues).toEqual([
      { path: 'stepNumber', message: 'the commitment point needs a step number' },
    ]);
    expect((await refusedUnchanged('mappings.workflow.setActive', { integrationId: jiraA, id: cp.id, active: false }, 'conflict')).message).toContain('make another step the commitment point first');
    expect((await refusedUnchanged('mappings.workflow.delete', { integrationId: jiraA, id: cp.id }, 'conflict')).message).toContain('is the commitment point');
    expect((await refusedUnchanged('mappings.workflow.create', { integrationId: jiraA, stepName: 'in progress', stepNumber: 5, stepCategory: 'In Progress' }, 'conflict')).issues?.[0]?.path).toBe('stepName');
  });

  it('the first step of an empty workflow must be its commitment point', async () => {
    const e = await refusedUnchanged('mappings.workflow.create', { integrationId: emptyJira, stepName: 'Open', stepNumber: 1, stepCategory: 'To Do' }, 'bad_request');
    expect(e.issues).toEqual([{ path: 'isCommitmentPoint', message: 'the first step must be the commitment point' }]);
    const ok = await call('mappings.workflow.create', { integrationId: emptyJira, stepName: 'Open', stepNumber: 1, stepCategory: 'To Do', isCommitmentPoint: true });
    expect(ok.snapshot.workflow).toHaveLength(1);
  });

  it('recategorising a step carries the status mappings that had its category, and keeps overrides', async () => {
    const s = await snapshot();
    const review = step(s, 'Ready for Prod');
    const override = await call('mappings.statusMappings.update', { integrationId: jiraA, id: status(s, 'Merged').id, statusFrom: 'Merged', workflowId: review.id, statusCategory: 'Done' });
    expect(status(override.snapshot, 'Merged').statusCategory).toBe('Done');
    const following = override.snapshot.statusMappings.filter((m) => m.workflowId === review.id && m.statusCategory === review.stepCategory).length;
    expect(following).toBe(override.snapshot.statusMappings.filter((m) => m.workflowId === review.id).length - 1);
    const changed = await call('mappings.workflow.update', { integrationId: jiraA, id: review.id, stepName: 'Ready for Release', stepNumber: 10, stepCategory: 'In Progress' });
    expect(changed.message).toContain(`${following} status mappings with the step's category now have In Progress.`);
    expect(status(changed.snapshot, 'Resolved')).toMatchObject({ stepName: 'Ready for Release', statusCategory: 'In Progress' });
    expect(status(changed.snapshot, 'Merged').statusCategory).toBe('Done');
  });

  it('deactivating or deleting a step moves its status mappings to the chosen step first', async () => {
    const s = await snapshot();
    const refinement = step(s, 'Refinement');
    const deps = await call<{ statusMappings: { statusFrom: string }[]; targets: { stepName: string }[] }>('mappings.workflow.dependencies', { integrationId: jiraA, id: refinement.id });
    const n = s.statusMappings.filter((m) => m.workflowId === refinement.id).length;
    expect(n).toBe(refinement.statusMappings);
    expect(deps.statusMappings.map((m) => m.statusFrom)).toContain('Grooming');
    expect(deps.statusMappings).toHaveLength(n);
    expect(deps.targets.map((t) => t.stepName)).toContain('Backlog');
    const e = await refusedUnchanged('mappings.workflow.setActive', { integrationId: jiraA, id: refinement.id, active: false }, 'conflict');
    expect(e.message).toBe(`Not changed: ${n} status mappings point at "Refinement"; choose the step they move to before you deactivate it.`);
    const moved = await call('mappings.workflow.setActive', { integrationId: jiraA, id: refinement.id, active: false, reassignTo: step(s, 'Backlog').id });
    expect(moved.message).toMatch(new RegExp(`^Moved ${n} status mappings from "Refinement" to "Backlog"; step "Refinement" is inactive\\.`));
    expect(step(moved.snapshot, 'Refinement')).toMatchObject({ active: false, statusMappings: 0 });
    expect(status(moved.snapshot, 'Grooming')).toMatchObject({ stepName: 'Backlog', statusCategory: 'To Do' });
    const deleted = await call('mappings.workflow.delete', { integrationId: jiraA, id: refinement.id });
    expect(deleted.message).toMatch(/^Deleted step "Refinement"\./);
    // Moving to the Discarded step: the mappings that followed their step take its category.
    const moveDone = await call('mappings.workflow.delete', { integrationId: jiraA, id: step(s, 'Acceptance Testing').id, reassignTo: step(s, 'Discarded').id });
    expect(status(moveDone.snapshot, 'UAT')).toMatchObject({ stepName: 'Discarded', statusCategory: 'Discarded' });
  });
});

describe('status mappings', () => {
  it("maps a status to a step, with the step's category unless one is given", async () => {
    const s = await snapshot();
    const created = await call('mappings.statusMappings.create', { integrationId: jiraA, statusFrom: 'Parked', workflowId: step(s, 'In Progress').id });
    expect(status(created.snapshot, 'Parked')).toMatchObject({ stepName: 'In Progress', statusCategory: 'In Progress', workItems: 0 });
    const waiting = await call('mappings.statusMappings.create', { integrationId: jiraA, statusFrom: 'Awaiting Vendor', workflowId: step(s, 'In Progress').id, statusCategory: 'Waiting' });
    expect(status(waiting.snapshot, 'Awaiting Vendor').statusCategory).toBe('Waiting');
    expect((await refusedUnchanged('mappings.statusMappings.create', { integrationId: jiraA, statusFrom: 'parked', workflowId: step(s, 'Done').id }, 'conflict')).issues).toEqual([
      { path: 'statusFrom', message: 'already mapped (active)' },
    ]);
    expect((await refusedUnchanged('mappings.statusMappings.create', { integrationId: jiraA, statusFrom: 'Other', workflowId: 999_999 }, 'bad_request')).issues?.[0]?.path).toBe('workflowId');
  });

  it('soft-deletes a mapping of a status in the loaded history, deletes an unused one', async () => {
    const s = await snapshot();
    const soft = await call('mappings.statusMappings.delete', { integrationId: jiraA, id: status(s, 'Backlog').id });
    expect(soft.message).toContain('Status "Backlog" is in the history of 4 loaded work items, so its mapping was deactivated instead of deleted');
    expect(status(soft.snapshot, 'Backlog').active).toBe(false);
    const hard = await call('mappings.statusMappings.delete', { integrationId: jiraA, id: status(s, 'Parked').id });
    expect(hard.id).toBeNull();
    expect(hard.snapshot.statusMappings.some((m) => m.statusFrom === 'Parked')).toBe(false);
  });
});
