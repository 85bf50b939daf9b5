import { app, type BrowserWindow } from 'electron';

/**
 * Keeps one Sluice per user session: two consoles would fight over the local raw cache and double
 * every push subscription. Returns false (and quits) when another instance already holds the lock;
 * otherwise a second launch focuses the existing window instead of opening a new one.
 */
export const setupSingleInstance = (getWindow: () => BrowserWindow | undefined): boolean => {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => {
    const window = getWindow();
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });
  return true;
};
