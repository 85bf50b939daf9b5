import { expect, type Page } from '@playwright/test';

/**
 * Light and dark screenshots of the current screen, for a look by eye (never compared by the test).
 * The shell scrolls inside `.shell-main`, so `fullPage` alone would cut a long form: the viewport is
 * grown to the content for the shot and restored after.
 */
export const screenshots = async (page: Page, pathWithoutSuffix: string): Promise<void> => {
  const viewport = page.viewportSize() ?? { width: 1280, height: 800 };
  const contentHeight = await page.evaluate(() => {
    const main = document.querySelector('.shell-main');
    const header = document.querySelector('.shell-header');
    return (main?.scrollHeight ?? 0) + (header?.getBoundingClientRect().height ?? 0);
  });
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
