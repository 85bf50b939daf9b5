import { app, dialog } from 'electron';
import type pino from 'pino';

import { setupIpcGate } from '../ipc/gate';
import type { Engine } from '../engine/engine';
import { setupLifecycle } from './lifecycle';
import { setupRunNotifications } from './notifications';
import { type AppOrigin, type AppPaths, resolveAppOrigin, resolveAppPaths } from './origin';
import { setupSecurity } from './security';
import { setupSingleInstance } from './single-instance';
import { createMainWindow, createWindowRegistry } from './window';

export interface DesktopOptions {
  /** `import.meta.url` of the built main entry, to find the preload and renderer. */
  readonly mainEntryUrl: string;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: pino.Logger;
  /** Loads the config and creates the engine; throws a config error for bad settings. */
  readonly startEngine: (logger: pino.Logger) => Promise<Engine>;
  readonly isConfigError: (error: unknown) => boolean;
}

/**
 * Desktop start-up in the order that matters (Fiddle's onReady): lock, ready, security before any
 * webContents exists, engine, IPC gate before the page can call, and the window last.
 * A bad config shows its one-sentence message in a dialog and quits.
 * Resolves to false when the app is quitting instead of running.
 */
export const startDesktop = async ({ mainEntryUrl, env, logger, startEngine, isConfigError }: DesktopOptions): Promise<boolean> => {
  const windows = createWindowRegistry();
  if (!setupSingleInstance(() => windows.first())) return false;
  await app.whenReady();

  let paths: AppPaths;
  let origin: AppOrigin;
  try {
    paths = resolveAppPaths(mainEntryUrl);
    origin = resolveAppOrigin({ rendererIndex: paths.rendererIndex, devUrl: env['ELECTRON_RENDERER_URL'], packaged: app.isPackaged });
  } catch (error) {
    fail(messageOf(error), error, logger);
    return false;
  }
  setupSecurity({ origin, logger });

  const engine = await startEngine(logger).catch((error: unknown) => {
    fail(isConfigError(error) ? messageOf(error) : `Sluice could not start: ${messageOf(error)} See the log for details.`, error, logger);
    return null;
  });
  if (!engine) return false;

  setupIpcGate({ engine, windows, origin, logger });
  setupRunNotifications({ engine, windows, logger });
  const openWindow = (): void => void createMainWindow({ preloadPath: paths.preload, origin, windows, logger });
  setupLifecycle({ engine, windows, openWindow, logger });
  openWindow();
  return true;
};

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const fail = (message: string, error: unknown, logger: pino.Logger): void => {
  logger.error({ err: error }, 'desktop start-up failed');
  dialog.showErrorBox('Sluice cannot start', message);
  app.quit();
};
