import { expect, test, type Page } from '@playwright/test';

import { screenshotDir, screenshots } from './support/screenshots';
import { startOperateStack, type OperateStack } from './support/operate';

/**
 * The Queues screen against a real `sluice serve` with its worker threads and RabbitMQ's management
 * API: a Jira page the transform refuses (the simulator's poison record) is dead-lettered, the run
 * ends partial and the console raises a toast; the dead letter is listed with its reason, attempts
 * and the raw unit it refers to, and requeueing it (after the confirmation with its count) removes it
 * from the dead-letter queue and hands it back to its stage.
 */
let stack: OperateStack;
const SHOTS = screenshotDir();
const shoot = (page: Page, name: string) => screenshots(page, `${SHOTS}/${name}`);

test.beforeAll(async () => {
  stack = await startOperateStack('queues', { faults: { poison: { page: 1, path: 'search' } } });
  const jiraId = await stack.jiraIntegration('Poisoned Jira', { pageSize: 20 });
  await stack.api('jobs.create', { integrationId: jiraId, name: 'Poisoned sync', schedule: null });
});

test.afterAll(async () => {
  await stack?.stop();
});

test('a dead letter is listed with its reason and unit, and requeueing it empties the dead-letter queue', async ({ page }) => {
  test.setTimeout(150_000);
  await page.goto(stack.serve.loginUrl);
  await page.getByTestId('nav-queues').click();
  // Every stage queue of the private namespace, consumed by the embedded workers.
  const extract = page.getByTestId('queue-stage-extract');
  await expect(extract).toHaveAttribute('data-queue', `${stack.prefix}sluice.v1.extract`);
  await expect(extract.locator('td').nth(4)).toHaveText('1');
  await expect(page.getByTestId('dead-letters-empty')).toBeVisible();

  // A run whose first issue page is poisoned: it ends partial, and the console says so in a toast.
  await page.getByTestId('nav-jobs').click();
  const card = page.locator('[data-testid^="job-card-"][data-name="Poisoned sync"]');
  await card.getByTestId('run-now').click();
  await expect(card).toHaveAttribute('data-state', 'partial', { timeout: 90_000 });
  const toast = page.getByTestId('toast').filter({ hasText: 'Run finished partial: Poisoned sync' });
  await expect(toast).toBeVisible();
  await expect(toast).toContainText('unit(s) failed');
  await shoot(page, 'jobs-partial-toast');
  await toast.getByTestId('toast-open-run').click();
  const group = page.getByTestId('error-group').first();
  await expect(group).toContainText('transform');
  await expect(group.getByTestId('failed-unit-link').first()).toHaveAttribute('href', /#\/raw\?unit=\d+$/);
  const unitHref = await group.getByTestId('failed-unit-link').first().getAttribute('href');
  await shoot(page, 'run-detail-errors');

  // One dead letter per failed unit (the poisoned first page of each project), with what it refers to.
  const { jobs } = await stack.api<{ jobs: { name: string; lastRun: { totals: { failed: number } } | null }[] }>('jobs.list', {});
  const failed = jobs.find((j) => j.name === 'Poisoned sync')!.lastRun!.totals.failed;
  expect(failed).toBeGreaterThan(1);
  await page.getByTestId('nav-queues').click();
  const letters = page.getByTestId('dead-letter');
  await expect(letters).toHaveCount(failed, { timeout: 20_000 });
  for (const l of await letters.all()) {
    await expect(l).toHaveAttribute('data-reason', 'permanent_error');
    await expect(l).toContainText('transform');
    await expect(l.getByTestId('dead-letter-unit')).toHaveAttribute('href', /#\/raw\?unit=\d+$/);
  }
  await expect(page.locator(`[data-testid="dead-letter-unit"][href="${unitHref}"]`)).toHaveCount(1);
  await expect(page.getByTestId('dead-letters-count')).toContainText(`${failed} of this tenant shown · ${failed} in the queue`);
  await shoot(page, 'queues-dead-letter');

  // Requeue one: the confirmation names the count; the answer says what happened.
  await letters.first().getByTestId('dead-letter-select').check();
  await page.getByTestId('requeue-selected').click();
  const dialog = page.getByTestId('confirm-dead-letters');
  await expect(dialog).toContainText('Requeue 1 dead letter(s)?');
  await dialog.getByTestId('confirm-dead-letters-confirm').click();
  await expect(page.getByTestId('dead-letters-notice')).toContainText('1 dead letter requeued to its stage with a fresh retry budget.');
  await expect(letters).toHaveCount(failed - 1);

  // Then the rest at once.
  await page.getByTestId('requeue-all').click();
  await expect(dialog).toContainText(`Requeue ${failed - 1} dead letter(s)?`);
  await dialog.getByTestId('confirm-dead-letters-confirm').click();
  await expect(page.getByTestId('dead-letters-notice')).toContainText(`${failed - 1} dead letter${failed - 1 === 1 ? '' : 's'} requeued`);
  await expect(page.getByTestId('dead-letters-empty')).toBeVisible();
  // Handed back to transform, which acks them (their units already ended failed): they do not come back.
  await page.waitForTimeout(3000);
  await page.getByTestId('queues-refresh').click();
  await expect(page.getByTestId('dead-letters-empty')).toBeVisible();
  await expect(page.getByTestId('queue-dead-dead')).toHaveAttribute('data-messages', '0', { timeout: 15_000 });
  await shoot(page, 'queues-requeued');
});
