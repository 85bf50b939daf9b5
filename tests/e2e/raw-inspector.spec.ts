import { readFileSync } from 'node:fs';

import { expect, test, type Page } from '@playwright/test';
import type pg from 'pg';

import { createSyntheticIntegration, selectTenantScript, setSuffix, startRawConsole, waitForRun, type apiOf, type RawConsole } from './raw-support';
import { screenshotDir, screenshots } from './support/screenshots';
import type { ServeProcess } from './support/serve';

/**
 * The raw data inspector against a real `sluice serve` with its embedded worker threads (own database,
 * own RabbitMQ vhost): a re-transform whose mapping is invalid fails its units; the operator finds a
 * failed unit, opens its payload (search, copy path), previews the transform (refused, with the
 * reason), fixes the mapping, previews again (the rows it would load), reprocesses the unit and sees
 * the run's failed count drop; then lineage and the `.sluice` bundle export.
 *
 * The mapping is the synthetic connector's `settings.synthetic.suffix` (what makes a unit fail for a
 * mapping reason: nothing in the Jira transform fails a unit for a mapping, unmapped values are
 * flagged). The integrations API takes only Jira and GitHub settings and the mappings screens are
 * not on main yet, so the spec sets the mapping in Postgres.
 */
const SHOTS = screenshotDir();

let raw: RawConsole;
let admin: pg.Client;
let serve: ServeProcess;
let api: ReturnType<typeof apiOf>;
let tenantId: number;
let integrationId: number;
let failedRun: number;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  raw = await startRawConsole('raw');
  ({ serve, api, admin, tenantId } = raw);
  integrationId = await createSyntheticIntegration(admin, tenantId, { pages: 4, pageSize: 3, suffix: '' });
  const job = await api<{ id: number }>('jobs.create', { integrationId, name: 'sync', runKind: 'full_refresh', schedule: null, active: true }, tenantId);
  const first = await api<{ run: { id: number } }>('jobs.runNow', { id: job.id }, tenantId);
  expect(await waitForRun(api, tenantId, first.run.id)).toBe('succeeded');
  // The mapping goes bad (longer than the 50 characters a suffix may have); a re-transform applies it to history.
  await setSuffix(admin, integrationId, 'x'.repeat(60));
  failedRun = (await api<{ run: { id: number } }>('jobs.retransform', { id: job.id }, tenantId)).run.id;
  expect(await waitForRun(api, tenantId, failedRun)).toBe('partial');
});

test.afterAll(async () => {
  await raw?.stop();
});

const openInspector = async (page: Page): Promise<void> => {
  await page.goto(serve.loginUrl);
  await page.evaluate(selectTenantScript(tenantId));
  await page.goto(serve.url);
  await page.getByTestId('nav-raw').click();
  await expect(page.getByTestId('raw-page')).toHaveAttribute('data-source', 'postgres');
};

test('a failed unit: find it, open its payload, preview, fix the mapping, reprocess, and the failed count drops', async ({ page, context }) => {
  test.setTimeout(120_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: serve.url });
  await openInspector(page);

  // Find: failed units of the run.
  await page.getByTestId('filter-status-failed').check();
  await expect(page.getByTestId('raw-count')).toHaveText('4 unit(s)');
  await page.getByTestId('filter-run').selectOption(String(failedRun));
  await expect(page.getByTestId('run-strip')).toHaveAttribute('data-failed', '4');
  await expect(page.getByTestId('raw-row')).toHaveCount(4);
  await expect(page.getByTestId('raw-row').first()).toHaveAttribute('data-status', 'failed');
  await page.getByTestId('filter-error').fill('suffix');
  await expect(page.getByTestId('raw-count')).toHaveText('4 unit(s)');

  // Open the one whose page holds item 4.
  await page.getByTestId('filter-text').fill('item-4"');
  await expect(page.getByTestId('raw-row')).toHaveCount(1);
  const row = page.getByTestId('raw-row').first();
  const unitId = Number(await row.getAttribute('data-id'));
  await row.click();
  const detail = page.getByTestId('unit-detail');
  await expect(detail.getByTestId('unit-status')).toHaveText('failed');
  await expect(detail.getByTestId('unit-failure')).toContainText('settings.synthetic is invalid');
  await expect(detail.getByTestId('unit-failure')).toContainText('at transform');
  const viewer = page.getByTestId('json-viewer');
  await expect(viewer.locator('[data-path="$.records"]').first()).toBeVisible();

  // Search inside, fold, copy a path.
  await page.getByTestId('json-search').fill('item-4');
  await page.getByTestId('json-search-go').click();
  await expect(page.getByTestId('json-matches')).toContainText('1 of 1');
  const hit = viewer.locator('.json-line.hit');
  await expect(hit).toHaveAttribute('data-path', '$.records[1].value');
  await hit.hover();
  await hit.getByTestId('json-copy').click();
  await expect(page.getByTestId('json-status')).toHaveText('Copied $.records[1].value');
  expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe('$.records[1].value');
  await viewer.locator('[data-path="$.records"][data-role="open"]').getByTestId('json-fold').click();
  await expect(viewer.locator('[data-path="$.records[1].value"]')).toHaveCount(0);
  await screenshots(page, `${SHOTS}/raw-failed-unit`);

  // Preview: refused, with the reason.
  await page.getByTestId('tab-preview').click();
  await expect(page.getByTestId('preview-refused')).toContainText('settings.synthetic is invalid');

  // Fix the mapping, preview again: the rows it would load, nothing written.
  await setSuffix(admin, integrationId, '-fixed');
  await page.getByTestId('preview-run').click();
  await expect(page.getByTestId('preview-summary')).toHaveText('Would produce 3 synthetic_items.');
  await expect(page.getByTestId('preview-mappings')).toContainText('current mappings of the integration');
  await page.getByTestId('preview-rows').getByTestId('json-expand-all').click();
  await expect(page.getByTestId('preview-rows').locator('[data-path="$.synthetic_items[1].value"]')).toContainText('"item-4-fixed"');
  const written = await admin.query<{ value: string }>("SELECT value FROM synthetic_items WHERE integration_id = $1 AND external_id = '4'", [integrationId]);
  expect(written.rows[0]!.value).toBe('item-4');
  await screenshots(page, `${SHOTS}/raw-preview`);

  // Reprocess the selected unit: it moves to a rerun_failed run, and this run's failed count drops.
  await row.getByTestId('raw-row-check').check();
  await page.getByTestId('reprocess-selected').click();
  await expect(page.getByTestId('raw-notice')).toContainText(`reprocesses 1 selected unit(s) of run ${failedRun}`);
  const strip = page.getByTestId('run-strip');
  await expect(strip).toHaveAttribute('data-failed', '3');
  await expect(strip.getByTestId('reprocess-run')).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
  expect((await admin.query<{ value: string }>("SELECT value FROM synthetic_items WHERE integration_id = $1 AND external_id = '4'", [integrationId])).rows[0]!.value).toBe('item-4-fixed');
  await screenshots(page, `${SHOTS}/raw-reprocessed`);

  // The unit, now loaded, and the rows its lineage points at.
  await page.getByTestId('filter-reset').click();
  await page.getByTestId('filter-text').fill('item-4"');
  await page.locator(`[data-testid="raw-row"][data-id="${unitId}"]`).click();
  await expect(page.getByTestId('unit-status')).toHaveText('loaded');
  await page.getByTestId('tab-lineage').click();
  await expect(page.getByTestId('lineage-table')).toHaveAttribute('data-count', '3');
  await expect(page.getByTestId('lineage-row').first()).toContainText('external_id');

  // Row → unit.
  await page.getByTestId('origin-table').selectOption('synthetic_items');
  await page.getByTestId('origin-value').fill('4');
  await page.getByTestId('origin-find').click();
  await expect(page.getByTestId('origin-open')).toContainText(`unit #`);
});

test('exports the filtered units as a .sluice bundle that sluice transform reads', async ({ page }) => {
  await openInspector(page);
  await page.getByTestId('filter-run').selectOption(String(failedRun));
  const { total } = await api<{ total: number }>('raw.list', { runId: failedRun, withTotal: true }, tenantId);
  expect(total).toBeGreaterThan(0);
  await expect(page.getByTestId('raw-count')).toHaveText(`${total} unit(s)`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('raw-export').click()]);
  expect(download.suggestedFilename()).toMatch(/^sluice-raw-tenant-\d+-.*\.sluice$/);
  const [header, ...lines] = readFileSync(await download.path(), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(header).toMatchObject({ format: 'sluice-raw-bundle', version: 1, tenantId, filter: { runId: failedRun }, source: 'postgres' });
  const units = lines as { runId: number; stream: string; payload: { records: unknown[] } }[];
  expect(units).toHaveLength(total);
  expect(units.every((l) => l.runId === failedRun && l.stream === 'items' && l.payload.records.length === 3)).toBe(true);
  await expect(page.getByTestId('raw-notice')).toContainText(`Exported ${total} unit(s)`);
});
