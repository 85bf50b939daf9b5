import { isAbsolute, resolve } from 'node:path';

import { app, BrowserWindow, dialog } from 'electron';
import type pino from 'pino';

import { BUNDLE_EXTENSION } from '../../shared/contract/bundles';
import { BundleError } from '../engine/bundles/parse';
import { openBundleFile } from '../engine/bundles/open-file';
import type { BundleStore } from '../engine/bundles/store';

/**
 * How the OS hands Sluice a `.sluice` file (electron-builder.yml declares the association):
 * macOS sends `open-file` (also before ready, at launch), Windows and Linux put the path in argv,
 * of the first launch or of a second one, which the single-instance lock turns into a
 * `second-instance` event here. Every path goes through `openBundleFile` (main/engine/bundles):
 * checked, size-capped, streamed; a refusal is shown in a dialog that says why.
 */

/** The arguments that name a bundle: not a flag, ending in `.sluice`, made absolute against `cwd`. */
export const bundlePathsIn = (argv: readonly string[], cwd: string): string[] =>
  argv
    .slice(1)
    .filter((a) => !a.startsWith('-') && a.toLowerCase().endsWith(BUNDLE_EXTENSION))
    .map((a) => (isAbsolute(a) ? a : resolve(cwd, a)));

export interface BundleOpeningOptions {
  readonly store: BundleStore;
  readonly logger: pino.Logger;
  /** Brings the console window up once a bundle is open. */
  readonly showWindow: () => void;
  /** The first launch's argv and working directory. */
  readonly argv: readonly string[];
  readonly cwd: string;
}

export interface BundleOpening {
  /** The engine and window exist: open what arrived so far, and from now on at once. */
  ready(options: BundleOpeningOptions): void;
}

/**
 * Call before `app.whenReady()`: macOS delivers the file of a double-click that launched the app
 * before ready, and it would be lost without a listener. Paths wait until `ready()`.
 */
export const setupBundleOpening = (): BundleOpening => {
  const waiting: string[] = [];
  let open: ((path: string) => void) | null = null;
  const arrive = (path: string): void => (open ? open(path) : void waiting.push(path));

  app.on('open-file', (event, path) => {
    event.preventDefault();
    arrive(path);
  });
  app.on('second-instance', (_event, argv: string[], workingDirectory: string) => {
    for (const path of bundlePathsIn(argv, workingDirectory)) arrive(path);
  });

  return {
    ready({ store, logger, showWindow, argv, cwd }) {
      open = (path) => {
        openBundleFile(store, path, { reveal: true }).then(
          (bundle) => {
            logger.info({ units: bundle.units, problems: bundle.problemCount }, 'opened a bundle');
            showWindow();
          },
          (error: unknown) => {
            const message = error instanceof BundleError ? error.message : `The bundle could not be opened: ${error instanceof Error ? error.message : String(error)}`;
            logger.warn({ err: error }, 'could not open a bundle');
            dialog.showErrorBox('Sluice cannot open this bundle', message);
          },
        );
      };
      for (const path of [...waiting.splice(0), ...bundlePathsIn(argv, cwd)]) open(path);
    },
  };
};

/** The native "Open bundle…" dialog (`bundle.pick`): one `.sluice` file, or null when cancelled. */
export const showOpenBundleDialog = async (): Promise<string | null> => {
  const options = { title: 'Open a Sluice bundle', properties: ['openFile' as const], filters: [{ name: 'Sluice raw bundle', extensions: [BUNDLE_EXTENSION.slice(1)] }] };
  const parent = BrowserWindow.getFocusedWindow();
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
};
