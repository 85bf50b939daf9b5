import { expect, test, type Page } from '@playwright/test';

import { screenshotDir, screenshots } from './support/screenshots';
import { startOperateStack, type OperateStack } from './support/operate';

/**
 * The jobs dashboard against a real `sluice serve` running the pipeline's worker threads and the
 * Jira simulator (slowed down so a run takes long enough to watch): a run started from a card
 * progresses live to success (the counts move with no reload), and a run paused from its card stops,
 * then resumes from its cursor and succeeds.
 */
let stack: OperateStack;
const SHOTS = screenshotDir();

const card = (page: Page, name: string) => page.locator(`[data-testid^="job-card-"][data-name="${name}"]`);

/** The card's counts line of the issues step ("123 extracted · ..."), as a number of extracted records. */
const extractedOn = async (page: Page, name: string): Promise<number> => {
  const texts = await card(page, name).getByTestId('step-counts').allTextContents();
  return texts.reduce((sum, t) => sum + Number((/^([\d,.\s]+) extracted/.exec(t)?.[1] ?? '0').replace(/[^\d]/g, '')), 0);
};

test.beforeAll(async () => {
  // 60 issues at 10 per page, each response 120 ms late: a run takes several seconds.
  stack = await startOperateStack('jobs', { faults: { latencyMs: 120 } });
  const jiraId = await stack.jiraIntegration('Team Jira', { pageSize: 10 });
  await stack.api('jobs.create', { integrationId: jiraId, name: 'Nightly Jira', runKind: 'incremental', schedule: { type: 'interval', everyMinutes: 720 } });
  await stack.api('jobs.create', { integrationId: jiraId, name: 'Manual full', runKind: 'full_refresh', schedule: null });
});

test.afterAll(async () => {
  await stack?.stop();
});

test('a run started from its card progresses live to success', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(stack.serve.loginUrl);
  await page.getByTestId('tenant-switcher').locator('select').selectOption({ label: 'Ops jobs' });
  await page.getByTestId('nav-jobs').click();
  const nightly = card(page, 'Nightly Jira');
  await expect(nightly).toBeVisible();
  await expect(nightly.getByTestId('run-state')).toHaveText('Never run');
  await expect(nightly.getByTestId('next-run')).toContainText(/in 11h|in 12h/);
  await expect(nightly.getByTestId('job-step')).toHaveCount(6);

  await nightly.getByTestId('run-now').click();
  await expect(nightly.getByTestId('job-message')).toContainText(/Run \d+ of job "Nightly Jira" started/);
  await expect(nightly).toHaveAttribute('data-state', 'running');
  // Live: the counts grow while the run is running, with no reload and no polling of the jobs list.
  await expect.poll(() => extractedOn(page, 'Nightly Jira'), { timeout: 30_000 }).toBeGreaterThan(0);
  const early = await extractedOn(page, 'Nightly Jira');
  await expect(nightly.locator('[data-testid="stage-extract"][data-status="running"]').first()).toBeVisible();
  await shoot(page, 'jobs-running');
  await expect.poll(() => extractedOn(page, 'Nightly Jira'), { timeout: 30_000 }).toBeGreaterThan(early);

  await expect(nightly).toHaveAttribute('data-state', 'succeeded', { timeout: 90_000 });
  await expect(nightly.getByTestId('run-state')).toContainText('Last run');
  await expect(nightly.getByTestId('last-result')).toContainText(/succeeded · [\d,]+ loaded/);
  // Every step of a succeeded run shows E, T and L done.
  const circles = nightly.locator('[data-testid="stage-load"]');
  await expect(circles).toHaveCount(6);
  for (const c of await circles.all()) await expect(c).toHaveAttribute('data-status', 'done');
  await shoot(page, 'jobs-succeeded');

  // The run's detail: timeline, counters, throughput chart and its log.
  await nightly.getByTestId('open-run').click();
  const detail = page.getByTestId('run-detail');
  await expect(detail).toHaveAttribute('data-state', 'succeeded');
  await expect(detail.getByTestId('timeline-step')).toHaveCount(6);
  await expect(detail.getByTestId('throughput-chart')).toBeVisible();
  await expect(detail.getByTestId('counter-failed')).toContainText('0');
  await expect(detail.getByTestId('log-line').filter({ hasText: 'Ended succeeded' })).toHaveCount(1);
  await shoot(page, 'run-detail');
});

test('pausing from a card stops the run; resuming continues it to success', async ({ page }) => {
  test.setTimeout(150_000);
  // Slower still, so the pause lands while pages are left to fetch.
  stack.jira.control.mergeFaults({ latencyMs: 400 });
  await page.goto(stack.serve.loginUrl);
  await page.getByTestId('nav-jobs').click();
  const manual = card(page, 'Manual full');
  // What a whole uninterrupted run of this world loads (the first test's run), to compare with.
  const { jobs } = await stack.api<{ jobs: { name: string; lastRun: { totals: { loaded: number } } | null }[] }>('jobs.list', {});
  const whole = jobs.find((j) => j.name === 'Nightly Jira')!.lastRun!.totals.loaded;
  expect(whole).toBeGreaterThan(0);
  await expect(manual.getByTestId('next-run')).toHaveText('manual only');
  await manual.getByTestId('run-now').click();
  await expect(manual).toHaveAttribute('data-state', 'running');
  await expect.poll(() => extractedOn(page, 'Manual full'), { timeout: 30_000 }).toBeGreaterThan(0);

  await manual.getByTestId('pause').click();
  await expect(manual.getByTestId('job-message')).toContainText(/Run \d+ paused/);
  await expect(manual).toHaveAttribute('data-state', 'paused');
  await expect(manual.getByTestId('resume')).toBeEnabled();
  await expect(manual.getByTestId('pause')).toBeDisabled();
  await expect(manual.getByTestId('run-now')).toBeDisabled();
  // Paused: once in-flight pages drained, nothing more is fetched.
  await page.waitForTimeout(1500);
  const held = await extractedOn(page, 'Manual full');
  await page.waitForTimeout(2500);
  expect(await extractedOn(page, 'Manual full')).toBe(held);
  // Some issue pages are still to fetch: the pause really held work back.
  expect(held).toBeLessThan(whole);
  await shoot(page, 'jobs-paused');

  stack.jira.control.mergeFaults({ latencyMs: 60 });
  await manual.getByTestId('resume').click();
  await expect(manual.getByTestId('job-message')).toContainText(/resum|running/i);
  await expect(manual).toHaveAttribute('data-state', /running|succeeded/);
  await expect(manual).toHaveAttribute('data-state', 'succeeded', { timeout: 120_000 });
  // Resumed from the cursors: every record once, as many as the first (uninterrupted) run loaded.
  expect(await extractedOn(page, 'Manual full')).toBe(whole);
  await expect(manual.getByTestId('last-result')).toContainText(`succeeded · ${whole.toLocaleString('en-US')} loaded`);
});

const shoot = (page: Page, name: string) => screenshots(page, `${SHOTS}/${name}`);
