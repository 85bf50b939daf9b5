import { join } from 'node:path';

import { showOpenBundleDialog } from './app/bundle-open';
import { startDesktop } from './app/startup';
import { BundleStore } from './engine/bundles/store';
import { safeStorageSealer } from './app/safe-storage';
import { ConfigError } from './engine/config';
import { createEngine } from './engine/engine';
import { createLogger } from './engine/logger';
import { EngineHost } from './profiles/host';
import { embeddedLocalStack, migrateOrWarn } from './profiles/local-stack';
import { ProfileFileError, ProfileStore } from './profiles/store';
import { builtWorkerEntries } from './supervisor/entries';

/**
 * Composition root of the Electron main process. Everything lives in setup functions under
 * main/app and main/ipc; this file only wires the real engine in: the profile host owns the
 * connection profiles (sealed by safeStorage in the user-data folder) and restarts the engine
 * when the active one changes.
 */
const logger = createLogger('desktop');
// Open bundles outlive an engine restart (profile switch): one store for the app's life.
const bundles = new BundleStore();

void startDesktop({
  // This module is the `out/main/index.js` entry, so its URL locates out/preload and out/renderer.
  mainEntryUrl: import.meta.url,
  env: process.env,
  logger,
  bundles,
  startEngine: async (log, userData) => {
    const sealer = safeStorageSealer();
    const host = new EngineHost({
      store: new ProfileStore(join(userData, 'profiles.json'), sealer),
      sealer,
      env: process.env,
      logger: log,
      createEngine: (config, profiles) => createEngine(config, { mode: 'desktop', logger: log, workerEntries: builtWorkerEntries(import.meta.url), profiles, bundles, pickBundleFile: showOpenBundleDialog }),
      migrate: migrateOrWarn(log),
      localStack: embeddedLocalStack(log),
    });
    await host.start();
    return host;
  },
  isConfigError: (error) => error instanceof ConfigError || error instanceof ProfileFileError,
});
