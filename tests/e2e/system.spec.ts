import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expect, test } from '@playwright/test';

import { startRabbitmq } from '../../main/stack/rabbitmq';
import { startServe, type ServeProcess } from './support/serve';

test.describe('System page', () => {
  test('shows every configured service green, and Qdrant as not configured', async ({ page }) => {
    const serve = await startServe();
    try {
      await page.goto(serve.loginUrl);
      await page.getByTestId('nav-system').click();
      await expect(page.getByTestId('system-page')).toBeVisible();
      for (const name of ['postgres', 'rabbitmq', 'redis']) {
        await expect(page.getByTestId(`service-${name}`)).toHaveAttribute('data-state', 'up');
      }
      await expect(page.getByTestId('service-qdrant')).toHaveAttribute('data-state', 'not_configured');
      await expect(page.getByTestId('service-postgres')).toContainText(/\d+\.\d+/);
    } finally {
      await serve.stop();
    }
  });

  test('turns RabbitMQ red with a clear message when it stops', async ({ page }) => {
    test.setTimeout(120_000);
    // A private RabbitMQ, so stopping it does not disturb the rest of the suite.
    const rabbit = await startRabbitmq({ dir: mkdtempSync(join(process.env['SLUICE_TEST_WORK'] ?? tmpdir(), 'e2e-rabbit-')) });
    let serve: ServeProcess | null = null;
    try {
      serve = await startServe({ RABBITMQ_URL: rabbit.url, RABBITMQ_MANAGEMENT_URL: rabbit.managementUrl });
      await page.goto(serve.loginUrl);
      await page.getByTestId('nav-system').click();
      const row = page.getByTestId('service-rabbitmq');
      await expect(row).toHaveAttribute('data-state', 'up');
      await rabbit.stop();
      // Live: the page updates from pushed health events, without a reload.
      await expect(row).toHaveAttribute('data-state', 'down', { timeout: 30_000 });
      await expect(row.getByTestId('service-message')).toContainText('Cannot reach RabbitMQ');
      await expect(row.getByTestId('service-message')).toContainText('sluice stack up');
      await expect(page.getByTestId('service-postgres')).toHaveAttribute('data-state', 'up');
    } finally {
      await serve?.stop();
      await rabbit.stop();
    }
  });
});
