/**
 * Benchmark of the raw data inspector in Chromium against a real `sluice serve` (not a test):
 * - opening a 10 MB payload: from the click on its row to the payload viewer's first lines on screen
 *   (engine read, HTTP, JSON parse, lines, render), timed in the page, 5 times; target under 1 s;
 * - scrolling a 100,000-row list: frame times from requestAnimationFrame deltas while the list is
 *   scrolled top to bottom at ~100 rows a frame, once while its pages load and once loaded;
 *   target: no frame over 50 ms.
 *
 * Run (after `npm run build`, with the dev stack's DATABASE_URL):
 *   npx tsx scripts/bench-inspector.ts [--rows 100000] [--mb 10]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium, type Page } from '@playwright/test';
import pg from 'pg';

import { selectTenantScript } from '../tests/e2e/raw-support';
import { startServe } from '../tests/e2e/support/serve';
import { createDatabase } from './bench-support';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROWS = arg('rows', 100_000);
const MB = arg('mb', 10);

const adminUrl = process.env['DATABASE_URL'];
if (!adminUrl) {
  console.error('bench-inspector: set DATABASE_URL (e.g. `. /tmp/devenv.sh` or `sluice stack up`).');
  process.exit(1);
}

/** A Jira-like issues page of about `mb` MB: the inspector's worst realistic case. */
const bigPayload = (mb: number): { search: { issues: unknown[] }; changelogs: Record<string, unknown> } => {
  const issues: unknown[] = [];
  let size = 0;
  for (let i = 0; size < mb * 1024 * 1024; i++) {
    const issue = {
      id: String(10_000 + i),
      key: `ENG-${i}`,
      fields: {
        summary: `Investigate flaky export number ${i} in module ${i % 17}`,
        description: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Steps to reproduce: '.repeat(20) }] }] },
        status: { name: ['To Do', 'In Progress', 'Done'][i % 3], statusCategory: { key: ['new', 'indeterminate', 'done'][i % 3] } },
        assignee: { displayName: `User ${i % 50}`, accountId: `acc-${(i * 7919) % 100_003}` },
        labels: [`label-${i % 9}`, `team-${i % 5}`],
        updated: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
      },
      changelog: { histories: Array.from({ length: 3 }, (_, h) => ({ id: `${i}-${h}`, items: [{ field: 'status', fromString: 'To Do', toString: 'Done' }] })) },
    };
    size += JSON.stringify(issue).length;
    issues.push(issue);
  }
  return { search: { issues }, changelogs: {} };
};

const seed = async (url: string): Promise<{ tenantId: number; bigId: number; bigBytes: number }> => {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const tenantId = (await db.query<{ id: number }>("INSERT INTO tenants (name) VALUES ('Bench') RETURNING id")).rows[0]!.id;
    const integrationId = (await db.query<{ id: string }>("INSERT INTO integrations (tenant_id, provider, name, base_url, settings) VALUES ($1, 'jira', 'Bench Jira', 'https://bench.invalid', '{}') RETURNING id", [tenantId])).rows[0]!.id;
    const runId = (await db.query<{ id: string }>("INSERT INTO runs (tenant_id, integration_id, kind, trigger, state, finished_at) VALUES ($1, $2, 'full_refresh', 'manual', 'succeeded', now()) RETURNING id", [tenantId, integrationId])).rows[0]!.id;
    await db.query(
      `INSERT INTO raw_extraction_data (tenant_id, integration_id, run_id, step, stream, parent_key, request_url, payload, payload_bytes, record_count, status, created_at)
       SELECT $1, $2, $3, 'issues', 'issues', 'ENG', 'https://bench.invalid/rest/api/3/search/jql?page=' || g,
              jsonb_build_object('search', jsonb_build_object('issues', jsonb_build_array(jsonb_build_object('id', g::text, 'key', 'ENG-' || g))), 'changelogs', '{}'::jsonb),
              80, 1, 'loaded', now() - (g || ' seconds')::interval
         FROM generate_series(1, $4::int) g`,
      [tenantId, integrationId, runId, ROWS - 1],
    );
    const text = JSON.stringify(bigPayload(MB));
    const big = await db.query<{ id: string }>(
      `INSERT INTO raw_extraction_data (tenant_id, integration_id, run_id, step, stream, parent_key, request_url, payload, payload_bytes, record_count, status)
       VALUES ($1, $2, $3, 'issues', 'issues', 'ENG', 'https://bench.invalid/rest/api/3/search/jql?big', $4::jsonb, $5, 1000, 'loaded') RETURNING id`,
      [tenantId, integrationId, runId, text, Buffer.byteLength(text)],
    );
    await db.query('ANALYZE raw_extraction_data');
    return { tenantId, bigId: Number(big.rows[0]!.id), bigBytes: Buffer.byteLength(text) };
  } finally {
    await db.end();
  }
};

const waitUntil = async (check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> => {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('bench-inspector: timed out waiting for the console');
    await new Promise((r) => setTimeout(r, 50));
  }
};

const summary = (deltas: number[]): string => {
  const sorted = [...deltas].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return `${deltas.length} frames, median ${at(0.5).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms, max ${(sorted.at(-1) ?? 0).toFixed(1)} ms, over 50 ms: ${deltas.filter((d) => d > 50).length}`;
};

interface ScrollPass {
  readonly deltas: number[];
  /** Chromium's long animation frames (over 50 ms) of the pass, with what ran in them. */
  readonly long: { duration: number; scripts: { invoker: string; duration: number; forcedLayout: number }[] }[];
}

/** Where the long frames of a pass went: script time per invoker, and how much of it was forced style and layout. */
const attribution = (pass: ScrollPass): string => {
  if (pass.long.length === 0) return 'no long animation frames';
  const by = new Map<string, { ms: number; forced: number }>();
  for (const frame of pass.long) {
    for (const s of frame.scripts) {
      const e = by.get(s.invoker) ?? { ms: 0, forced: 0 };
      by.set(s.invoker, { ms: e.ms + s.duration, forced: e.forced + s.forcedLayout });
    }
  }
  const total = pass.long.reduce((n, f) => n + f.duration, 0);
  const scripts = [...by].sort((a, b) => b[1].ms - a[1].ms).slice(0, 4).map(([k, v]) => `${k} ${Math.round(v.ms)} ms (forced layout ${Math.round(v.forced)})`);
  return `${pass.long.length} long animation frames, ${Math.round(total)} ms in all; scripts in them: ${scripts.join(', ') || 'none'}`;
};

/**
 * Scrolls the list from top to bottom, a step per animation frame, and returns every frame's delta
 * (the first, which holds the jump to `fromPx`, is left out) and the long animation frames, so a
 * slow pass says what made it slow. The observer only reads Chromium's own frame timing.
 */
const scrollFrames = (page: Page, stepPx: number, maxFrames = 1_000_000, fromPx = 0): Promise<ScrollPass> =>
  // A string, not a function: tsx would wrap a function's inner names in a helper the page does not have.
  page.evaluate<ScrollPass>(`(async () => {
    const list = document.querySelector('[data-testid="raw-list"]');
    list.scrollTop = ${fromPx};
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    // The callback only keeps entries (it runs inside the frames measured); they are read at the end.
    const entries = [];
    const keep = (list) => {
      for (const e of list) if (e.duration > 50) entries.push(e);
    };
    const observer = new PerformanceObserver((list) => keep(list.getEntries()));
    observer.observe({ type: 'long-animation-frame' });
    const deltas = [];
    let last = performance.now();
    await new Promise((resolve) => {
      const frame = (now) => {
        deltas.push(now - last);
        last = now;
        if (list.scrollTop + list.clientHeight >= list.scrollHeight - 1 || deltas.length > ${maxFrames}) return resolve();
        list.scrollTop += ${stepPx};
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    await new Promise((r) => requestAnimationFrame(r));
    keep(observer.takeRecords());
    observer.disconnect();
    const long = entries.map((e) => ({ duration: e.duration, scripts: e.scripts.map((s) => ({ invoker: s.invoker, duration: s.duration, forcedLayout: s.forcedStyleAndLayoutDuration })) }));
    return { deltas: deltas.slice(1), long };
  })()`);

/**
 * Milliseconds from the click on unit `id`'s row to the animation frame that draws its payload's
 * first line, both taken in the page. Timing from Playwright instead (click, then `waitFor` on the
 * line) counted Playwright's own polling, which backs off to 500 ms steps while the page is busy:
 * it added up to half a second to opens that were on screen already.
 */
const watchOpen = async (page: Page, id: number): Promise<() => Promise<number>> => {
  // Wrapped so evaluate returns at once instead of waiting for the promise it stores.
  await page.evaluate(`(() => { window.__benchOpen = new Promise((resolve) => {
    const row = '[data-testid="raw-row"][data-id="${id}"]';
    const line = '[data-testid="unit-detail"][data-id="${id}"] [data-testid="json-line"]';
    let clickedAt = null;
    const stop = new AbortController();
    document.addEventListener('click', (e) => { if (e.target instanceof Element && e.target.closest(row)) clickedAt = e.timeStamp; }, { capture: true, signal: stop.signal });
    const observer = new MutationObserver(() => {
      if (clickedAt === null || !document.querySelector(line)) return;
      observer.disconnect();
      stop.abort();
      requestAnimationFrame((frame) => resolve(frame - clickedAt));
    });
    observer.observe(document.body, { childList: true, subtree: true });
  }); })()`);
  return () => page.evaluate<number>('window.__benchOpen');
};

const main = async (): Promise<void> => {
  const home = mkdtempSync(join(tmpdir(), 'bench-inspector-'));
  const database = await createDatabase(adminUrl, 'inspector');
  const seeded = Date.now();
  const { tenantId, bigId, bigBytes } = await seed(database.url);
  console.log(`seeded ${ROWS.toLocaleString('en')} units (one of ${(bigBytes / 1024 / 1024).toFixed(1)} MB) in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);
  const serve = await startServe({ DATABASE_URL: database.url, SLUICE_HOME: home, SLUICE_WORKERS: 'off' });
  // The engine's share: the raw.get answer over HTTP (headers, then the whole body), without a browser.
  for (let i = 0; i < 3; i++) {
    const started = Date.now();
    const res = await fetch(`${serve.url}/api/v1/call/raw.get`, {
      method: 'POST',
      headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json', 'x-sluice-tenant': String(tenantId) },
      body: JSON.stringify({ id: bigId }),
    });
    const headers = Date.now() - started;
    const body = await res.text();
    console.log(`raw.get over HTTP: first byte ${headers} ms, whole ${(body.length / 1024 / 1024).toFixed(1)} MB answer ${Date.now() - started} ms`);
  }
  const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(serve.loginUrl);
    await page.evaluate(selectTenantScript(tenantId));
    await page.goto(serve.url);
    await page.getByTestId('nav-raw').click();
    await page.locator(`[data-testid="raw-row"][data-id="${bigId}"]`).waitFor();
    console.log(`list: ${await page.getByTestId('raw-count').textContent()}`);

    // 1. Opening the 10 MB payload (another unit in between, so each open reads it again).
    const opens: number[] = [];
    const breakdown: string[] = [];
    for (let i = 0; i < 5; i++) {
      await page.locator('[data-testid="raw-row"]').nth(1).click();
      await page.locator('[data-testid="unit-detail"][data-id]').waitFor();
      const shown = await watchOpen(page, bigId);
      await page.locator(`[data-testid="raw-row"][data-id="${bigId}"]`).click();
      opens.push(Math.round(await shown()));
      breakdown.push((await page.getByTestId('payload-meta').textContent()) ?? '');
    }
    const sorted = [...opens].sort((a, b) => a - b);
    console.log(`open a ${(bigBytes / 1024 / 1024).toFixed(1)} MB payload (click → first lines): ${opens.map((ms) => `${ms} ms`).join(', ')}; median ${sorted[2]} ms, max ${sorted[4]} ms (target < 1000 ms)`);
    console.log(`  the console's own account of the last open: ${breakdown.at(-1)}`);
    const expandStarted = Date.now();
    await page.getByTestId('json-expand-all').click();
    await page.locator('[data-testid="json-viewer"][data-lines]').filter({ hasNot: page.locator('[data-lines="0"]') }).waitFor();
    await waitUntil(async () => Number(await page.getByTestId('json-viewer').getAttribute('data-lines')) > 100_000);
    console.log(`expand all of it: ${Number(await page.getByTestId('json-viewer').getAttribute('data-lines')).toLocaleString('en')} lines in ${Date.now() - expandStarted} ms`);

    // 2. Scrolling 100k rows: once while pages load, once with everything loaded.
    const cold = await scrollFrames(page, 3_000);
    const loaded = Number(await page.getByTestId('raw-list').getAttribute('data-loaded'));
    await waitUntil(async () => Number(await page.getByTestId('raw-list').getAttribute('data-loaded')) >= ROWS, 120_000);
    const warm = await scrollFrames(page, 3_000);
    console.log(`scroll ${ROWS.toLocaleString('en')} rows, ~100 rows a frame, while loading (${loaded.toLocaleString('en')} loaded at the end): ${summary(cold.deltas)}`);
    console.log(`  ${attribution(cold)}`);
    console.log(`scroll ${ROWS.toLocaleString('en')} rows, ~100 rows a frame, all loaded: ${summary(warm.deltas)} (target: none over 50 ms)`);
    console.log(`  ${attribution(warm)}`);
    // A mouse wheel's pace (120 px, 4 rows, a frame) for 10 s from the middle of the list.
    const wheel = await scrollFrames(page, 120, 600, (ROWS / 2) * 30);
    console.log(`scroll at a mouse wheel's pace (4 rows a frame, 600 frames from row ${(ROWS / 2).toLocaleString('en')}): ${summary(wheel.deltas)}`);
    console.log(`  ${attribution(wheel)}`);
    console.log(`load average while it ran: ${loadavg().map((n) => n.toFixed(2)).join(' ')} on ${cpus().length} cores`);
  } finally {
    await browser.close();
    await serve.stop();
    await database.drop();
    rmSync(home, { recursive: true, force: true });
  }
};

await main();
