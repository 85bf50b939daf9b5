import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (tests next to the code, no servers) and `integration` (cross-process tests
 * under tests/integration that use the real Postgres, RabbitMQ and Redis started by scripts/test.mjs,
 * found through DATABASE_URL, RABBITMQ_URL and REDIS_URL).
 */
/**
 * Files that start and stop private servers or cut connections on purpose: they pick free ports and
 * time outages, so they run one at a time after the rest, where nothing else races them for a port.
 */
const SERIAL = ['tests/integration/stack.test.ts', 'tests/integration/pipeline-restart-*.test.ts', 'tests/integration/queue-reconnect.test.ts'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{main,workers,shared,renderer,simulators,scripts}/**/*.test.{ts,tsx}', 'tests/lint/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          exclude: SERIAL,
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Servers are shared; files isolate themselves with their own database / vhost / key prefix.
          fileParallelism: true,
          maxWorkers: 2,
          // Its own group: runs after the unit project, so the two can have different worker settings.
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'integration-serial',
          include: SERIAL,
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
