import { startDesktop } from './app/startup';
import { ConfigError, loadConfig } from './engine/config';
import { createEngine } from './engine/engine';
import { createLogger } from './engine/logger';
import { builtWorkerEntries } from './supervisor/entries';

/**
 * Composition root of the Electron main process. Everything lives in setup functions under
 * main/app and main/ipc; this file only wires the real engine in.
 */
const logger = createLogger('desktop');

void startDesktop({
  // This module is the `out/main/index.js` entry, so its URL locates out/preload and out/renderer.
  mainEntryUrl: import.meta.url,
  env: process.env,
  logger,
  startEngine: (log) => createEngine(loadConfig(), { mode: 'desktop', logger: log, workerEntries: builtWorkerEntries(import.meta.url) }),
  isConfigError: (error) => error instanceof ConfigError,
});
