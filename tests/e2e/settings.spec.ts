import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expect, test } from '@playwright/test';

import { addUser } from '../../main/server/users-file';
import { createTestDatabase, type TestDatabase } from '../integration/support/database';
import { requireEnv } from '../integration/support/env';
import { screenshotDir, screenshots } from './support/screenshots';
import { startServe, type ServeProcess } from './support/serve';

/**
 * Settings → Connection profiles against a real `sluice serve`: the server's profile (its
 * environment) shown read-only with URLs and no credential, and test-connection per service with
 * real Postgres, RabbitMQ and Redis, for an admin and for a viewer.
 */
const SHOTS = screenshotDir();
let db: TestDatabase;
let serve: ServeProcess;
let viewerToken: string;

test.beforeAll(async () => {
  db = await createTestDatabase('e2e_settings');
  const usersFile = join(mkdtempSync(join(tmpdir(), 'sluice-e2e-users-')), 'users.json');
  viewerToken = addUser(usersFile, 'vic', 'viewer').token;
  serve = await startServe({ DATABASE_URL: db.url, RABBITMQ_URL: requireEnv('RABBITMQ_URL'), RABBITMQ_MANAGEMENT_URL: requireEnv('RABBITMQ_MANAGEMENT_URL'), REDIS_URL: requireEnv('REDIS_URL'), SLUICE_USERS_FILE: usersFile });
});

test.afterAll(async () => {
  await serve?.stop();
  await db?.drop();
});

test("the server's profile: read-only, URLs without passwords, and every service tested", async ({ page }) => {
  await page.goto(serve.loginUrl);
  await page.getByTestId('nav-settings').click();
  const profile = page.getByTestId('profile-environment');
  await expect(profile).toHaveAttribute('data-active', 'true');
  await expect(profile).toHaveAttribute('data-kind', 'environment');
  await expect(page.getByTestId('credential-protection')).toHaveAttribute('data-protection', 'not_stored');
  await expect(page.getByTestId('profiles')).toContainText('Change it there and restart the server');
  await expect(page.getByTestId('edit-environment')).toHaveCount(0);
  await expect(page.getByTestId('new-remote-profile')).toHaveCount(0);
  await expect(page.getByTestId('first-run-wizard')).toHaveCount(0);
  await expect(page.getByTestId('profile-environment-postgres')).toContainText(new URL(db.url).host);

  await page.getByTestId('test-environment').click();
  await expect(page.getByTestId('service-check-postgres')).toHaveAttribute('data-state', 'up');
  await expect(page.getByTestId('service-check-rabbitmq')).toHaveAttribute('data-state', 'up');
  await expect(page.getByTestId('service-check-rabbitmqManagement')).toHaveAttribute('data-state', 'up');
  await expect(page.getByTestId('service-check-redis')).toHaveAttribute('data-state', 'up');
  await expect(page.getByTestId('service-check-qdrant')).toHaveAttribute('data-state', 'not_configured');
  await screenshots(page, `${SHOTS}/settings-profiles`);

  // No credential of the server reached the page.
  const html = await page.content();
  for (const url of [db.url, requireEnv('RABBITMQ_URL'), requireEnv('REDIS_URL')]) {
    const password = decodeURIComponent(new URL(url).password);
    if (password.length >= 4) expect(html).not.toContain(password);
  }
});

test('a viewer sees the same profile and can test it, and the engine refuses their writes', async ({ page }) => {
  await page.goto(`${serve.url}/auth?token=${encodeURIComponent(viewerToken)}`);
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('test-environment').click();
  await expect(page.getByTestId('service-check-postgres')).toHaveAttribute('data-state', 'up');
  const refused = await page.evaluate(async () => {
    const res = await fetch('/api/v1/call/tenants.create', { method: 'POST', headers: { 'content-type': 'application/json', 'x-sluice-client': '1' }, body: JSON.stringify({ name: 'From a viewer' }) });
    return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
  });
  expect(refused.status).toBe(403);
  expect(refused.body.error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('vic is a viewer') });
  const session = await page.evaluate(async () => (await (await fetch('/api/v1/call/session.info', { method: 'POST', headers: { 'content-type': 'application/json', 'x-sluice-client': '1' }, body: '{}' })).json()) as { result: { role: string; principal: string } });
  expect(session.result).toMatchObject({ role: 'viewer', principal: 'vic' });
});
