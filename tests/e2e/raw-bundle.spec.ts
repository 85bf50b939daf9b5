import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expect, test, type Page } from '@playwright/test';
import type pg from 'pg';

import { createSyntheticIntegration, selectTenantScript, startRawConsole, waitForRun, type apiOf, type RawConsole } from './raw-support';
import { screenshotDir, screenshots } from './support/screenshots';
import { startServe, type ServeProcess } from './support/serve';

/**
 * Raw bundles (issue 11) in Chromium against real `sluice serve` processes: a run's units are
 * exported as a `.sluice` bundle from the inspector, uploaded again with "Open bundle…" and browsed
 * in bundle mode (banner, list, payload, search, transform preview; lineage says why not); a bundle
 * with broken lines opens with them listed and a file that is no bundle is refused; and
 * `sluice open <file> --headless` serves the console with the bundle already shown.
 */

let raw: RawConsole;
let admin: pg.Client;
let serve: ServeProcess;
let api: ReturnType<typeof apiOf>;
let tenantId: number;
let runId: number;
let bundlePath: string;
const work = mkdtempSync(join(process.env['SLUICE_TEST_WORK'] ?? tmpdir(), 'bundle-e2e-'));

test.beforeAll(async () => {
  test.setTimeout(180_000);
  raw = await startRawConsole('bundle');
  ({ serve, api, admin, tenantId } = raw);
  const integrationId = await createSyntheticIntegration(admin, tenantId, { pages: 4, pageSize: 3, suffix: '-mapped' });
  const job = await api<{ id: number }>('jobs.create', { integrationId, name: 'sync', runKind: 'full_refresh', schedule: null, active: true }, tenantId);
  runId = (await api<{ run: { id: number } }>('jobs.runNow', { id: job.id }, tenantId)).run.id;
  expect(await waitForRun(api, tenantId, runId)).toBe('succeeded');
  // The run's bundle through the API, for the specs that start from a file (the first one exports through the console).
  let content = '';
  let cursor: string | null = null;
  do {
    const chunk: { content: string; nextCursor: string | null } = await api('raw.export', { runId, ...(cursor ? { cursor } : {}) }, tenantId);
    content += chunk.content;
    cursor = chunk.nextCursor;
  } while (cursor);
  bundlePath = join(work, 'run.sluice');
  writeFileSync(bundlePath, content);
});

test.afterAll(async () => {
  await raw?.stop();
});

const signIn = async (page: Page, server: ServeProcess): Promise<void> => {
  await page.goto(server.loginUrl);
  await page.evaluate(selectTenantScript(tenantId));
  await page.goto(server.url);
};

const openBundle = async (page: Page, files: string | { name: string; mimeType: string; buffer: Buffer }): Promise<void> => {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('bundle-open').click()]);
  await chooser.setFiles(files);
};

test('exports a run as a bundle, opens it again and browses it in bundle mode', async ({ page }) => {
  await signIn(page, serve);
  await page.getByTestId('nav-raw').click();
  await page.getByTestId('filter-run').selectOption(String(runId));
  await expect(page.getByTestId('raw-count')).toHaveText('4 unit(s)');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('raw-export').click()]);
  const bundleName = download.suggestedFilename();
  expect(bundleName).toMatch(/\.sluice$/);
  const downloaded = join(work, bundleName);
  await download.saveAs(downloaded);

  await openBundle(page, downloaded);
  await expect(page).toHaveURL(/#\/raw\/bundle\/[0-9a-f-]{36}$/);
  const bundlePage = page.getByTestId('bundle-page');
  await expect(bundlePage).toHaveAttribute('data-source', 'bundle');
  await expect(page.getByTestId('bundle-title')).toContainText(`Bundle: ${bundleName} · 4 unit(s) · exported `);
  await expect(page.getByTestId('bundle-banner')).toContainText('lineage-free');
  await expect(page.getByTestId('raw-row')).toHaveCount(4);
  await expect(page.getByTestId('raw-row-check')).toHaveCount(0);

  // Search the payloads: one unit holds item 7.
  await page.getByTestId('filter-text').fill('"item-7"');
  await expect(page.getByTestId('raw-count')).toHaveText('1 of 4 unit(s)');
  await page.getByTestId('raw-row').first().click();
  const detail = page.getByTestId('unit-detail');
  await expect(detail).toHaveAttribute('data-mode', 'bundle');
  await expect(page.getByTestId('json-viewer').locator('[data-path="$.records"]').first()).toBeVisible();
  await page.getByTestId('json-search').fill('item-7');
  await page.getByTestId('json-search-go').click();
  await expect(page.getByTestId('json-matches')).toContainText('1 of 1');
  await screenshots(page, `${screenshotDir()}/raw-bundle`);
  await expect(page.getByTestId('tab-lineage')).toBeDisabled();
  await expect(page.getByTestId('tab-lineage')).toHaveAttribute('title', /lineage-free/);

  // The preview: the real transform with this tenant's mappings (the suffix), nothing written.
  await page.getByTestId('tab-preview').click();
  await expect(page.getByTestId('preview-panel')).toHaveAttribute('data-state', 'ok');
  await expect(page.getByTestId('preview-mappings')).toContainText('current mappings of the integration');
  await expect(page.getByTestId('preview-summary')).toHaveText('Would produce 3 synthetic_items.');
  await page.getByTestId('preview-rows').getByTestId('json-expand-all').click();
  await expect(page.getByTestId('preview-rows')).toContainText('item-7-mapped');

  // Closing it goes back to the database's units.
  await page.getByTestId('bundle-close').click();
  await expect(page.getByTestId('raw-page')).toHaveAttribute('data-source', 'postgres');
});

test('a bundle with broken lines opens with them listed; a file that is no bundle is refused', async ({ page }) => {
  await signIn(page, serve);
  await page.getByTestId('nav-raw').click();
  const [header, first, ...rest] = readFileSync(bundlePath, 'utf8').trim().split('\n');
  const broken = [header, first, '{"rawId": "not a number"}', 'not json at all', ...rest].join('\n');
  await openBundle(page, { name: 'broken.sluice', mimeType: 'application/octet-stream', buffer: Buffer.from(broken) });
  await expect(page.getByTestId('bundle-title')).toContainText('Bundle: broken.sluice · 4 unit(s)');
  const problems = page.getByTestId('bundle-problems');
  await expect(problems).toContainText('2 line(s) skipped');
  await problems.locator('summary').click();
  await expect(problems).toContainText('line 3: not a raw unit');
  await expect(problems).toContainText('line 4: not JSON');

  await openBundle(page, { name: 'notes.sluice', mimeType: 'application/octet-stream', buffer: Buffer.from('dear diary\n') });
  const toast = page.getByTestId('toast').last();
  await expect(toast).toHaveAttribute('data-tone', 'error');
  await expect(toast).toContainText('notes.sluice is not a Sluice bundle');
  await expect(page).toHaveURL(/#\/raw\/bundle\//);
  await expect(page.getByTestId('bundle-title')).toContainText('broken.sluice');
});

test('sluice open <file> serves the console with the bundle shown', async ({ page }) => {
  const copy = join(work, 'opened from the CLI.sluice');
  writeFileSync(copy, readFileSync(bundlePath));
  const opened = await startServe({ DATABASE_URL: raw.db.url, RABBITMQ_URL: raw.vhost.amqpUrl, RABBITMQ_MANAGEMENT_URL: raw.vhost.managementUrl, SLUICE_HEADLESS: '1' }, [], ['open', copy, '--headless']);
  try {
    // The first page load claims the bundle the CLI opened and jumps to it.
    await page.goto(opened.loginUrl);
    await expect(page).toHaveURL(/#\/raw\/bundle\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId('bundle-title')).toContainText('Bundle: opened from the CLI.sluice · 4 unit(s) · exported ');
  } finally {
    // Leave the console first: its event socket would hold the server's shutdown open.
    await page.goto('about:blank');
    await opened.stop();
  }
});
