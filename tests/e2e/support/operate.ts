import { randomBytes } from 'node:crypto';

import { startJiraSimulator, generateWorld, type RunningSimulator } from '../../../simulators';
import { createTestDatabase, type TestDatabase } from '../../integration/support/database';
import { apiOf, startServe, type ServeProcess } from './serve';

/**
 * Shared setup of the operating-screen specs (jobs, runs, queues, workers): a fresh database, a
 * Jira simulator, and a real `sluice serve` that runs the pipeline's worker threads itself
 * (SLUICE_WORKERS) in a private RabbitMQ/Redis namespace (--queue-prefix), so a run really
 * progresses and nothing is shared with other suites on the same broker.
 */
export const SIM_TOKEN = 'e2e-operate-token-5d1e';

export interface OperateStack {
  readonly db: TestDatabase;
  readonly serve: ServeProcess;
  readonly jira: RunningSimulator;
  readonly prefix: string;
  readonly tenantId: number;
  api<T = unknown>(method: string, input: unknown): Promise<T>;
  /** A Jira integration on the simulator, with its id. */
  jiraIntegration(name: string, settings?: Record<string, unknown>): Promise<number>;
  stop(): Promise<void>;
}

export const startOperateStack = async (label: string, options: { faults?: Record<string, unknown>; serveEnv?: Record<string, string>; serveArgs?: string[] } = {}): Promise<OperateStack> => {
  const db = await createTestDatabase(`e2e_${label}`);
  const prefix = `e2e-${label}-${randomBytes(3).toString('hex')}.`;
  const jira = await startJiraSimulator({ world: generateWorld({ scale: 'small', seed: 5 }), token: SIM_TOKEN, ...(options.faults ? { faults: options.faults } : {}) });
  const serve = await startServe({ DATABASE_URL: db.url, SLUICE_WORKERS: 'extract=1,transform=1,load=1,vectorize=0', ...options.serveEnv }, ['--queue-prefix', prefix, ...(options.serveArgs ?? [])]);
  const call = apiOf(serve);
  const tenantId = (await call<{ id: number }>('tenants.create', { name: `Ops ${label}` })).id;
  return {
    db,
    serve,
    jira,
    prefix,
    tenantId,
    api: (method, input) => call(method, input, tenantId),
    jiraIntegration: async (name, settings = {}) =>
      (await call<{ id: number }>('integrations.create', { provider: 'jira', name, baseUrl: jira.url, token: SIM_TOKEN, settings: { email: 'ops@example.com', ...settings } }, tenantId)).id,
    stop: async () => {
      await serve.stop();
      await jira.stop();
      await db.drop();
    },
  };
};
