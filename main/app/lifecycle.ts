import { app } from 'electron';
import type pino from 'pino';

import type { Engine } from '../engine/engine';
import type { WindowRegistry } from './window';

export interface LifecycleOptions {
  readonly engine: Pick<Engine, 'close'>;
  readonly windows: WindowRegistry;
  readonly openWindow: () => void;
  readonly logger: pino.Logger;
  /** `process.platform`, injectable for tests. */
  readonly platform?: NodeJS.Platform;
}

/**
 * Quit and reopen rules. On quit the engine closes first (pool, timers, worker threads) so runs
 * are checkpointed rather than cut; `before-quit` is held until that finishes, then quit resumes.
 */
export const setupLifecycle = ({ engine, windows, openWindow, logger, platform = process.platform }: LifecycleOptions): void => {
  app.on('window-all-closed', () => {
    // macOS keeps apps alive without windows; the dock icon reopens one ('activate').
    if (platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (windows.all().length === 0) openWindow();
  });

  let state: 'running' | 'closing' | 'closed' = 'running';
  app.on('before-quit', (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    engine
      .close()
      .catch((error: unknown) => logger.error({ err: error }, 'the engine did not close cleanly'))
      .finally(() => {
        state = 'closed';
        app.quit();
      });
  });
};
