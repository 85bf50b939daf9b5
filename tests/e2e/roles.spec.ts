import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expect, test, type Page } from '@playwright/test';

import { addUser } from '../../main/server/users-file';
import { generateWorld, startJiraSimulator, type RunningSimulator } from '../../simulators';
import { createTestDatabase, type TestDatabase } from '../integration/support/database';
import { apiOf, startServe, type ServeProcess } from './support/serve';

/**
 * The console hides what the signed-in role cannot do, against one real `sluice serve` with a users
 * file (a viewer and an operator) beside its console token (an admin): one tenant, one Jira
 * integration on the simulator, one job and the default mappings, created through the API.
 */
const TOKEN = 'e2e-roles-token-2c9b';

let db: TestDatabase;
let serve: ServeProcess;
let jira: RunningSimulator;
let viewerToken: string;
let operatorToken: string;

test.beforeAll(async () => {
  db = await createTestDatabase('e2e_roles');
  jira = await startJiraSimulator({ world: generateWorld({ scale: 'small', seed: 11 }), token: TOKEN });
  const usersFile = join(mkdtempSync(join(process.env['SLUICE_TEST_WORK'] ?? tmpdir(), 'sluice-e2e-roles-')), 'users.json');
  viewerToken = addUser(usersFile, 'vera', 'viewer').token;
  operatorToken = addUser(usersFile, 'otto', 'operator').token;
  serve = await startServe({ DATABASE_URL: db.url, SLUICE_USERS_FILE: usersFile });
  const api = apiOf(serve);
  const tenantId = (await api<{ id: number }>('tenants.create', { name: 'Roles Co' })).id;
  const integrationId = (await api<{ id: number }>('integrations.create', { provider: 'jira', name: 'Roles Jira', baseUrl: jira.url, token: TOKEN, settings: { email: 'ops@example.com' } }, tenantId)).id;
  await api('jobs.create', { integrationId, name: 'Nightly', runKind: 'incremental', schedule: null }, tenantId);
  await api('mappings.seedDefaults', { integrationId }, tenantId);
});

test.afterAll(async () => {
  await serve?.stop();
  await jira?.stop();
  await db?.drop();
});

const signIn = async (page: Page, token: string | null): Promise<void> => {
  await page.goto(token === null ? serve.loginUrl : `${serve.url}/auth?token=${encodeURIComponent(token)}`);
  await page.getByTestId('tenant-switcher').locator('select').selectOption({ label: 'Roles Co' });
};

/** Each screen's mutating controls, by test id. */
const INTEGRATION_EDITS = ['new-jira', 'new-github', 'edit-integration', 'toggle-integration', 'delete-integration'];
const JOB_RUNS = ['run-now', 'pause', 'resume', 'cancel', 'full-refresh', 'retransform'];
const JOB_EDITS = ['new-job', 'settings'];
const MAPPING_EDITS = ['new-level', 'edit-row', 'activate-row', 'deactivate-row', 'delete-row'];

const expectNone = async (page: Page, ids: readonly string[]): Promise<void> => {
  for (const id of ids) await expect(page.getByTestId(id), id).toHaveCount(0);
};
const expectSome = async (page: Page, ids: readonly string[]): Promise<void> => {
  for (const id of ids) await expect(page.getByTestId(id).first(), id).toBeVisible();
};

test('a viewer sees the data of Integrations, Jobs and Mappings with no change control, and is told why', async ({ page }) => {
  await signIn(page, viewerToken);
  await expect(page.getByTestId('session-role')).toHaveText('viewer');

  await page.getByTestId('nav-integrations').click();
  await expect(page.locator('[data-testid^="integration-row-"][data-name="Roles Jira"]')).toBeVisible();
  await expectNone(page, INTEGRATION_EDITS);
  await expect(page.getByTestId('role-notice')).toHaveText('You are signed in as a viewer: changes are hidden.');

  await page.getByTestId('nav-jobs').click();
  await expect(page.locator('[data-testid^="job-card-"][data-name="Nightly"]')).toBeVisible();
  await expectNone(page, [...JOB_RUNS, ...JOB_EDITS]);
  await expect(page.getByTestId('role-notice')).toHaveText('You are signed in as a viewer: changes are hidden.');

  await page.getByTestId('nav-mappings').click();
  await expect(page.locator('[data-testid^="level-row-"]').first()).toBeVisible();
  await expectNone(page, [...MAPPING_EDITS, 'seed-defaults']);
  await expect(page.getByTestId('role-notice')).toHaveText('You are signed in as a viewer: changes are hidden.');
});

test('an operator runs and pauses jobs but creates no integration and edits no job or mapping', async ({ page }) => {
  await signIn(page, operatorToken);
  await expect(page.getByTestId('session-role')).toHaveText('operator');

  await page.getByTestId('nav-jobs').click();
  const nightly = page.locator('[data-testid^="job-card-"][data-name="Nightly"]');
  await expect(nightly).toBeVisible();
  await expect(nightly.getByTestId('run-now')).toBeVisible();
  await expect(nightly.getByTestId('pause')).toBeVisible();
  await expectNone(page, JOB_EDITS);
  await expect(page.getByTestId('role-notice')).toHaveText('You are signed in as an operator: changes that need an admin are hidden.');

  await page.getByTestId('nav-integrations').click();
  await expect(page.locator('[data-testid^="integration-row-"][data-name="Roles Jira"]')).toBeVisible();
  await expectNone(page, INTEGRATION_EDITS);

  await page.getByTestId('nav-mappings').click();
  await expect(page.locator('[data-testid^="level-row-"]').first()).toBeVisible();
  await expectNone(page, MAPPING_EDITS);
});

test('an admin (the console token) sees every control and no role line', async ({ page }) => {
  await signIn(page, null);
  await expect(page.getByTestId('session-role')).toHaveText('admin');

  await page.getByTestId('nav-integrations').click();
  await expect(page.locator('[data-testid^="integration-row-"][data-name="Roles Jira"]')).toBeVisible();
  await expectSome(page, INTEGRATION_EDITS);
  await expect(page.getByTestId('role-notice')).toHaveCount(0);

  await page.getByTestId('nav-jobs').click();
  await expect(page.locator('[data-testid^="job-card-"][data-name="Nightly"]')).toBeVisible();
  await expectSome(page, [...JOB_RUNS, ...JOB_EDITS]);
  await expect(page.getByTestId('role-notice')).toHaveCount(0);

  await page.getByTestId('nav-mappings').click();
  await expect(page.locator('[data-testid^="level-row-"]').first()).toBeVisible();
  await expectSome(page, ['new-level', 'edit-row', 'delete-row']);
  await expect(page.getByTestId('role-notice')).toHaveCount(0);
});
