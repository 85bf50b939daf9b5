// Over 300 lines on purpose: one serial spec sharing one serve, database and simulator across the
// hub's tabs; separate files would each start their own (tens of seconds apiece).
import { expect, test, type Locator, type Page } from '@playwright/test';
import pg from 'pg';

import { generateWorld, startJiraSimulator, type RunningSimulator } from '../../simulators';
import { createTestDatabase, type TestDatabase } from '../integration/support/database';
import { insertWorkItems, mappingTables } from '../integration/mappings-fixtures';
import { screenshotDir, screenshots } from './support/screenshots';
import { startServe, type ServeProcess } from './support/serve';

/**
 * The Mappings hub against a real `sluice serve` (own database) and the Jira simulator: the defaults,
 * each table's main path (create, validation at the field, edit, delete, filters and sorting), the
 * reassignment flow, the one commitment point, custom-field discovery and the pickers, the unmapped
 * values with one-click mapping, the re-transform offer, and the HTTP API refusing bad input.
 * The tests share one console session's data and run in order. Screenshots go to screenshotDir().
 */
const TOKEN = 'e2e-mappings-token-5e1';
const SHOTS = screenshotDir();

let db: TestDatabase;
let admin: pg.Client;
let serve: ServeProcess;
let jira: RunningSimulator;
let tenantId: number;
let integrationId: number;

test.describe.configure({ mode: 'serial' });

const api = async (method: string, input: unknown): Promise<{ status: number; body: { ok: boolean; result?: unknown; error?: { code: string; message: string; issues?: { path: string; message: string }[] } } }> => {
  const res = await fetch(`${serve.url}/api/v1/call/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json', ...(tenantId ? { 'x-sluice-tenant': String(tenantId) } : {}) },
    body: JSON.stringify(input),
  });
  return { status: res.status, body: (await res.json()) as never };
};
const ok = async <T>(method: string, input: unknown): Promise<T> => {
  const r = await api(method, input);
  if (!r.body.ok) throw new Error(`${method} failed: ${JSON.stringify(r.body.error)}`);
  return r.body.result as T;
};

const shoot = (page: Page, name: string) => screenshots(page, `${SHOTS}/${name}`);
const row = (page: Page, prefix: string, name: string): Locator => page.locator(`[data-testid^="${prefix}-row-"][data-name="${name}"]`);
const notice = (page: Page) => page.getByTestId('mappings-notice');

const openHub = async (page: Page, tab: string) => {
  await page.goto(serve.loginUrl);
  await page.getByTestId('nav-mappings').click();
  await expect(page.getByTestId('mappings-integration')).toHaveValue(String(integrationId));
  await page.getByTestId(`tab-${tab}`).click();
};

test.beforeAll(async () => {
  db = await createTestDatabase('e2e_mappings');
  jira = await startJiraSimulator({ world: generateWorld({ scale: 'small', seed: 21 }), token: TOKEN });
  serve = await startServe({ DATABASE_URL: db.url });
  admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  tenantId = (await ok<{ id: number }>('tenants.create', { name: 'Acme' })).id;
  integrationId = (await ok<{ id: number }>('integrations.create', { provider: 'jira', name: 'Acme Jira', baseUrl: jira.url, token: TOKEN, settings: { email: 'ops@example.com' } })).id;
  // Loaded data: mapped stories and bugs, and types and statuses no mapping covers yet.
  await insertWorkItems(admin, tenantId, integrationId, [
    { key: 'ENG-1', type: 'Story', typeMapped: true, status: 'In Progress', statusMapped: true, history: ['Backlog', 'In Progress'] },
    { key: 'ENG-2', type: 'Story', typeMapped: true, status: 'Done', statusMapped: true, history: ['Backlog', 'Done'] },
    { key: 'ENG-3', type: 'Epic', typeMapped: true, status: 'Backlog', statusMapped: true },
    { key: 'OPS-1', type: 'Runbook', typeMapped: false, status: 'Awaiting Vendor', statusMapped: false, unmappedHistory: ['Awaiting Vendor'] },
    { key: 'OPS-2', type: 'Runbook', typeMapped: false, status: 'Done', statusMapped: true, unmappedHistory: ['Awaiting Vendor'] },
  ]);
});

test.afterAll(async () => {
  await serve?.stop();
  await admin?.end();
  await jira?.stop();
  await db?.drop();
});

test('hierarchies: the defaults, create with validation at the field, edit, the reassignment flow, delete, filters', async ({ page }) => {
  test.setTimeout(120_000);
  await openHub(page, 'hierarchies');
  await expect(page.getByTestId('seed-panel')).toContainText('Acme Jira has no levels');
  await shoot(page, 'mappings-empty');
  await page.getByTestId('seed-defaults').click();
  await expect(notice(page)).toContainText('default rows to the tables that were empty');
  await expect(page.getByTestId('seed-panel')).toHaveCount(0);
  await expect(page.locator('[data-testid^="level-row-"]')).toHaveCount(6);
  // Top level first; the counts are the loaded work items behind each level.
  await expect(page.locator('[data-testid^="level-row-"]').first()).toHaveAttribute('data-name', 'Capital Investment');
  await expect(row(page, 'level', 'Story')).toHaveAttribute('data-work-items', '2');
  await shoot(page, 'mappings-hierarchies');

  // Validation: in the browser first (empty name), then the engine's (a number another level has), at the field.
  await page.getByTestId('new-level').click();
  const form = page.getByTestId('level-form');
  await form.locator('#field-levelNumber-input').fill('1');
  await page.getByTestId('save-form').click();
  await expect(page.getByTestId('error-levelName')).toHaveText('enter the level name');
  await form.locator('#field-levelName-input').fill('Initiative');
  await page.getByTestId('save-form').click();
  await expect(page.getByTestId('error-levelNumber')).toHaveText('level 1 is already "Epic"');
  await shoot(page, 'mappings-level-form-error');
  await form.locator('#field-levelNumber-input').fill('5');
  await page.getByTestId('save-form').click();
  await expect(notice(page)).toContainText('Added level 5 "Initiative"');
  await expect(row(page, 'level', 'Initiative')).toBeVisible();

  await row(page, 'level', 'Initiative').getByTestId('edit-row').click();
  await form.locator('#field-levelName-input').fill('Portfolio');
  await form.locator('#field-description-input').fill('Above investments');
  await page.getByTestId('save-form').click();
  await expect(notice(page)).toContainText('Saved level 5 "Portfolio"');
  await expect(notice(page).getByTestId('retransform-now')).toBeVisible();
  await expect(row(page, 'level', 'Portfolio')).toContainText('Above investments');

  // Reassignment: the report counts what uses Epic; confirming without a target is refused at the field.
  await row(page, 'level', 'Epic').getByTestId('deactivate-row').click();
  const dialog = page.getByTestId('reassign-dialog');
  await expect(dialog.getByTestId('dependents-summary')).toContainText('3 type mappings use Epic, behind 1 loaded work item');
  await dialog.getByTestId('confirm-reassign').click();
  await expect(dialog.getByTestId('error-reassignTo')).toHaveText('choose where the type mappings move');
  await dialog.locator('#field-reassignTo-input').selectOption({ label: '2 · Milestone' });
  await shoot(page, 'mappings-reassign-dialog');
  await dialog.getByTestId('confirm-reassign').click();
  await expect(notice(page)).toContainText('Moved 3 type mappings from "Epic" to level 2 "Milestone"; level "Epic" is inactive.');
  await expect(row(page, 'level', 'Epic')).toHaveAttribute('data-active', 'false');
  // Milestone now has its own two mappings and Epic's three, behind the one loaded epic.
  await expect(row(page, 'level', 'Milestone')).toHaveAttribute('data-mappings', '5');
  await expect(row(page, 'level', 'Milestone')).toHaveAttribute('data-work-items', '1');
  expect((await admin.query("SELECT count(*)::int AS n FROM wits_mappings m JOIN wits_hierarchies h ON h.id = m.wits_hierarchy_id WHERE h.level_name = 'Epic'")).rows[0].n).toBe(0);

  // Nothing uses Portfolio: it is deleted at once.
  await row(page, 'level', 'Portfolio').getByTestId('delete-row').click();
  await expect(dialog.getByTestId('no-dependents')).toContainText('No type mapping uses Portfolio');
  await dialog.getByTestId('confirm-reassign').click();
  await expect(notice(page)).toContainText('Deleted level 5 "Portfolio"');
  await expect(row(page, 'level', 'Portfolio')).toHaveCount(0);

  // Filters and sorting.
  await page.getByTestId('filter-hierarchies-search').fill('mile');
  await expect(page.locator('[data-testid^="level-row-"]')).toHaveCount(1);
  await page.getByTestId('filter-hierarchies-search').fill('');
  await page.getByTestId('filter-hierarchies-state').selectOption('inactive');
  await expect(page.locator('[data-testid^="level-row-"]')).toHaveCount(1);
  await page.getByTestId('filter-hierarchies-state').selectOption('all');
  await page.getByTestId('sort-hierarchies-levelName').click();
  await expect(page.locator('[data-testid^="level-row-"]').first()).toHaveAttribute('data-name', 'Capital Investment');
  await page.getByTestId('sort-hierarchies-levelName').click();
  await expect(page.locator('[data-testid^="level-row-"]').first()).toHaveAttribute('data-name', 'Sub-task');
});

test('type and status mappings: create, validation, edit, soft and hard delete, filters', async ({ page }) => {
  test.setTimeout(120_000);
  await openHub(page, 'wits');
  await page.getByTestId('new-wit').click();
  const wit = page.getByTestId('wit-form');
  await wit.locator('#field-witFrom-input').fill('story');
  await wit.locator('#field-witTo-input').fill('Story');
  await page.getByTestId('save-form').click();
  await expect(page.getByTestId('error-witFrom')).toHaveText('already mapped (active)');
  await expect(page.getByTestId('form-error')).toContainText('"Story" is already mapped to "Story" (names ignore case)');
  await wit.locator('#field-witFrom-input').fill('Chore');
  await wit.locator('#field-witTo-input').fill('Task');
  await wit.locator('#field-hierarchyId-input').selectOption({ label: '0 · Story' });
  await page.getByTestId('save-form').click();
  await expect(notice(page)).toContainText('Mapped "Chore" to "Task" at level "Story"');
  await row(page, 'wit', 'Chore').getByTestId('edit-row').click();
  await wit.locator('#field-witTo-input').fill('Maintenance');
  await page.getByTestId('save-form').click();
  await expect(row(page, 'wit', 'Chore')).toContainText('Maintenance');

  // Story is used by loaded work items: its delete is a deactivation; Chore is used by none: removed.
  await row(page, 'wit', 'Story').getByTestId('delete-row').click();
  await expect(page.getByTestId('delete-mapping-plan')).toHaveAttribute('data-soft', 'true');
  await expect(page.getByTestId('delete-mapping-plan')).toContainText('2 loaded work items are of this type, so the mapping is kept and deactivated');
  await shoot(page, 'mappings-delete-soft');
  await page.getByTestId('confirm-delete-mapping').click();
  await expect(notice(page)).toContainText('"Story" is used by 2 loaded work items, so it was deactivated instead of deleted');
  await expect(row(page, 'wit', 'Story')).toHaveAttribute('data-active', 'false');
  await row(page, 'wit', 'Chore').getByTestId('delete-row').click();
  await expect(page.getByTestId('delete-mapping-plan')).toHaveAttribute('data-soft', 'false');
  await page.getByTestId('confirm-delete-mapping').click();
  await expect(row(page, 'wit', 'Chore')).toHaveCount(0);
  await row(page, 'wit', 'Story').getByTestId('activate-row').click();
  await expect(row(page, 'wit', 'Story')).toHaveAttribute('data-active', 'true');

  // Filter by level, then by text; sort by work items.
  const milestone = await page.locator('[data-testid="filter-wits-filter"] option', { hasText: 'Milestone' }).getAttribute('value');
  await page.getByTestId('filter-wits-filter').selectOption(milestone!);
  await expect(page.locator('[data-testid^="wit-row-"]')).toHaveCount(5); // Milestone, Initiative and the three moved from Epic
  await page.getByTestId('filter-wits-search').fill('feat');
  await expect(page.locator('[data-testid^="wit-row-"]')).toHaveCount(1);
  await page.getByTestId('filter-wits-search').fill('');
  await page.getByTestId('filter-wits-filter').selectOption('all');
  await page.getByTestId('sort-wits-workItems').click();
  await page.getByTestId('sort-wits-workItems').click();
  await expect(page.locator('[data-testid^="wit-row-"]').first()).toHaveAttribute('data-name', 'Story');
  await shoot(page, 'mappings-wits');

  // Status mappings: the steps offered are this integration's own.
  await page.getByTestId('tab-statuses').click();
  await page.getByTestId('new-status').click();
  const status = page.getByTestId('status-form');
  await status.locator('#field-statusFrom-input').fill('Parked');
  await status.locator('#field-workflowId-input').selectOption({ label: '5 · In Progress' });
  await expect(status.locator('#field-statusCategory-input option').first()).toHaveText("The step's (In Progress)");
  await status.locator('#field-statusCategory-input').selectOption('Waiting');
  await shoot(page, 'mappings-status-form');
  await page.getByTestId('save-form').click();
  await expect(notice(page)).toContainText('Mapped status "Parked" to step "In Progress" (Waiting)');
  await expect(row(page, 'status', 'Parked')).toContainText('(override)');
  await page.getByTestId('new-status').click();
  await status.locator('#field-statusFrom-input').fill('  ');
  await page.getByTestId('save-form').click();
  await expect(page.getByTestId('error-statusFrom')).toHaveText('enter the Jira status name');
  await status.locator('#field-statusFrom-input').fill('parked');
  await page.getByTestId('save-form').click();
  await expect(page.getByTestId('error-statusFrom')).toHaveText('already mapped (active)');
  await page.getByTestId('cancel-form').click();
  await page.getByTestId('filter-statuses-filter').selectOption('category:Discarded');
  await expect(page.locator('[data-testid^="status-row-"]').first()).toContainText('Discarded');
  await shoot(page, 'mappings-statuses');
  await page.getByTestId('filter-statuses-filter').selectOption('all');
});

test('workflow: steps with categories, one commitment point moved in one click, deactivation with reassignment', async ({ page }) => {
  test.setTimeout(120_000);
  await openHub(page, 'workflow');
  await expect(page.locator('[data-commitment="true"]')).toHaveCount(1);
  await expect(page.getByTestId('commitment-summary')).toContainText('from step 4 "To Do" on');
  await row(page, 'step', 'In Progress').getByTestId('make-commitment-point').click();
  await expect(notice(page)).toContainText('"In Progress" is the commitment point instead of "To Do"');
  await expect(page.locator('[data-commitment="true"]')).toHaveCount(1);
  await expect(row(page, 'step', 'In Progress')).toHaveAttribute('data-commitment', 'true');
  const points = await admin.query('SELECT step_name FROM workflows WHERE integration_id = $1 AND is_commitment_point', [integrationId]);
  expect(points.rows).toEqual([{ step_name: 'In Progress' }]);

  // A new step: validation in the browser (the commitment point needs a number), then saved as Waiting.
  await page.getByTestId('new-step').click();
  const form = page.getByTestId('step-form');
  await form.locator('#field-stepName-input').fill('Blocked');
  await form.locator('#field-isCommitmentPoint-input').check();
  await page.getByTestId('save-form').click();
  await expect(page.getByTestId('error-stepNumber')).toHaveText('the commitment point needs a step number');
  await shoot(page, 'mappings-step-form-error');
  await form.locator('#field-isCommitmentPoint-input').uncheck();
  await form.locator('#field-stepNumber-input').fill('6');
  await form.locator('#field-stepCategory-input').selectOption('Waiting');
  await page.getByTestId('save-form').click();
  await expect(notice(page)).toContainText('Added step "Blocked" (Waiting)');
  await expect(row(page, 'step', 'Blocked')).toContainText('Waiting');
  await shoot(page, 'mappings-workflow');

  // The commitment point cannot be deactivated; a step with status mappings moves them first.
  await row(page, 'step', 'In Progress').getByTestId('deactivate-row').click();
  await expect(page.getByTestId('commitment-blocked')).toContainText('make another step the commitment point first');
  await expect(page.getByTestId('confirm-reassign')).toBeDisabled();
  await page.getByTestId('cancel-reassign').click();
  await row(page, 'step', 'Refinement').getByTestId('deactivate-row').click();
  await page.locator('#field-reassignTo-input').selectOption({ label: '1 · Backlog (To Do)' });
  await page.getByTestId('confirm-reassign').click();
  await expect(notice(page)).toContainText('status mappings from "Refinement" to "Backlog"; step "Refinement" is inactive.');
  await expect(row(page, 'step', 'Refinement')).toHaveAttribute('data-active', 'false');
  await page.getByTestId('filter-workflow-filter').selectOption('Waiting');
  await expect(page.locator('[data-testid^="step-row-"]')).toHaveCount(4);
  await page.getByTestId('filter-workflow-filter').selectOption('all');
});

test('custom fields: discovery against the simulator, searchable pickers, validation at the slot, save', async ({ page }) => {
  test.setTimeout(120_000);
  await openHub(page, 'fields');
  await expect(page.getByTestId('discovered-summary')).toContainText('No field discovered yet');
  await page.getByTestId('discover-fields').click();
  await expect(page.getByTestId('discovery-result')).toContainText(`Read ${jira.world.jira.fields.length} fields from Jira`);
  await expect(page.getByTestId('discovered-summary')).toContainText(`${jira.world.jira.fields.length} fields discovered`);
  await expect(page.locator('[data-testid^="field-row-"]')).toHaveCount(jira.world.jira.fields.length);

  // Suggestions from the schema types; a picker takes a name or an id.
  await page.getByTestId('use-suggestion-sprints').click();
  await expect(page.getByTestId('resolved-sprints')).toHaveText('→ Sprint (customfield_10020)');
  await page.getByTestId('use-suggestion-storyPoints').click();
  await page.locator('#field-slots-0-input').fill('customer');
  await expect(page.getByTestId('resolved-slots-0')).toHaveText('→ Customer (customfield_10033)');
  await page.locator('#field-slots-1-input').fill('customfield_10034');
  await page.locator('#field-slots-2-input').fill('customfield_10034');
  await page.locator('#field-slots-3-input').fill('NotAField');
  await page.getByTestId('save-fields').click();
  await expect(page.getByTestId('error-slots-2')).toHaveText('customfield_10034 is already mapped to slot 2; a field feeds one place only');
  await expect(page.getByTestId('error-slots-3')).toContainText('no discovered field is called "NotAField"');
  await shoot(page, 'mappings-fields-errors');
  await page.locator('#field-slots-2-input').fill('');
  await page.locator('#field-slots-3-input').fill('Components');
  await page.getByTestId('save-fields').click();
  await expect(notice(page)).toContainText('Saved the custom-field mapping');
  const saved = await ok<{ mapping: { sprints: string; storyPoints: string; slots: (string | null)[] } }>('mappings.customFields.get', { integrationId });
  expect(saved.mapping).toMatchObject({ sprints: 'customfield_10020', storyPoints: 'customfield_10016' });
  expect(saved.mapping.slots.slice(0, 4)).toEqual(['customfield_10033', 'customfield_10034', null, 'components']);
  await expect(page.getByTestId('field-row-customfield_10033')).toContainText('slot 1');
  await page.getByTestId('filter-fields-filter').selectOption('system');
  await expect(page.getByTestId('field-row-customfield_10033')).toHaveCount(0);
  await expect(page.getByTestId('field-row-components')).toBeVisible();
  await page.getByTestId('filter-fields-filter').selectOption('all');
  await shoot(page, 'mappings-fields');
});

test('unmapped values: listed with counts, one click opens the form prefilled, then re-transform', async ({ page }) => {
  test.setTimeout(120_000);
  await openHub(page, 'unmapped');
  const runbook = page.getByTestId('unmapped-type-Runbook');
  await expect(runbook).toHaveAttribute('data-work-items', '2');
  await expect(page.getByTestId('unmapped-status-Awaiting Vendor')).toHaveAttribute('data-current', '1');
  await expect(page.getByTestId('unmapped-status-Awaiting Vendor')).toHaveAttribute('data-history', '2');
  await shoot(page, 'mappings-unmapped');
  await runbook.getByTestId('map-value').click();
  const wit = page.getByTestId('wit-form');
  await expect(wit.locator('#field-witFrom-input')).toHaveValue('Runbook');
  await expect(page.getByTestId('tab-wits')).toHaveAttribute('aria-selected', 'true');
  await wit.locator('#field-witTo-input').fill('Task');
  await shoot(page, 'mappings-wit-form-prefilled');
  await page.getByTestId('save-form').click();
  await expect(notice(page)).toContainText('Mapped "Runbook" to "Task"');

  await page.getByTestId('tab-unmapped').click();
  await expect(page.getByTestId('unmapped-type-Runbook')).toHaveAttribute('data-mapped-now', 'true');
  await page.getByTestId('unmapped-status-Awaiting Vendor').getByTestId('map-value').click();
  await expect(page.getByTestId('status-form').locator('#field-statusFrom-input')).toHaveValue('Awaiting Vendor');
  await page.getByTestId('save-form').click();
  await expect(notice(page)).toContainText('Mapped status "Awaiting Vendor"');

  // Without a job, the re-transform is a run of the integration.
  await notice(page).getByTestId('retransform-now').click();
  await expect(notice(page)).toContainText(/Re-transform run \d+ started with \d+ stored units? and the current mappings/);
  const run = await admin.query<{ id: string; kind: string; job_id: string | null }>("SELECT id, kind, job_id FROM runs WHERE integration_id = $1 AND kind = 'retransform'", [integrationId]);
  expect(run.rows).toEqual([{ id: expect.any(String) as unknown, kind: 'retransform', job_id: null }]);
  await page.getByTestId('tab-unmapped').click();
  await expect(page.getByTestId('unmapped-status-Awaiting Vendor')).toHaveAttribute('data-mapped-now', 'true');

  // With a job, it goes through the jobs API, so the Jobs screen shows it. (No workers here: end the first run by hand.)
  await admin.query("UPDATE runs SET state = 'succeeded', finished_at = now() WHERE id = $1", [run.rows[0]!.id]);
  const job = await ok<{ id: number }>('jobs.create', { integrationId, name: 'Acme nightly' });
  await page.getByTestId('tab-wits').click();
  await row(page, 'wit', 'Runbook').getByTestId('deactivate-row').click();
  await notice(page).getByTestId('retransform-now').click();
  await expect(notice(page)).toContainText(/Run \d+ of job "Acme nightly" started: it re-transforms \d+ stored unit\(s\) with the current mappings/);
  const viaJob = await admin.query("SELECT kind, job_id FROM runs WHERE integration_id = $1 AND kind = 'retransform' AND job_id IS NOT NULL", [integrationId]);
  expect(viaJob.rows).toEqual([{ kind: 'retransform', job_id: String(job.id) }]);
});

test('the HTTP API refuses bad input with a clear error at the field and changes nothing', async () => {
  const before = await mappingTables(admin, integrationId);
  const snapshot = await ok<{ hierarchies: { id: number; levelName: string }[]; workflow: { id: number; stepName: string }[] }>('mappings.get', { integrationId });
  const story = snapshot.hierarchies.find((h) => h.levelName === 'Story')!;
  const cases: [string, unknown, number, string, string][] = [
    ['mappings.hierarchies.create', { integrationId, levelNumber: 50, levelName: 'Too high' }, 400, 'levelNumber', 'from -10 to 20'],
    ['mappings.hierarchies.create', { integrationId, levelNumber: 0, levelName: 'Other' }, 409, 'levelNumber', 'level 0 is already "Story"'],
    ['mappings.hierarchies.setActive', { integrationId, id: story.id, active: false }, 409, 'reassignTo', 'choose the level the type mappings move to'],
    ['mappings.witMappings.create', { integrationId, witFrom: 'BUG', witTo: 'Bug', hierarchyId: story.id }, 409, 'witFrom', 'already mapped (active)'],
    ['mappings.workflow.create', { integrationId, stepName: 'Later', stepNumber: 2000, stepCategory: 'Done' }, 400, 'stepNumber', 'from 0 to 1000'],
    ['mappings.statusMappings.create', { integrationId, statusFrom: 'Open', workflowId: 999_999 }, 400, 'workflowId', 'not a step of this workflow'],
    ['mappings.statusMappings.create', { integrationId, statusFrom: 'open', workflowId: snapshot.workflow[0]!.id }, 409, 'statusFrom', 'already mapped (active)'],
    ['mappings.customFields.save', { integrationId, team: 'x y', sprints: null, development: null, storyPoints: null, slots: [] }, 400, 'team', 'a Jira field id, e.g. customfield_10016 (pick one from the list)'],
  ];
  for (const [method, input, status, path, message] of cases) {
    const r = await api(method, input);
    expect(r.status, `${method} ${JSON.stringify(input)}`).toBe(status);
    expect(r.body.ok).toBe(false);
    expect(r.body.error?.issues?.find((i) => i.path === path)?.message, method).toBe(message);
    expect(r.body.error?.message.length).toBeGreaterThan(20);
  }
  expect(await mappingTables(admin, integrationId)).toEqual(before);
});
