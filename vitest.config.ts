import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (tests next to the code, no servers) and `integration` (cross-process tests
 * under tests/integration that use the real Postgres, RabbitMQ and Redis started by scripts/test.mjs,
 * found through DATABASE_URL, RABBITMQ_URL and REDIS_URL).
 */
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
    ],
  },
});
