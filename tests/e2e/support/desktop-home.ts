import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ProfileInput } from '../../../shared/contract/profiles';
import { createEngine } from '../../../main/engine/engine';
import { silentLogger } from '../../../main/engine/logger';
import { EngineHost, type LocalStack } from '../../../main/profiles/host';
import { migrateOrWarn } from '../../../main/profiles/local-stack';
import { ProfileStore } from '../../../main/profiles/store';
import { startHttpServer } from '../../../main/server/http';
import { testSealer } from '../../../main/testing/test-sealer';

/**
 * A desktop home served to the built console over HTTP, for specs that need what only the desktop
 * has (connection profiles, the first run). Electron cannot run here, so this is the desktop's own
 * engine host (main/profiles/host.ts) with a fresh home folder and the test sealer standing in for
 * safeStorage, behind `sluice serve`'s HTTP server instead of the IPC gate. Run with tsx:
 *
 *   tsx tests/e2e/support/desktop-home.ts [postgres-url]
 *
 * With a Postgres URL the home has one active remote profile on it; without, it is a fresh install.
 * The first stdout line is the login URL; SIGTERM stops it.
 */

const noStack: LocalStack = { up: () => Promise.reject(new Error('no local stack here')), status: () => Promise.resolve(null), down: () => Promise.resolve() };
const databaseUrl = process.argv[2];
const dir = mkdtempSync(join(process.env['SLUICE_TEST_WORK'] ?? tmpdir(), 'desktop-home-'));
const sealer = testSealer();
const logger = silentLogger();
const host = new EngineHost({
  store: new ProfileStore(join(dir, 'profiles.json'), sealer),
  sealer,
  env: { SLUICE_HOME: dir, SLUICE_WORKERS: 'off' },
  logger,
  createEngine: (config, profiles) => createEngine(config, { mode: 'desktop', logger, profiles, jobs: false }),
  migrate: migrateOrWarn(logger),
  localStack: noStack,
});
await host.start();
if (databaseUrl) {
  const saved = await host.profiles.save(ProfileInput.parse({ name: 'Staging', kind: 'remote', role: 'admin', services: { postgres: { url: databaseUrl } } }));
  await host.profiles.activate(saved.id);
  await host.switchTo(saved.id);
}
const server = await startHttpServer(host, { host: '127.0.0.1', port: 0, token: `desktop-home-${process.pid}-0123456789`, rendererDir: join(new URL('../../..', import.meta.url).pathname, 'out', 'renderer'), logger });
process.stdout.write(`${server.loginUrl}\n`);
process.once('SIGTERM', () => {
  void server
    .close()
    .then(() => host.close())
    .finally(() => process.exit(0));
});
