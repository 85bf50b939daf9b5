import { join } from 'node:path';

import { app, dialog } from 'electron';
import type pino from 'pino';

import { setupIpcGate, type DesktopSession } from '../ipc/gate';
import type { EngineApi } from '../engine/types';
import type { BundleStore } from '../engine/bundles/store';
import { setupBundleOpening } from './bundle-open';
import { reportsDir, setupCrashReporting } from './crash-report';
import { setupDownloads } from './downloads';
import { setupLifecycle } from './lifecycle';
import { setupMenu } from './menu';
import { setupRunNotifications } from './notifications';
import { APP_INDEX_URL, type AppOrigin, type AppPaths, resolveAppOrigin, resolveAppPaths } from './origin';
import { registerAppScheme, setupAppProtocol } from './protocol';
import { setupSecurity } from './security';
import { setupSingleInstance } from './single-instance';
import { setupTray } from './tray';
import { createMainWindow, createWindowRegistry } from './window';
import { loadWindowState, trackWindowState } from './window-state';

export interface DesktopOptions {
  /** `import.meta.url` of the built main entry, to find the preload and renderer. */
  readonly mainEntryUrl: string;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: pino.Logger;
  /**
   * Loads the config and creates the engine (the profile host: main/profiles/host.ts) with its
   * files in `userData`; throws a config error for bad settings.
   */
  readonly startEngine: (logger: pino.Logger, userData: string) => Promise<DesktopEngine>;
  readonly isConfigError: (error: unknown) => boolean;
  /** Where uncaught errors of main are reported from (tests pass their own emitter); default `process`. */
  readonly processEvents?: NodeJS.EventEmitter;
  /** The open raw bundles, shared with every engine the profile host starts (main/index.ts). */
  readonly bundles: BundleStore;
  /** argv and working directory of this launch (a `.sluice` path in it opens); default the process's. */
  readonly launch?: { readonly argv: readonly string[]; readonly cwd: string };
}

/** What the desktop runs: the engine, or the profile host that swaps engines on a profile switch. */
export interface DesktopEngine extends EngineApi {
  close(): Promise<void>;
  /** The desktop user as the engine should see it now (the active profile's role); default admin. */
  desktopSession?(): DesktopSession;
  /** Told after every profile switch, for the title bar. */
  onProfileChange?(listener: (profile: { readonly name: string } | null) => void): () => void;
  /** The active profile now. */
  active?(): { readonly name: string } | null;
}

/** The window title names the active profile, so production is never mistaken for staging. */
export const titleFor = (profile: { readonly name: string } | null | undefined): string => (profile ? `Sluice — ${profile.name}` : 'Sluice');

/**
 * Desktop start-up in the order that matters (Fiddle's onReady): lock, ready, security before any
 * webContents exists, engine, IPC gate before the page can call, and the window last.
 * A bad config shows its one-sentence message in a dialog and quits.
 * Resolves to false when the app is quitting instead of running.
 */
export const startDesktop = async ({ mainEntryUrl, env, logger, startEngine, isConfigError, processEvents = process, bundles, launch = { argv: process.argv, cwd: process.cwd() } }: DesktopOptions): Promise<boolean> => {
  const windows = createWindowRegistry();
  if (!setupSingleInstance(() => windows.first())) return false;
  // Privileged schemes are only accepted before ready; macOS sends a launching file before ready too.
  registerAppScheme();
  const bundleOpening = setupBundleOpening();
  await app.whenReady();
  const userData = app.getPath('userData');
  setupCrashReporting({ userData, logger, proc: processEvents });

  let paths: AppPaths;
  let origin: AppOrigin;
  try {
    paths = resolveAppPaths(mainEntryUrl);
    origin = resolveAppOrigin({ devUrl: env['ELECTRON_RENDERER_URL'], packaged: app.isPackaged });
  } catch (error) {
    fail(messageOf(error), error, logger);
    return false;
  }
  // The build is served only when it is what the window loads (not next to a dev server).
  if (origin.entry.url === APP_INDEX_URL) setupAppProtocol({ rendererDir: paths.rendererDir, logger });
  setupSecurity({ origin, logger });
  setupDownloads({ windows, downloadsDir: () => app.getPath('downloads'), logger });

  const engine = await startEngine(logger, userData).catch((error: unknown) => {
    fail(isConfigError(error) ? messageOf(error) : `Sluice could not start: ${messageOf(error)} See the log for details.`, error, logger);
    return null;
  });
  if (!engine) return false;

  setupIpcGate({ engine, windows, origin, logger, ...(engine.desktopSession ? { session: () => engine.desktopSession!() } : {}) });
  setupRunNotifications({ engine, windows, logger });
  const openWindow = (): void => {
    const window = createMainWindow({ preloadPath: paths.preload, origin, windows, logger, state: loadWindowState(userData) });
    trackWindowState(window, userData);
    // Keep our title rather than the page's <title>.
    window.on('page-title-updated', (event) => event.preventDefault());
    window.setTitle(titleFor(engine.active?.()));
  };
  const showWindow = (): void => {
    const window = windows.first();
    if (!window) return openWindow();
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };
  setupMenu({ crashReportsDir: reportsDir(userData) });
  // In a package the icon is an extra resource; from a checkout it is in resources/.
  setupTray({ engine, iconPath: app.isPackaged ? join(process.resourcesPath, 'tray.png') : join(app.getAppPath(), 'resources', 'tray.png'), showWindow });
  engine.onProfileChange?.((profile) => {
    for (const { window } of windows.all()) window.setTitle(titleFor(profile));
  });
  setupLifecycle({ engine, windows, openWindow, logger });
  openWindow();
  bundleOpening.ready({ store: bundles, logger, showWindow, argv: launch.argv, cwd: launch.cwd });
  return true;
};

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const fail = (message: string, error: unknown, logger: pino.Logger): void => {
  logger.error({ err: error }, 'desktop start-up failed');
  dialog.showErrorBox('Sluice cannot start', message);
  app.quit();
};
