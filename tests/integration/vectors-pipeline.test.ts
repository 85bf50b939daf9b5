import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startRun } from '../../main/engine/runs/start';
import type { Supervisor } from '../../main/supervisor/supervisor';
import { generateWorld, startGithubSimulator, startJiraSimulator, startQdrantDouble, type RunningQdrantDouble, type RunningSimulator } from '../../simulators';
import { collectionName } from '../../shared/vectors/entities';
import { VectorSettings } from '../../shared/vectors/settings';
import { searchVectors } from '../../workers/vectorize/search';
import { textHash, workItemText, WorkItemRow } from '../../workers/vectorize/texts';
import { createPipelineHarness, type PipelineHarness } from './pipeline-harness';
import { waitFor } from './queue-harness';

/**
 * Issue 10, "what must be shown": the vectorize stage behind the real pipeline (worker threads,
 * RabbitMQ, Postgres) against the Jira and GitHub simulators and the Qdrant contract double. After a
 * Jira and a GitHub run the vector counts equal the entity counts; an issue edited in the simulator and
 * an incremental run re-embed exactly that issue; search finds the issue by a distinctive phrase; a
 * deleted entity or integration loses its points.
 */
const TOKEN = 'vectors-pipeline-token';
const PHRASE = 'Quokka telemetry bridge for the lighthouse beacons';

describe('vectorize stage through the pipeline', () => {
  let h: PipelineHarness;
  let supervisor: Supervisor;
  let qdrant: RunningQdrantDouble;
  let jira: RunningSimulator;
  let github: RunningSimulator;
  const world = generateWorld({ scale: 'small', seed: 31 });
  // One issue with a summary no generated text shares, for the search test.
  const target = world.jira.issues[7]!;
  target.fields = { ...target.fields, summary: PHRASE };
  let vectors: VectorSettings;
  let jiraId = 0;
  let githubId = 0;

  beforeAll(async () => {
    h = await createPipelineHarness('vectors');
    qdrant = await startQdrantDouble();
    vectors = VectorSettings.parse({ qdrantUrl: qdrant.url, collectionPrefix: 'it_vectors', embeddings: { provider: 'offline' }, sweepIntervalMs: 200 });
    supervisor = await h.start('pipeline', { extract: 1, transform: 1, load: 1, vectorize: 1 }, {}, {}, { handlers: { vectorize: 'vectorize' }, vectors });
    jira = await startJiraSimulator({ world, token: TOKEN });
    github = await startGithubSimulator({ world, token: TOKEN });
  }, 120_000);
  afterAll(async () => {
    await supervisor?.stop(5_000);
    await Promise.all([jira?.stop(), github?.stop(), qdrant?.stop()]);
    await h?.cleanup();
  });

  const n = async (sql: string, params: unknown[]): Promise<number> => Number((await h.pool.query<{ n: string }>(sql, params)).rows[0]!.n);
  const collection = (entity: 'work_items' | 'prs') => collectionName('it_vectors', h.tenantId, entity);
  const points = (entity: 'work_items' | 'prs'): number => qdrant.store.collections.get(collection(entity))?.points.size ?? 0;
  const counts = async (entity: 'work_items' | 'prs', integrationId: number) => ({
    rows: await n(`SELECT count(*) AS n FROM ${entity} WHERE integration_id = $1`, [integrationId]),
    bridge: await n("SELECT count(*) AS n FROM qdrant_vectors WHERE entity = $1 AND integration_id = $2 AND deleted_at IS NULL", [entity, integrationId]),
  });
  const run = async (integrationId: number, kind: 'full_refresh' | 'incremental' = 'full_refresh'): Promise<number> => {
    const { runId } = await startRun(h.pool, { tenantId: h.tenantId, integrationId, kind, trigger: 'manual' });
    expect(await h.waitForRunEnd(runId, 180_000)).toBe('succeeded');
    return runId;
  };

  it('after a Jira and a GitHub run, vector counts equal entity counts, in the bridge and in Qdrant', async () => {
    jiraId = await h.createIntegration({ provider: 'jira', name: 'Jira', baseUrl: jira.url, settings: { email: 'etl@example.com', overlapMinutes: 0 }, token: TOKEN });
    githubId = await h.createIntegration({ provider: 'github', name: 'GitHub', baseUrl: github.url, settings: { organization: world.meta.organization, pageSize: 25, lookbackDays: 3650 }, token: TOKEN });
    await run(jiraId);
    await run(githubId);
    // Vectors lag behind the runs (which ended when loaded): wait for the stage to catch up.
    await waitFor('every work item and PR vectorized', async () => {
      const [w, p] = [await counts('work_items', jiraId), await counts('prs', githubId)];
      return w.rows > 0 && w.bridge === w.rows && p.rows > 0 && p.bridge === p.rows && points('work_items') === w.rows && points('prs') === p.rows;
    }, 120_000);
    expect(await counts('work_items', jiraId)).toEqual({ rows: world.jira.issues.length, bridge: world.jira.issues.length });
    expect(await counts('prs', githubId)).toEqual({ rows: world.github.pulls.length, bridge: world.github.pulls.length });
    expect(points('work_items')).toBe(world.jira.issues.length);
    expect(points('prs')).toBe(world.github.pulls.length);

    // Each point is its row: same id, key and text hash as the bridge says, payload scoped to the tenant.
    const rows = (await h.pool.query(`SELECT w.*, v.text_hash, v.point_id FROM work_items w JOIN qdrant_vectors v ON v.entity = 'work_items' AND v.record_id = w.id WHERE w.integration_id = $1`, [jiraId])).rows as (Record<string, unknown> & { text_hash: string; point_id: string })[];
    for (const row of rows) {
      expect(row.text_hash).toBe(textHash(workItemText(WorkItemRow.parse(row))));
      const point = qdrant.store.collections.get(collection('work_items'))!.points.get(String(row.point_id))!;
      expect(point.payload).toMatchObject({ tenant_id: h.tenantId, integration_id: jiraId, entity: 'work_items', key: row['key'], record_id: Number(row['id']), text_hash: row.text_hash });
    }
    // The runs' vectorized counters: every row was last embedded by its own run.
    const perRun = await h.pool.query<{ step: string; vectorized: string }>("SELECT step, vectorized FROM sluice_run_vectorized((SELECT max(id) FROM runs WHERE integration_id = $1))", [githubId]);
    expect(perRun.rows.reduce((s, r) => s + Number(r.vectorized), 0)).toBe(world.github.pulls.length);
  }, 300_000);

  it('an issue edited in the simulator and an incremental run re-embed exactly that issue', async () => {
    const before = new Map((await h.pool.query<{ key: string; text_hash: string; embedded_at: Date }>("SELECT entity_key AS key, text_hash, embedded_at FROM qdrant_vectors WHERE entity = 'work_items' AND integration_id = $1", [jiraId])).rows.map((r) => [r.key, r]));
    qdrant.resetStats();
    const [edited] = jira.control.update(1);
    expect(edited).toBeDefined();
    const second = await run(jiraId, 'incremental');
    // The run read the edited issue (and maybe the boundary minute's others): wait until the stage has
    // handled every row the run loaded, embedded or confirmed.
    const loaded = await n('SELECT count(*) AS n FROM work_items w JOIN raw_extraction_data d ON d.id = w.raw_id WHERE d.run_id = $1', [second]);
    expect(loaded).toBeGreaterThanOrEqual(1);
    await waitFor('the incremental run vectorized', async () => (await n("SELECT count(*) AS n FROM qdrant_vectors WHERE run_id = $1 AND entity = 'work_items'", [second])) === loaded, 60_000);

    const after = (await h.pool.query<{ key: string; text_hash: string; embedded_at: Date; point_id: string }>("SELECT entity_key AS key, text_hash, embedded_at, point_id FROM qdrant_vectors WHERE entity = 'work_items' AND integration_id = $1", [jiraId])).rows;
    const changed = after.filter((r) => r.text_hash !== before.get(r.key)?.text_hash).map((r) => r.key);
    expect(changed).toEqual([edited]);
    const reembedded = after.filter((r) => r.embedded_at.getTime() !== before.get(r.key)?.embedded_at.getTime()).map((r) => r.key);
    expect(reembedded).toEqual([edited]);
    // Qdrant saw exactly one upsert, of that issue's point.
    const point = after.find((r) => r.key === edited)!.point_id;
    expect(qdrant.stats().upserted).toEqual({ [collection('work_items')]: [Number(point)] });
  }, 240_000);

  it('search finds the issue whose summary matches a distinctive phrase', async () => {
    const { hits } = await searchVectors({ vectors, tenantId: h.tenantId, query: 'quokka telemetry lighthouse', entities: ['work_items', 'prs'], integrationId: null, limit: 5 });
    expect(hits[0]).toMatchObject({ entity: 'work_items', key: target.key, title: PHRASE, integrationId: jiraId });
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    // Another tenant's search sees nothing of this one, even with the same collection prefix.
    const other = await searchVectors({ vectors, tenantId: h.tenantId + 1000, query: 'quokka telemetry lighthouse', entities: ['work_items', 'prs'], integrationId: null, limit: 5 });
    expect(other.hits).toEqual([]);
  });

  it('a deleted work item, then a deleted integration, lose their points', async () => {
    const victim = (await h.pool.query<{ id: string }>('SELECT id FROM work_items WHERE integration_id = $1 ORDER BY id LIMIT 1', [jiraId])).rows[0]!.id;
    await h.pool.query('DELETE FROM work_items WHERE id = $1', [victim]);
    const bridgeRows = () => n("SELECT count(*) AS n FROM qdrant_vectors WHERE entity = 'work_items' AND record_id = $1", [victim]);
    // The tombstone stays until the point is gone (the sweep deletes the point, then the row).
    await waitFor('the deleted work item’s point and tombstone gone', async () => !qdrant.store.collections.get(collection('work_items'))!.points.has(String(victim)) && (await bridgeRows()) === 0, 30_000);
    expect(points('work_items')).toBe(world.jira.issues.length - 1);

    // Deleting the integration cascades to its PRs; the bridge rows survive as tombstones until swept.
    await h.pool.query('DELETE FROM integrations WHERE id = $1', [githubId]);
    await waitFor('the deleted integration’s points and tombstones gone', async () => points('prs') === 0 && (await n("SELECT count(*) AS n FROM qdrant_vectors WHERE entity = 'prs'", [])) === 0, 30_000);
    expect(points('work_items')).toBe(world.jira.issues.length - 1);
  }, 120_000);
});
