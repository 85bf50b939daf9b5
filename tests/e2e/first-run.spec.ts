import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

import { expect, test } from '@playwright/test';

import { createTestDatabase, type TestDatabase } from '../integration/support/database';

/**
 * The first-run redirect (renderer/src/features/shell/FirstRunRedirect.tsx) in Chromium. Electron
 * cannot run here, so the desktop's own engine host (a home folder with its profiles file) is served
 * to the built console over HTTP by tests/e2e/support/desktop-home.ts, as the desktop window would
 * reach it over IPC. A fresh home with no profile must land on the first-run wizard in Settings; a
 * home whose profile is set up must not.
 */

const ROOT = new URL('../..', import.meta.url).pathname;

let db: TestDatabase;

test.beforeAll(async () => {
  db = await createTestDatabase('e2e_first_run');
});
test.afterAll(async () => {
  await db?.drop();
});

/** A desktop home (empty, or with one active profile on the test database) served to the console. */
const desktopHome = async (configured: boolean): Promise<{ loginUrl: string; close(): Promise<void> }> => {
  const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'tests/e2e/support/desktop-home.ts', ...(configured ? [db.url] : [])], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const loginUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the desktop home printed no URL within 60 s:\n${stderr}`)), 60_000);
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`the desktop home exited with ${code}:\n${stderr}`)));
  });
  return {
    loginUrl,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
};

test('a fresh desktop home with no profile opens on the first-run wizard', async ({ page }) => {
  const home = await desktopHome(false);
  try {
    await page.goto(home.loginUrl);
    await expect(page).toHaveURL(/#\/settings$/);
    await expect(page.getByTestId('first-run-wizard')).toBeVisible();
    await expect(page.getByTestId('first-run-local')).toBeVisible();
    await expect(page.getByTestId('first-run-remote')).toBeVisible();
    // Once per start: the user may leave Settings.
    await page.getByTestId('nav-jobs').click();
    await expect(page).toHaveURL(/#\/jobs$/);
  } finally {
    await page.goto('about:blank');
    await home.close();
  }
});

test('a configured desktop home opens where it always does, without the wizard', async ({ page }) => {
  const home = await desktopHome(true);
  try {
    await page.goto(home.loginUrl);
    await expect(page.getByTestId('nav-jobs')).toBeVisible();
    await expect(page).toHaveURL(/#\/jobs$/);
    // The session has answered (the title bar names the profile) and still no redirect.
    await expect(page.getByText('Staging').first()).toBeVisible();
    await expect(page).toHaveURL(/#\/jobs$/);
    await page.getByTestId('nav-settings').click();
    await expect(page.getByTestId('profiles')).toBeVisible();
    await expect(page.getByTestId('first-run-wizard')).toHaveCount(0);
  } finally {
    await page.goto('about:blank');
    await home.close();
  }
});
