/**
 * An engine in its own process, for tests that kill it (SIGKILL) mid-run: the real createEngine with
 * embedded worker pools (TypeScript entries through tsx) in the test's queue namespace, and the run
 * coordinator ticking fast. Prints "ready" once every pool consumes. Configured by the environment:
 * DATABASE_URL, RABBITMQ_URL, REDIS_URL (optional), SLUICE_HOME, SLUICE_WORKERS, SLUICE_TEST_PREFIX.
 */

import pino from 'pino';

import { loadConfig } from '../../../main/engine/config';
import { createEngine } from '../../../main/engine/engine';
import { testWorkerEntries } from './entries';

const engine = await createEngine(loadConfig(), {
  mode: 'headless',
  logger: pino({ level: 'warn' }, pino.destination(2)),
  workerEntries: testWorkerEntries(),
  topology: { prefix: process.env['SLUICE_TEST_PREFIX'] ?? '' },
  jobs: { tickMs: 200, sweepEveryMs: 1_000 },
});
const ctx = { transport: 'test' as const, tenantId: null, principal: 'child' };
for (;;) {
  const status = (await engine.call('workers.status', {}, ctx)) as { embedded: { pools: { desired: number; alive: number }[] } };
  const pools = status.embedded.pools;
  if (pools.length > 0 && pools.every((p) => p.alive >= p.desired)) break;
  await new Promise((r) => setTimeout(r, 100));
}
process.stdout.write('ready\n');
process.on('SIGTERM', () => void engine.close().then(() => process.exit(0)));
