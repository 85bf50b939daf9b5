import { expect, type Page } from '@playwright/test';

/**
 * Where screenshots go: SLUICE_SCREENSHOTS when set (e.g. a notes folder outside the repository),
 * else the suite's work dir under `npm test`, else Playwright's (git-ignored) test-results/.
 */
export const screenshotDir = (): string =>
  process.env['SLUICE_SCREENSHOTS'] ?? (process.env['SLUICE_TEST_WORK'] ? `${process.env['SLUICE_TEST_WORK']}/screenshots` : 'test-results/screenshots');

/**
 * Light and dark screenshots of the current screen, for a look by eye (never compared by the test).
 * The shell scrolls inside `.shell-main`, so `fullPage` alone would cut a long form: the viewport is
 * grown to the content for the shot and restored after.
 */
export const screenshots = async (page: Page, pathWithoutSuffix: string): Promise<void> => {
  const viewport = page.viewportSize() ?? { width: 1280, height: 800 };
  // A string, not a function: this file compiles under the node config, which has no DOM types.
  const contentHeight = await page.evaluate<number>(
    "(document.querySelector('.shell-main')?.scrollHeight ?? 0) + (document.querySelector('.shell-header')?.getBoundingClientRect().height ?? 0)",
  );
  await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, Math.ceil(contentHeight)) });
  try {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
      await page.screenshot({ path: `${pathWithoutSuffix}-${scheme}.png` });
    }
  } finally {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize(viewport);
  }
};
