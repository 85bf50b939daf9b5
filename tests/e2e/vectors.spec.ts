import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import { expect, test, type Page } from '@playwright/test';
import pg from 'pg';

import { startRun } from '../../main/engine/runs/start';
import { workerSecretKey } from '../../main/engine/workers';
import { Supervisor } from '../../main/supervisor/supervisor';
import { VectorSettings } from '../../shared/vectors/settings';
import { generateWorld, startGithubSimulator, startJiraSimulator, startQdrantDouble, type RunningQdrantDouble, type RunningSimulator } from '../../simulators';
import { RabbitManagement } from '../../workers/queue/management';
import { createTestDatabase, type TestDatabase } from '../integration/support/database';
import { runPicture } from '../integration/support/run-picture';
import { screenshotDir, screenshots } from './support/screenshots';
import { apiOf, startServe, type ServeProcess } from './support/serve';

/**
 * The Vectors screen against a real `sluice serve` (own database, QDRANT_URL on the contract double)
 * with the real pipeline behind it: worker threads of the built bundle on a private queue namespace
 * (the serve's own workers are off, so nothing on the shared broker is touched), fed by the Jira and
 * GitHub simulators. After both runs the screen shows database and vector counts level, and so it does
 * for the mapping tables once their defaults are seeded on the hub; the search box finds the issue whose
 * summary carries a distinctive phrase and opens its detail. A console
 * without QDRANT_URL says vectors are off.
 */
const TOKEN = 'e2e-vectors-token-5d1c';
const PHRASE = 'Albatross ledger reconciliation skips leap seconds';
const ROOT = new URL('../..', import.meta.url).pathname;
const SHOTS = screenshotDir();
const secretKey = randomBytes(32).toString('base64');
const prefix = `e2e-vectors-${randomBytes(3).toString('hex')}.`;

let db: TestDatabase;
let admin: pg.Pool;
let serve: ServeProcess;
let qdrant: RunningQdrantDouble;
let jira: RunningSimulator;
let github: RunningSimulator;
let supervisor: Supervisor;
let tenantId: number;
const world = generateWorld({ scale: 'small', seed: 51 });
const target = world.jira.issues[11]!;
target.fields = { ...target.fields, summary: PHRASE };

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the e2e suite through \`npm test\` (it starts the servers).`);
  return v;
};

const api = <T>(method: string, input: unknown, tenant?: number): Promise<T> => apiOf(serve)<T>(method, input, tenant);

const runToEnd = async (integrationId: number): Promise<void> => {
  const { runId } = await startRun(admin, { tenantId, integrationId, kind: 'full_refresh', trigger: 'manual' });
  try {
    await expect.poll(async () => (await admin.query<{ state: string }>('SELECT state FROM runs WHERE id = $1', [runId])).rows[0]!.state, { timeout: 180_000, intervals: [250] }).toBe('succeeded');
  } catch (error) {
    // Say where it stands: a run that does not end is otherwise only "running" (the workers are this process's threads).
    const pools = supervisor.pools().map((p) => `${p.stage}×${p.alive} processed=${p.processed} failed=${p.failed} restarts=${p.restarts}`).join(', ');
    throw new Error(`Run ${runId} did not succeed. ${await runPicture(admin, runId)} Pools: ${pools}.`, { cause: error });
  }
};

const shoot = (page: Page, name: string) => screenshots(page, `${SHOTS}/${name}`);

test.beforeAll(async () => {
  test.setTimeout(300_000);
  db = await createTestDatabase('e2e_vectors');
  qdrant = await startQdrantDouble();
  jira = await startJiraSimulator({ world, token: TOKEN });
  github = await startGithubSimulator({ world, token: TOKEN });
  serve = await startServe({ DATABASE_URL: db.url, QDRANT_URL: qdrant.url, SLUICE_QDRANT_PREFIX: 'e2e_vectors', SLUICE_SECRET_KEY: secretKey, SLUICE_WORKERS: 'off' });
  admin = new pg.Pool({ connectionString: db.url, max: 2 });
  tenantId = (await api<{ id: number }>('tenants.create', { name: 'Vectors Co' })).id;
  const vectors = VectorSettings.parse({ qdrantUrl: qdrant.url, collectionPrefix: 'e2e_vectors', embeddings: { provider: 'offline' }, sweepIntervalMs: 500 });
  supervisor = new Supervisor({
    entries: (stage) => ({ kind: 'file', path: join(ROOT, 'out', 'main', 'workers', `${stage}.js`) }),
    counts: { extract: 1, transform: 1, load: 1, vectorize: 1 },
    settings: {
      hostId: 'e2e-vectors',
      rabbitmqUrl: env('RABBITMQ_URL'),
      databaseUrl: db.url,
      topology: { prefix },
      handlers: { extract: 'pipeline', transform: 'pipeline', load: 'pipeline', vectorize: 'vectorize' },
      secretKeys: [workerSecretKey({ home: ROOT, secretKey })],
      vectors,
    },
  });
  supervisor.start();
  await supervisor.waitUntilReady(120_000);
});

test.afterAll(async () => {
  await supervisor?.stop(5_000);
  await serve?.stop();
  await admin?.end();
  await Promise.all([jira?.stop(), github?.stop(), qdrant?.stop()]);
  await new RabbitManagement(env('RABBITMQ_MANAGEMENT_URL')).deleteByPrefix(prefix).catch(() => undefined);
  await db?.drop();
});

test('after a Jira and a GitHub run the screen shows vectors level with the database, and search opens the issue', async ({ page }) => {
  test.setTimeout(300_000);
  const jiraId = (await api<{ id: number }>('integrations.create', { provider: 'jira', name: 'Vectors Jira', baseUrl: jira.url, token: TOKEN, settings: { email: 'ops@example.com', projectKeys: [], baseJql: null } }, tenantId)).id;
  const githubId = (await api<{ id: number }>('integrations.create', { provider: 'github', name: 'Vectors GitHub', baseUrl: github.url, token: TOKEN, settings: { organization: world.meta.organization, lookbackDays: 3650 } }, tenantId)).id;
  await runToEnd(jiraId);
  await runToEnd(githubId);

  await page.goto(serve.loginUrl);
  await page.getByTestId('nav-vectors').click();
  await expect(page.getByTestId('vectors-page')).toBeVisible();
  await expect(page.getByTestId('qdrant-health')).toHaveAttribute('data-state', 'up');
  await expect(page.getByTestId('qdrant-double')).toContainText('local Qdrant double');
  await expect(page.getByTestId('embedder-note')).toContainText('lexical, not semantic');

  // Vectors catch up after the runs; the screen refreshes by itself.
  const items = page.getByTestId('vector-row-work_items');
  const prs = page.getByTestId('vector-row-prs');
  await expect(items).toHaveAttribute('data-state', 'complete', { timeout: 120_000 });
  await expect(prs).toHaveAttribute('data-state', 'complete', { timeout: 120_000 });
  const n = (x: number) => x.toLocaleString('en-US');
  await expect(items.getByTestId('count-database')).toHaveText(n(world.jira.issues.length));
  await expect(items.getByTestId('count-vectorized')).toHaveText(n(world.jira.issues.length));
  await expect(items.getByTestId('count-points')).toHaveText(n(world.jira.issues.length));
  await expect(prs.getByTestId('count-database')).toHaveText(n(world.github.pulls.length));
  await expect(prs.getByTestId('count-points')).toHaveText(n(world.github.pulls.length));
  await expect(items.getByTestId('completion')).toHaveText('100 %');
  await expect(page.getByTestId('collection-row')).toHaveCount(2);

  // The mapping tables are embedded too: seeding the defaults on the hub queues their vectors.
  await api('mappings.seedDefaults', { integrationId: jiraId }, tenantId);
  const witMappings = page.getByTestId('vector-row-wits_mappings');
  const mapped = Number((await admin.query<{ n: string }>('SELECT count(*) AS n FROM wits_mappings WHERE integration_id = $1', [jiraId])).rows[0]!.n);
  await expect(witMappings).toContainText('WIT mappings');
  await expect(witMappings.getByTestId('count-points')).toHaveText(n(mapped), { timeout: 60_000 });
  await expect(witMappings).toHaveAttribute('data-state', 'complete');
  await expect(witMappings.getByTestId('count-database')).toHaveText(n(mapped));
  for (const kind of ['wits_hierarchies', 'workflows', 'statuses_mappings']) await expect(page.getByTestId(`vector-row-${kind}`)).toHaveAttribute('data-state', 'complete');
  await expect(page.getByTestId('collection-row')).toHaveCount(6);

  await page.getByTestId('vector-search-input').fill('albatross ledger leap seconds');
  await page.getByTestId('vector-search-submit').click();
  const first = page.getByTestId('search-result').first();
  await expect(first).toHaveAttribute('data-key', target.key);
  await expect(first).toContainText(PHRASE);
  await first.click();
  const detail = page.getByTestId('item-detail');
  await expect(detail).toHaveAttribute('data-key', target.key);
  await expect(detail).toContainText(PHRASE);
  await expect(detail.getByTestId('detail-link')).toHaveAttribute('href', `${jira.url}/browse/${target.key}`);
  await expect(detail.getByTestId('detail-vector')).toContainText('offline-lexical-v1/384');
  await shoot(page, 'vectors-search');

  // Re-embed all asks once more, then queues; the counts stay level (the same texts).
  await prs.getByTestId('reembed-all').click();
  await prs.getByTestId('confirm-reembed-all').click();
  await expect(page.getByTestId('reembed-notice')).toContainText('Re-embedding all pull requests: queued');
  await expect(prs).toHaveAttribute('data-state', 'complete');
  await page.getByTestId('close-detail').click();
  await expect(detail).toHaveCount(0);
});

test('a console without QDRANT_URL says vectors are off and why', async ({ page }) => {
  const off = await startServe({ DATABASE_URL: db.url, SLUICE_SECRET_KEY: secretKey });
  try {
    await page.goto(off.loginUrl);
    await page.getByTestId('nav-vectors').click();
    await expect(page.getByTestId('vectors-disabled')).toContainText('QDRANT_URL is not set');
    await expect(page.getByTestId('vector-search')).toHaveCount(0);
    await shoot(page, 'vectors-disabled');
  } finally {
    await off.stop();
  }
});
