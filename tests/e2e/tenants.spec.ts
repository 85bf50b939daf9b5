import { expect, test, type Page } from '@playwright/test';

import { createTestDatabase, type TestDatabase } from '../integration/support/database';
import { screenshotDir, screenshots } from './support/screenshots';
import { startServe, type ServeProcess } from './support/serve';

/**
 * The Tenants screen against a real `sluice serve` with its own database: create (with the
 * validation and duplicate-name errors at the field), rename and re-tier, deactivate and activate,
 * and the header's tenant switcher following every change.
 */
const SHOTS = screenshotDir();

let db: TestDatabase;
let serve: ServeProcess;

test.beforeAll(async () => {
  db = await createTestDatabase('e2e_tenants');
  serve = await startServe({ DATABASE_URL: db.url });
});

test.afterAll(async () => {
  await serve?.stop();
  await db?.drop();
});

const row = (page: Page, name: string) => page.locator(`[data-testid^="tenant-row-"][data-name="${name}"]`);
const switcher = (page: Page) => page.getByTestId('tenant-switcher');

test('a tenant is created, renamed, re-tiered, deactivated and activated, and the header follows', async ({ page }) => {
  await page.goto(serve.loginUrl);
  await expect(switcher(page)).toContainText('No tenants yet');
  await page.getByTestId('nav-tenants').click();
  await expect(page.getByTestId('tenants-page')).toBeVisible();

  // Validation at the field, nothing sent.
  const create = page.getByTestId('create-tenant');
  await create.getByTestId('create-tenant-submit').click();
  await expect(page.getByTestId('error-create-tenant-name')).toHaveText('give the tenant a name');

  await create.locator('#field-create-tenant-name-input').fill('Acme');
  await create.locator('#field-create-tenant-tier-input').selectOption('enterprise');
  await create.getByTestId('create-tenant-submit').click();
  await expect(page.getByTestId('tenants-notice')).toContainText('Acme was created');
  await expect(row(page, 'Acme')).toContainText('Enterprise');
  await expect(switcher(page).locator('select')).toContainText('Acme');

  await create.locator('#field-create-tenant-name-input').fill('Beta');
  await create.getByTestId('create-tenant-submit').click();
  await expect(row(page, 'Beta')).toContainText('Premium');

  // The engine refuses a duplicate (names ignore case) at the name field and creates nothing.
  await create.locator('#field-create-tenant-name-input').fill('ACME');
  await create.getByTestId('create-tenant-submit').click();
  await expect(page.getByTestId('error-create-tenant-name')).toHaveText('already used by another tenant');
  await expect(page.getByTestId('create-tenant-error')).toContainText('A tenant named "ACME" already exists');
  await expect(page.locator('[data-testid^="tenant-row-"]')).toHaveCount(2);
  // Typing again clears the notice; leaving the screen and coming back starts a fresh form.
  await create.locator('#field-create-tenant-name-input').fill('ACME 2');
  await expect(page.getByTestId('create-tenant-error')).toHaveCount(0);
  await page.getByTestId('nav-integrations').click();
  await page.getByTestId('nav-tenants').click();
  await expect(create.locator('#field-create-tenant-name-input')).toHaveValue('');

  // Rename and re-tier inline.
  await row(page, 'Beta').getByTestId('edit-tenant-button').click();
  const edit = page.getByTestId('edit-tenant');
  await edit.locator('#field-edit-tenant-name-input').fill('Beta Industries');
  await edit.locator('#field-edit-tenant-tier-input').selectOption('basic');
  await edit.getByTestId('edit-tenant-submit').click();
  await expect(row(page, 'Beta Industries')).toContainText('Basic');
  await expect(switcher(page).locator('select')).toContainText('Beta Industries');
  await screenshots(page, `${SHOTS}/tenants`);

  // Deactivate: listed as inactive, here and in the header; activate again.
  await row(page, 'Beta Industries').getByTestId('toggle-tenant').click();
  await expect(row(page, 'Beta Industries')).toHaveAttribute('data-active', 'false');
  await expect(page.getByTestId('tenants-notice')).toContainText('Beta Industries is now inactive');
  await expect(switcher(page).locator('select')).toContainText('Beta Industries (inactive)');
  await screenshots(page, `${SHOTS}/tenants-inactive`);
  await row(page, 'Beta Industries').getByTestId('toggle-tenant').click();
  await expect(row(page, 'Beta Industries')).toHaveAttribute('data-active', 'true');

  // The API agrees with the screen.
  const res = await fetch(`${serve.url}/api/v1/call/tenants.list`, { method: 'POST', headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' }, body: '{}' });
  const body = (await res.json()) as { result: { tenants: { name: string; tier: string; active: boolean }[] } };
  expect(body.result.tenants.map((t) => [t.name, t.tier, t.active])).toEqual([
    ['Acme', 'enterprise', true],
    ['Beta Industries', 'basic', true],
  ]);
});
