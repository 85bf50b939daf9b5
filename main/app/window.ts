import { BrowserWindow, type WebContents } from 'electron';
import type pino from 'pino';

import type { AppOrigin } from './origin';

/**
 * The windows this app created. The IPC gate trusts only senders whose webContents is in here,
 * so a webContents Electron creates for something else (a devtools page, a future helper window)
 * can never call the engine.
 */
export interface WindowRegistry {
  track(window: BrowserWindow): void;
  /** The window owning `contents`, if we created it and it is still open. */
  fromWebContents(contents: WebContents): BrowserWindow | undefined;
  /** Open windows with the webContents captured when they were created. */
  all(): { window: BrowserWindow; contents: WebContents }[];
  /** The first open window, e.g. to focus when a second instance starts. */
  first(): BrowserWindow | undefined;
}

export const createWindowRegistry = (): WindowRegistry => {
  // The webContents is captured at creation: after 'closed', window.webContents throws in Electron.
  const open = new Map<BrowserWindow, WebContents>();
  return {
    track(window) {
      const contents = window.webContents;
      open.set(window, contents);
      window.once('closed', () => open.delete(window));
    },
    fromWebContents(contents) {
      for (const [window, owned] of open) if (owned === contents) return window;
      return undefined;
    },
    all: () => [...open].map(([window, contents]) => ({ window, contents })),
    first: () => open.keys().next().value,
  };
};

/** The renderer's security baseline (Electron security checklist); tests assert every flag. */
export const secureWebPreferences = (preload: string) =>
  ({
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    experimentalFeatures: false,
  }) as const;

export interface MainWindowOptions {
  readonly preloadPath: string;
  readonly origin: AppOrigin;
  readonly windows: WindowRegistry;
  readonly logger: pino.Logger;
  /** Where and how big to open (main/app/window-state.ts); default 1280×820, placed by the OS. */
  readonly state?: { readonly bounds: { readonly x?: number; readonly y?: number; readonly width: number; readonly height: number }; readonly maximized: boolean };
}

/** Creates the console window hidden, loads the renderer and shows it once it has painted. */
export const createMainWindow = ({ preloadPath, origin, windows, logger, state }: MainWindowOptions): BrowserWindow => {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    ...state?.bounds,
    minWidth: 960,
    minHeight: 600,
    title: 'Sluice',
    show: false,
    webPreferences: secureWebPreferences(preloadPath),
  });
  windows.track(window);
  window.once('ready-to-show', () => {
    if (state?.maximized) window.maximize();
    window.show();
  });

  // The dev server, or the build through sluice://app (main/app/protocol.ts); never file://.
  const loading = window.loadURL(origin.entry.url);
  loading.catch((error: unknown) => {
    // The window stays usable for a reload; the log says which entry failed.
    logger.error({ err: error, entry: origin.entry }, 'the console window could not load the renderer');
  });
  return window;
};
