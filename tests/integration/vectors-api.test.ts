import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadConfig } from '../../main/engine/config';
import { createEngine, type Engine } from '../../main/engine/engine';
import { silentLogger } from '../../main/engine/logger';
import { startRun } from '../../main/engine/runs/start';
import type { CallContext } from '../../main/engine/types';
import type { Supervisor } from '../../main/supervisor/supervisor';
import { ApiError } from '../../shared/contract/errors';
import type { ItemDetail, SearchHit, VectorsStatus } from '../../shared/contract/vectors';
import { collectionName } from '../../shared/vectors/entities';
import { VectorSettings } from '../../shared/vectors/settings';
import { generateWorld, startGithubSimulator, startJiraSimulator, startQdrantDouble, type RunningQdrantDouble, type RunningSimulator } from '../../simulators';
import { createPipelineHarness, type PipelineHarness } from './pipeline-harness';
import { waitFor } from './queue-harness';
import { testTaskEntry } from './support/entries';

/**
 * The Vectors API through the engine's call path (contract validation, handlers, RLS), with the real
 * pipeline behind it: with Qdrant off a run succeeds and leaves nothing in the vectorize queue, and the
 * console says why; with it on, "re-embed missing" (outbox → relay → vectorize threads) brings the
 * counts to 100 %, search finds an issue by a phrase and opens its detail, another tenant sees none
 * of it, and "re-embed all" after an embedder change recreates the collection at the new size.
 */
const TOKEN = 'vectors-api-token';
const PHRASE = 'Narwhal cartography exporter keeps dropping fjord tiles';
const PREFIX = 'it_vapi';

describe('vectors API', () => {
  let h: PipelineHarness;
  let supervisor: Supervisor | null = null;
  let qdrant: RunningQdrantDouble;
  let jira: RunningSimulator;
  let github: RunningSimulator;
  const engines: Engine[] = [];
  const world = generateWorld({ scale: 'small', seed: 41 });
  const target = world.jira.issues[3]!;
  target.fields = { ...target.fields, summary: PHRASE };
  let jiraId = 0;
  let githubId = 0;
  let otherTenant = 0;

  const engineWith = async (env: Record<string, string>): Promise<Engine> => {
    const home = mkdtempSync(join(tmpdir(), 'sluice-vectors-api-'));
    const dbUrl = (await h.pool.query<{ db: string }>('SELECT current_database() AS db')).rows[0]!.db;
    const url = new URL(process.env['DATABASE_URL']!);
    url.pathname = `/${dbUrl}`;
    const engine = await createEngine(loadConfig({ DATABASE_URL: url.toString(), SLUICE_HOME: home, SLUICE_WORKERS: 'off', SLUICE_QDRANT_PREFIX: PREFIX, ...env }), {
      mode: 'headless',
      logger: silentLogger(),
      taskEntry: testTaskEntry(),
    });
    engines.push(engine);
    return engine;
  };
  const as = (tenantId: number): CallContext => ({ transport: 'test', tenantId, principal: 'test' });
  const call = <T>(engine: Engine, method: string, input: unknown, tenantId = h.tenantId): Promise<T> => engine.call(method, input, as(tenantId)) as Promise<T>;
  const failure = async (p: Promise<unknown>): Promise<ApiError> => {
    const e = await p.then(() => null, (error: unknown) => error);
    if (!(e instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(e)}`);
    return e;
  };
  const restart = async (vectors: VectorSettings | null): Promise<void> => {
    await supervisor?.stop(5_000);
    supervisor = await h.start('pipeline', vectors ? { extract: 1, transform: 1, load: 1, vectorize: 1 } : { extract: 1, transform: 1, load: 1 }, {}, {}, vectors ? { handlers: { vectorize: 'vectorize' }, vectors } : {});
  };
  const run = async (integrationId: number): Promise<void> => {
    const { runId } = await startRun(h.pool, { tenantId: h.tenantId, integrationId, kind: 'full_refresh', trigger: 'manual' });
    expect(await h.waitForRunEnd(runId, 180_000)).toBe('succeeded');
  };
  const enabled = (s: VectorsStatus) => {
    if (!s.enabled) throw new Error(`vectors are off: ${s.reason}`);
    return s;
  };

  beforeAll(async () => {
    h = await createPipelineHarness('vapi');
    qdrant = await startQdrantDouble({ apiKey: 'double-key-123' });
    jira = await startJiraSimulator({ world, token: TOKEN });
    github = await startGithubSimulator({ world, token: TOKEN });
    otherTenant = (await h.pool.query<{ id: number }>("INSERT INTO tenants (name) VALUES ('Other') RETURNING id")).rows[0]!.id;
  }, 120_000);
  afterAll(async () => {
    for (const e of engines) await e.close();
    await supervisor?.stop(5_000);
    await Promise.all([jira?.stop(), github?.stop(), qdrant?.stop()]);
    await h?.cleanup();
  });

  it('without Qdrant a run succeeds, nothing waits in the vectorize queue, and the console says why', async () => {
    await restart(null);
    jiraId = await h.createIntegration({ provider: 'jira', name: 'Jira', baseUrl: jira.url, settings: { email: 'etl@example.com' }, token: TOKEN });
    githubId = await h.createIntegration({ provider: 'github', name: 'GitHub', baseUrl: github.url, settings: { organization: world.meta.organization, pageSize: 25, lookbackDays: 3650 }, token: TOKEN });
    await run(jiraId);
    expect(await h.queues.queues.ready(h.queues.queues.topology.stageQueue('vectorize'))).toBe(0);
    expect(Number((await h.pool.query<{ n: string }>('SELECT count(*) AS n FROM qdrant_vectors')).rows[0]!.n)).toBe(0);

    const off = await engineWith({});
    const status = await call<VectorsStatus>(off, 'vectors.status', {});
    expect(status).toEqual({ enabled: false, reason: expect.stringContaining('QDRANT_URL is not set') });
    const refused = await failure(call(off, 'vectors.search', { query: 'anything' }));
    expect(refused).toMatchObject({ code: 'unavailable', message: expect.stringContaining('QDRANT_URL is not set') });
    expect((await failure(call(off, 'vectors.reembed', { entity: 'work_items', scope: 'missing' }))).code).toBe('unavailable');
  }, 300_000);

  let on: Engine;
  let vectors: VectorSettings;

  it('re-embed missing goes through the queue and brings database and vector counts level', async () => {
    vectors = VectorSettings.parse({ qdrantUrl: qdrant.url, qdrantApiKey: 'double-key-123', collectionPrefix: PREFIX, embeddings: { provider: 'offline' }, sweepIntervalMs: 200 });
    await restart(vectors);
    await run(githubId);
    on = await engineWith({ QDRANT_URL: qdrant.url, QDRANT_API_KEY: 'double-key-123' });
    await waitFor('the GitHub run vectorized', async () => {
      const s = enabled(await call<VectorsStatus>(on, 'vectors.status', {}));
      return s.entities.find((e) => e.entity === 'prs')!.completion === 100;
    }, 90_000);
    // The Jira run happened while vectors were off: its work items have none yet.
    let status = enabled(await call<VectorsStatus>(on, 'vectors.status', {}));
    expect(status.qdrant).toMatchObject({ state: 'up', double: true, version: '1.18.0' });
    expect(status.embedder).toMatchObject({ provider: 'offline', lexical: true, id: 'offline-lexical-v1/384' });
    expect(status.entities.find((e) => e.entity === 'work_items')).toMatchObject({ database: world.jira.issues.length, vectorized: 0, points: null, completion: 0 });

    const queued = await call<{ requestId: string; message: string }>(on, 'vectors.reembed', { entity: 'work_items', scope: 'missing' });
    expect(queued.message).toContain('queued');
    await waitFor('work items re-embedded', async () => enabled(await call<VectorsStatus>(on, 'vectors.status', {})).entities[0]!.completion === 100, 90_000);
    status = enabled(await call<VectorsStatus>(on, 'vectors.status', {}));
    expect(status.entities.slice(0, 2).map((e) => ({ entity: e.entity, database: e.database, vectorized: e.vectorized, points: e.points, stale: e.stale, completion: e.completion }))).toEqual([
      { entity: 'work_items', database: world.jira.issues.length, vectorized: world.jira.issues.length, points: world.jira.issues.length, stale: 0, completion: 100 },
      { entity: 'prs', database: world.github.pulls.length, vectorized: world.github.pulls.length, points: world.github.pulls.length, stale: 0, completion: 100 },
    ]);
    // The mapping kinds follow (the harness seeded them in SQL, around the hub: no vectors until a re-embed; vectors-mappings.test.ts).
    expect(status.entities.slice(2).map((e) => [e.entity, e.vectorized, e.database > 0])).toEqual([
      ['wits_hierarchies', 0, true],
      ['wits_mappings', 0, true],
      ['workflows', 0, true],
      ['statuses_mappings', 0, true],
    ]);
    expect(status.entities[0]!.byIntegration).toEqual([{ integrationId: jiraId, name: 'Jira', database: world.jira.issues.length, vectorized: world.jira.issues.length }]);
    expect(status.collections.map((c) => ({ name: c.name, entity: c.entity, dimensions: c.dimensions }))).toEqual([
      { name: collectionName(PREFIX, h.tenantId, 'prs'), entity: 'prs', dimensions: 384 },
      { name: collectionName(PREFIX, h.tenantId, 'work_items'), entity: 'work_items', dimensions: 384 },
    ]);
  }, 300_000);

  it('search returns the issue whose summary matches a distinctive phrase, and opens its detail; other tenants see nothing', async () => {
    const { hits, embedder } = await call<{ hits: SearchHit[]; embedder: { lexical: boolean } }>(on, 'vectors.search', { query: 'narwhal cartography fjord' });
    expect(embedder.lexical).toBe(true);
    expect(hits[0]).toMatchObject({ entity: 'work_items', key: target.key, title: PHRASE, integrationId: jiraId, integrationName: 'Jira' });
    const detail = await call<ItemDetail>(on, 'vectors.item', { entity: hits[0]!.entity, id: hits[0]!.id });
    expect(detail).toMatchObject({ entity: 'work_items', key: target.key, summary: PHRASE, integrationName: 'Jira', url: `${jira.url}/browse/${target.key}`, vector: { embedder: 'offline-lexical-v1/384', current: true } });

    // Only PRs, and bad input with the field.
    const prsOnly = await call<{ hits: SearchHit[] }>(on, 'vectors.search', { query: 'narwhal cartography fjord', entities: ['prs'], limit: 3 });
    expect(prsOnly.hits.length).toBe(3);
    expect(prsOnly.hits.every((x) => x.entity === 'prs')).toBe(true);
    expect((await failure(call(on, 'vectors.search', { query: '   ' }))).issues).toEqual([{ path: 'query', message: 'type something to search for' }]);

    // Another tenant: no hits, no detail, no counts of ours.
    expect((await call<{ hits: SearchHit[] }>(on, 'vectors.search', { query: 'narwhal cartography fjord' }, otherTenant)).hits).toEqual([]);
    expect((await failure(call(on, 'vectors.item', { entity: 'work_items', id: hits[0]!.id }, otherTenant))).code).toBe('not_found');
    const theirs = enabled(await call<VectorsStatus>(on, 'vectors.status', {}, otherTenant));
    expect(theirs.entities.map((e) => [e.database, e.vectorized])).toEqual(Array.from({ length: 6 }, () => [0, 0]));
    expect(theirs.collections).toEqual([]);
  }, 120_000);

  it('re-embed all after an embedder change recreates the collection at the new size', async () => {
    const smaller = VectorSettings.parse({ ...vectors, embeddings: { provider: 'offline', dimensions: 128 } });
    await restart(smaller);
    const changed = await engineWith({ QDRANT_URL: qdrant.url, QDRANT_API_KEY: 'double-key-123', SLUICE_EMBEDDINGS_DIMENSIONS: '128' });
    let status = enabled(await call<VectorsStatus>(changed, 'vectors.status', {}));
    // The old vectors are stale now (another embedder); nothing is current.
    expect(status.entities[1]).toMatchObject({ entity: 'prs', vectorized: 0, stale: world.github.pulls.length });
    await call(changed, 'vectors.reembed', { entity: 'prs', scope: 'all' });
    await waitFor('PRs re-embedded at 128 dimensions', async () => {
      const s = enabled(await call<VectorsStatus>(changed, 'vectors.status', {}));
      return s.entities[1]!.vectorized === world.github.pulls.length && s.collections.find((c) => c.entity === 'prs')?.dimensions === 128;
    }, 90_000);
    status = enabled(await call<VectorsStatus>(changed, 'vectors.status', {}));
    expect(status.entities[1]).toMatchObject({ vectorized: world.github.pulls.length, stale: 0, points: world.github.pulls.length, completion: 100 });
    // Work items were not touched: still 384, still stale for this embedder.
    expect(status.collections.find((c) => c.entity === 'work_items')?.dimensions).toBe(384);
    expect(status.entities[0]).toMatchObject({ vectorized: 0, stale: world.jira.issues.length });
  }, 300_000);

  it('an unknown integration is refused before anything is queued', async () => {
    const before = Number((await h.pool.query<{ n: string }>("SELECT count(*) AS n FROM queue_outbox WHERE stage = 'vectorize'")).rows[0]!.n);
    const e = await failure(call(on, 'vectors.reembed', { entity: 'prs', scope: 'missing', integrationId: 987_654 }));
    expect(e).toMatchObject({ code: 'not_found', issues: [{ path: 'integrationId', message: 'not found' }] });
    expect(Number((await h.pool.query<{ n: string }>("SELECT count(*) AS n FROM queue_outbox WHERE stage = 'vectorize'")).rows[0]!.n)).toBe(before);
  });
});
