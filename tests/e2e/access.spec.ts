import { expect, test } from '@playwright/test';

import { startServe, type ServeProcess } from './support/serve';

let serve: ServeProcess;
test.beforeAll(async () => {
  serve = await startServe();
});
test.afterAll(async () => {
  await serve.stop();
});

test('an API call without the token is refused', async ({ request }) => {
  const res = await request.post(`${serve.url}/api/v1/call/tenants.list`, { data: {}, headers: { 'x-sluice-client': '1' } });
  expect(res.status()).toBe(401);
  const body = (await res.json()) as { ok: boolean; error: { code: string; message: string } };
  expect(body.ok).toBe(false);
  expect(body.error.code).toBe('unauthorized');
  const withToken = await request.post(`${serve.url}/api/v1/call/tenants.list`, { data: {}, headers: { authorization: `Bearer ${serve.token}` } });
  expect(withToken.status()).toBe(200);
});

test('the console without its access link says how to get in', async ({ page }) => {
  await page.goto(serve.url);
  await expect(page.getByText(/URL printed by `?sluice serve`?/)).toBeVisible();
});

test('every screen is reachable from the navigation and says what it will hold', async ({ page }) => {
  await page.goto(serve.loginUrl);
  for (const screen of ['jobs', 'runs', 'integrations', 'mappings', 'raw', 'queues', 'workers', 'vectors', 'settings']) {
    await page.getByTestId(`nav-${screen}`).click();
    const body = page.getByTestId(`${screen}-page`);
    await expect(body).toBeVisible();
    // Each placeholder explains in a sentence what the screen will hold.
    expect((await body.innerText()).length).toBeGreaterThan(60);
  }
});

test('the theme toggle switches light and dark and is remembered', async ({ page }) => {
  await page.goto(serve.loginUrl);
  const html = page.locator('html');
  const before = await html.getAttribute('data-theme');
  expect(['light', 'dark']).toContain(before);
  await page.getByTestId('theme-toggle').click();
  const after = before === 'light' ? 'dark' : 'light';
  await expect(html).toHaveAttribute('data-theme', after);
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', after);
});
