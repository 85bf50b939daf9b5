import { expect, test, type Page } from '@playwright/test';
import pg from 'pg';

import { generateWorld, startGithubSimulator, startJiraSimulator, type RunningSimulator } from '../../simulators';
import { createTestDatabase, type TestDatabase } from '../integration/support/database';
import { screenshotDir, screenshots } from './support/screenshots';
import { apiOf, startServe, type ServeProcess } from './support/serve';

/**
 * The Integrations screen against a real `sluice serve` (own database) and the Jira and GitHub
 * simulators: create with the project picker, test connection, validation at the field, edit,
 * deactivate (and the active-runs guard), delete with the confirmation that lists what goes.
 * Screenshots (light and dark) go to screenshotDir() for a look by eye.
 */
const TOKEN = 'e2e-simulator-token-7f3a';
const SHOTS = screenshotDir();

let db: TestDatabase;
let admin: pg.Client;
let serve: ServeProcess;
let jira: RunningSimulator;
let github: RunningSimulator;
let tenantId: number;

const api = (method: string, input: unknown, tenant?: number): Promise<unknown> => apiOf(serve)(method, input, tenant);

const shoot = (page: Page, name: string) => screenshots(page, `${SHOTS}/${name}`);

const row = (page: Page, name: string) => page.locator(`[data-testid^="integration-row-"][data-name="${name}"]`);

test.beforeAll(async () => {
  db = await createTestDatabase('e2e_integrations');
  const world = generateWorld({ scale: 'small', seed: 11 });
  jira = await startJiraSimulator({ world, token: TOKEN });
  github = await startGithubSimulator({ world, token: TOKEN });
  serve = await startServe({ DATABASE_URL: db.url });
  admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  tenantId = ((await api('tenants.create', { name: 'Acme' })) as { id: number }).id;
});

test.afterAll(async () => {
  await serve?.stop();
  await admin?.end();
  await Promise.all([jira?.stop(), github?.stop()]);
  await db?.drop();
});

test('a Jira integration: create with the project picker, test, edit, deactivate, delete', async ({ page }) => {
  test.setTimeout(120_000);
  const keys = jira.world.jira.projects.map((p) => p.key).sort();
  await page.goto(serve.loginUrl);
  await page.getByTestId('nav-integrations').click();
  await expect(page.getByTestId('integrations-empty')).toContainText('No integrations yet');
  await page.getByTestId('new-jira').click();
  const form = page.getByTestId('integration-form');
  await form.locator('#field-name-input').fill('Team Jira');
  await form.locator('#field-baseUrl-input').fill(jira.url);
  await form.locator('#field-settings-email-input').fill('not-an-email');

  // Validation at the field, before anything is sent.
  await page.getByTestId('save-integration').click();
  await expect(page.getByTestId('error-settings-email')).toBeVisible();
  await expect(page.getByTestId('error-token')).toContainText('enter the API token');

  // Without the right token the picker says why and offers typing the keys by hand.
  await form.locator('#field-settings-email-input').fill('ops@example.com');
  await form.locator('#field-token-input').fill('a-wrong-token');
  await page.getByTestId('load-projects').click();
  await expect(page.getByTestId('projects-error')).toContainText('the token was refused (401');
  await expect(page.getByTestId('projects-error')).toContainText('Type the project keys by hand');
  await page.getByTestId('project-keys-manual').fill(`${keys[0]!.toLowerCase()}, ${keys[0]}`);
  await page.getByTestId('add-project-keys').click();
  await expect(page.getByTestId(`project-chip-${keys[0]}`)).toBeVisible();
  await page.getByRole('button', { name: `Remove ${keys[0]}` }).click();

  // With the right token: the remote list, picked by ticking.
  await form.locator('#field-token-input').fill(TOKEN);
  await page.getByTestId('load-projects').click();
  for (const key of keys) await page.getByTestId(`project-option-${key}`).locator('input').check();
  for (const key of keys) await expect(page.getByTestId(`project-chip-${key}`)).toBeVisible();

  await page.getByTestId('test-connection').click();
  const result = page.getByTestId('connection-result');
  await expect(result).toHaveAttribute('data-ok', 'true');
  await expect(result.getByTestId('connection-check')).toHaveCount(3);
  await expect(result).toContainText('Signed in as Sluice Simulator (ops@example.com)');
  await shoot(page, 'integrations-jira-form');

  await page.getByTestId('save-integration').click();
  await expect(page.getByTestId('integrations-notice')).toContainText('Team Jira was created');
  const jiraRow = row(page, 'Team Jira');
  await expect(jiraRow.getByTestId('token-hint')).toHaveText(`set …${TOKEN.slice(-4)}`);
  await expect(page.locator('body')).not.toContainText(TOKEN);

  // Edit: the token is not shown back; an invalid value is caught at the field; saving keeps the token.
  await jiraRow.getByTestId('edit-integration').click();
  await expect(form.locator('#field-token-input')).toHaveValue('');
  await expect(page.getByTestId('field-token')).toContainText(`A token is stored (…${TOKEN.slice(-4)})`);
  await form.locator('#field-settings-baseJql-input').fill('issuetype = Bug ORDER BY created');
  await page.getByTestId('save-integration').click();
  await expect(page.getByTestId('error-settings-baseJql')).toContainText('leave ORDER BY out');
  await form.locator('#field-settings-baseJql-input').fill('issuetype != Epic');
  await form.locator('#field-settings-pageSize-input').fill('50');
  await form.locator('#field-name-input').fill('Team Jira Cloud');
  await page.getByTestId('test-connection').click();
  await expect(result).toHaveAttribute('data-ok', 'true');
  await page.getByTestId('save-integration').click();
  await expect(page.getByTestId('integrations-notice')).toContainText('Team Jira Cloud was saved');
  const stored = await admin.query<{ settings: { pageSize: number; baseJql: string; projectKeys: string[] }; secret_hint: string }>(
    "SELECT settings, secret_hint FROM integrations WHERE name = 'Team Jira Cloud'",
  );
  expect(stored.rows[0]!.settings).toMatchObject({ pageSize: 50, baseJql: 'issuetype != Epic', projectKeys: keys });
  expect(stored.rows[0]!.secret_hint).toBe(`…${TOKEN.slice(-4)}`);

  // The guard: a run in progress blocks deactivation and deletion, and the screen says so.
  const renamed = row(page, 'Team Jira Cloud');
  const id = Number((await renamed.getAttribute('data-testid'))!.replace('integration-row-', ''));
  const run = await admin.query<{ id: string }>(`INSERT INTO runs (tenant_id, integration_id, kind, trigger, state) VALUES ($1, $2, 'incremental', 'manual', 'running') RETURNING id`, [tenantId, id]);
  await admin.query(
    `INSERT INTO raw_extraction_data (tenant_id, integration_id, run_id, step, stream, request_url, payload, payload_bytes) VALUES ($1, $2, $3, 'issues', 'issues', 'https://x', '{}', 2)`,
    [tenantId, id, run.rows[0]!.id],
  );
  await renamed.getByTestId('toggle-integration').click();
  await expect(page.getByTestId('integrations-error')).toContainText('has 1 run in progress');
  await expect(page.getByTestId('integrations-error')).toContainText('cannot be deactivated');
  await expect(renamed).toHaveAttribute('data-active', 'true');
  await shoot(page, 'integrations-guard');
  await admin.query(`UPDATE runs SET state = 'succeeded', finished_at = now() WHERE id = $1`, [run.rows[0]!.id]);

  await renamed.getByTestId('toggle-integration').click();
  await expect(renamed).toHaveAttribute('data-active', 'false');
  await expect(renamed.getByTestId('integration-state')).toHaveText(/Inactive/);
  await page.getByTestId('filter-state').selectOption('active');
  await expect(renamed).toHaveCount(0);
  await page.getByTestId('filter-state').selectOption('all');

  // Delete: the dialog lists what goes, counted by the engine; cancel keeps it, confirm removes it.
  await renamed.getByTestId('delete-integration').click();
  const dialog = page.getByTestId('delete-dialog');
  await expect(dialog.getByTestId('removes-runs')).toHaveText('1 run with their steps and logs');
  await expect(dialog.getByTestId('removes-raw')).toHaveText('1 raw unit (stored API responses)');
  await shoot(page, 'integrations-delete-dialog');
  await dialog.getByTestId('cancel-delete').click();
  await expect(renamed).toBeVisible();
  await renamed.getByTestId('delete-integration').click();
  await dialog.getByTestId('confirm-delete').click();
  await expect(page.getByTestId('integrations-notice')).toContainText('Team Jira Cloud was deleted');
  await expect(renamed).toHaveCount(0);
  expect((await admin.query('SELECT 1 FROM runs WHERE integration_id = $1', [id])).rowCount).toBe(0);
});

test('a GitHub integration: create, a name the engine refuses at the field, test, edit, delete', async ({ page }) => {
  test.setTimeout(120_000);
  await api('integrations.create', { provider: 'jira', name: 'Taken name', baseUrl: jira.url, token: TOKEN, settings: {} }, tenantId);
  await page.goto(serve.loginUrl);
  await page.getByTestId('nav-integrations').click();
  await page.getByTestId('new-github').click();
  const form = page.getByTestId('integration-form');
  await expect(form.locator('#field-baseUrl-input')).toHaveValue('https://api.github.com');
  await form.locator('#field-name-input').fill('taken NAME');
  await form.locator('#field-baseUrl-input').fill(github.url);
  await form.locator('#field-token-input').fill(TOKEN);
  await form.locator('#field-settings-organization-input').fill('not a valid org!');
  await page.getByTestId('save-integration').click();
  await expect(page.getByTestId('error-settings-organization')).toContainText('a GitHub organization or user name');

  await form.locator('#field-settings-organization-input').fill(github.world.meta.organization);
  await form.locator('#field-settings-repositoryPatterns-input').fill('');
  await page.getByTestId('save-integration').click();
  // Names are unique per tenant, ignoring case: the engine says so at the name field.
  await expect(page.getByTestId('error-name')).toHaveText('already used by another integration of this tenant');
  await expect(page.getByTestId('form-error')).toContainText('already exists for this tenant');

  await form.locator('#field-name-input').fill('Org GitHub');
  await page.getByTestId('test-connection').click();
  await expect(page.getByTestId('connection-result')).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('connection-result')).toContainText('GraphQL works; signed in as sluice-sim');
  await shoot(page, 'integrations-github-form');
  await page.getByTestId('save-integration').click();
  const ghRow = row(page, 'Org GitHub');
  await expect(ghRow).toBeVisible();
  await page.getByTestId('filter-provider').selectOption('github');
  await expect(page.locator('[data-testid^="integration-row-"]')).toHaveCount(1);
  await page.getByTestId('filter-provider').selectOption('all');
  await shoot(page, 'integrations-list');

  // Edit with a new token that is wrong: test connection says so; saving replaces the hint.
  await ghRow.getByTestId('edit-integration').click();
  await form.locator('#field-token-input').fill('ghp_replaced_token_9999');
  await page.getByTestId('test-connection').click();
  await expect(page.getByTestId('connection-result')).toHaveAttribute('data-ok', 'false');
  await expect(page.getByTestId('connection-check').first()).toContainText('The token was refused (401: "Bad credentials")');
  await shoot(page, 'integrations-github-edit');
  await page.getByTestId('save-integration').click();
  await expect(ghRow.getByTestId('token-hint')).toHaveText('set …9999');

  await ghRow.getByTestId('delete-integration').click();
  await expect(page.getByTestId('removes-runs')).toHaveText('0 runs with their steps and logs');
  await page.getByTestId('confirm-delete').click();
  await expect(ghRow).toHaveCount(0);
  await expect(row(page, 'Taken name')).toBeVisible();
});

test('over HTTP, bad input is a 400 naming the field, a duplicate a 409, and neither stores anything', async () => {
  const post = (input: unknown) =>
    fetch(`${serve.url}/api/v1/call/integrations.create`, {
      method: 'POST',
      headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json', 'x-sluice-tenant': String(tenantId) },
      body: JSON.stringify(input),
    });
  await api('integrations.create', { provider: 'github', name: 'Http taken', baseUrl: github.url, token: TOKEN, settings: { organization: 'acme' } }, tenantId);
  const before = (await admin.query('SELECT id, name, settings, secret_hint FROM integrations ORDER BY id')).rows;
  const bad = await post({ provider: 'jira', name: 'Bad', baseUrl: jira.url, token: TOKEN, settings: { email: 'nope', pageSize: 1000 } });
  expect(bad.status).toBe(400);
  const badBody = (await bad.json()) as { ok: false; error: { code: string; message: string; issues: { path: string }[] } };
  expect(badBody.error.code).toBe('bad_request');
  expect(badBody.error.issues.map((i) => i.path).sort()).toEqual(['settings.email', 'settings.pageSize']);
  const dup = await post({ provider: 'jira', name: 'HTTP TAKEN', baseUrl: jira.url, token: TOKEN, settings: {} });
  expect(dup.status).toBe(409);
  expect(((await dup.json()) as { error: { message: string } }).error.message).toContain('already exists for this tenant; pick another name');
  expect((await admin.query('SELECT id, name, settings, secret_hint FROM integrations ORDER BY id')).rows).toEqual(before);
});
