import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import pg from 'pg';

import { startPostgres, type StartedPostgres } from '../../main/stack/postgres';
import { apiOf, createSyntheticIntegration, selectTenantScript } from './raw-support';
import { screenshotDir, screenshots } from './support/screenshots';
import { startServe, type ServeProcess } from './support/serve';

/**
 * The inspector with the database stopped: a private Postgres (so the spec can stop it) behind
 * `sluice serve`; the operator opens two units while it is up (the console caches what it opens),
 * then Postgres is stopped and the inspector keeps working from this machine's local SQLite raw
 * cache: clearly marked offline, read-only, the cached units listed, searched and opened, the preview
 * running without mappings, and what needs Postgres disabled with the reason.
 */
const SHOTS = screenshotDir();

let dir: string;
let postgres: StartedPostgres | null = null;
let serve: ServeProcess;
let home: string;
let tenantId: number;
const units: number[] = [];

test.beforeAll(async () => {
  test.setTimeout(180_000);
  dir = mkdtempSync(join(process.env['SLUICE_TEST_WORK'] ?? tmpdir(), 'raw-offline-'));
  home = join(dir, 'home');
  postgres = await startPostgres({ dir: join(dir, 'pg') });
  serve = await startServe({ DATABASE_URL: postgres.url, SLUICE_HOME: home, SLUICE_WORKERS: 'off' });
  const api = apiOf(serve);
  tenantId = (await api<{ id: number }>('tenants.create', { name: 'Offline Co' })).id;
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  try {
    const integrationId = await createSyntheticIntegration(admin, tenantId, { pages: 3, pageSize: 2, suffix: '-mapped' });
    const run = await admin.query<{ id: string }>("INSERT INTO runs (tenant_id, integration_id, kind, trigger, state, finished_at) VALUES ($1, $2, 'full_refresh', 'manual', 'partial', now()) RETURNING id", [tenantId, integrationId]);
    for (const page of [0, 1, 2]) {
      const payload = { page, poison: false, records: [0, 1].map((i) => ({ id: page * 2 + i, value: `item-${page * 2 + i}` })) };
      const res = await admin.query<{ id: string }>(
        `INSERT INTO raw_extraction_data (tenant_id, integration_id, run_id, step, stream, request_url, payload, payload_bytes, record_count, status, error)
         VALUES ($1, $2, $3, 'items', 'items', $4, $5, 70, 2, $6, $7) RETURNING id`,
        [tenantId, integrationId, run.rows[0]!.id, `synthetic://items?page=${page}`, payload, page === 1 ? 'failed' : 'loaded', page === 1 ? { message: 'Synthetic page 1 failed on purpose', stage: 'transform' } : null],
      );
      units.push(Number(res.rows[0]!.id));
    }
  } finally {
    await admin.end();
  }
});

test.afterAll(async () => {
  await serve?.stop();
  await postgres?.stop();
  if (postgres?.dataDir) rmSync(postgres.dataDir, { recursive: true, force: true });
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const cachedIds = (): number[] => {
  try {
    const db = new Database(join(home, 'cache', 'raw-cache.sqlite'), { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT raw_id FROM raw_units ORDER BY raw_id').pluck().all() as number[]).map(Number);
    } finally {
      db.close();
    }
  } catch {
    return [];
  }
};

test('with the database stopped the inspector reads the local cache, marked offline', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(serve.loginUrl);
  await page.evaluate(selectTenantScript(tenantId));
  await page.goto(serve.url);
  await page.getByTestId('nav-raw').click();
  await expect(page.getByTestId('raw-page')).toHaveAttribute('data-source', 'postgres');
  await expect(page.getByTestId('raw-count')).toHaveText('3 unit(s)');
  await expect(page.getByTestId('raw-offline-banner')).toHaveCount(0);

  // Open two units while Postgres is up: the console keeps what it opens in the local cache.
  for (const id of [units[0]!, units[1]!]) {
    await page.locator(`[data-testid="raw-row"][data-id="${id}"]`).click();
    await expect(page.getByTestId('unit-detail')).toHaveAttribute('data-id', String(id));
  }
  await expect.poll(cachedIds, { timeout: 30_000 }).toEqual([units[0], units[1]]);

  // The database goes away.
  await postgres!.stop();
  await page.getByTestId('nav-jobs').click();
  await page.getByTestId('nav-raw').click();
  const banner = page.getByTestId('raw-offline-banner');
  await expect(banner).toContainText('Offline: showing this machine’s local raw cache, read-only.');
  await expect(banner).toContainText('Postgres is unreachable');
  await expect(banner).toContainText('2 cached unit(s)');
  await expect(page.getByTestId('raw-page')).toHaveAttribute('data-source', 'cache');
  await expect(page.getByTestId('raw-row')).toHaveCount(2);
  await expect(page.getByTestId('raw-count')).toHaveText('2 unit(s)');

  // What needs Postgres is off, with the reason.
  await expect(page.getByTestId('filter-error')).toBeDisabled();
  await expect(page.getByTestId('filter-offline-note')).toContainText('The local cache keeps no error details');
  await expect(page.getByTestId('reprocess-selected')).toBeDisabled();

  // Search (FTS5 words) and open a cached unit.
  await page.getByTestId('filter-text').fill('item-3');
  await expect(page.getByTestId('raw-row')).toHaveCount(1);
  await page.getByTestId('raw-row').first().click();
  const detail = page.getByTestId('unit-detail');
  await expect(detail).toHaveAttribute('data-id', String(units[1]));
  await expect(detail.getByTestId('unit-status')).toHaveText('failed');
  await expect(page.getByTestId('json-viewer').locator('[data-path="$.records"]').first()).toBeVisible();
  await expect(page.getByTestId('tab-lineage')).toBeDisabled();
  await expect(page.getByTestId('tab-lineage')).toHaveAttribute('title', 'Unified rows live in Postgres; lineage needs it.');
  await expect(page.getByTestId('tab-versions')).toBeDisabled();
  await expect(page.getByTestId('reprocess-unit')).toBeDisabled();
  await screenshots(page, `${SHOTS}/raw-offline`);

  // The preview still runs: the real transform, without mappings (the suffix is a mapping).
  await page.getByTestId('tab-preview').click();
  await expect(page.getByTestId('preview-summary')).toHaveText('Would produce 2 synthetic_items.');
  await expect(page.getByTestId('preview-mappings')).toContainText('no mappings');
  await page.getByTestId('preview-rows').getByTestId('json-expand-all').click();
  await expect(page.getByTestId('preview-rows').locator('[data-path="$.synthetic_items[0].value"]')).toContainText('"item-2"');
});
