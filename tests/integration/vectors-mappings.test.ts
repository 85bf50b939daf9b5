import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadConfig } from '../../main/engine/config';
import { createEngine, type Engine } from '../../main/engine/engine';
import { silentLogger } from '../../main/engine/logger';
import type { CallContext } from '../../main/engine/types';
import type { Supervisor } from '../../main/supervisor/supervisor';
import type { MappingsChange } from '../../shared/contract/mappings';
import type { VectorsStatus } from '../../shared/contract/vectors';
import { collectionName, MAPPING_ENTITIES, type MappingEntity } from '../../shared/vectors/entities';
import { VectorSettings } from '../../shared/vectors/settings';
import { startQdrantDouble, type RunningQdrantDouble } from '../../simulators';
import { createPipelineHarness, type PipelineHarness } from './pipeline-harness';
import { waitFor } from './queue-harness';
import { testTaskEntry } from './support/entries';

/**
 * Issue 10's "and mapping tables": the Jira mapping tables are embedded like work items and PRs. Through
 * the engine's call path (the Mappings hub) with the real outbox relay and vectorize threads against the
 * Qdrant double: seeding the defaults brings every mapping kind's vector count level with its table;
 * editing one type mapping re-embeds exactly that row (the others' bridge rows keep their embedded_at);
 * renaming a workflow step re-embeds the step and the status mappings that name it; deleting a status
 * mapping removes its point; and without Qdrant the hub queues nothing and works as before.
 */
const PREFIX = 'it_vmap';

describe('vectors of the mapping tables', () => {
  let h: PipelineHarness;
  let supervisor: Supervisor;
  let qdrant: RunningQdrantDouble;
  let on: Engine;
  let off: Engine;
  let jiraId = 0;

  const engineWith = async (env: Record<string, string>): Promise<Engine> => {
    const home = mkdtempSync(join(tmpdir(), 'sluice-vectors-mappings-'));
    const db = (await h.pool.query<{ db: string }>('SELECT current_database() AS db')).rows[0]!.db;
    const url = new URL(process.env['DATABASE_URL']!);
    url.pathname = `/${db}`;
    return createEngine(loadConfig({ DATABASE_URL: url.toString(), SLUICE_HOME: home, SLUICE_WORKERS: 'off', SLUICE_QDRANT_PREFIX: PREFIX, ...env }), {
      mode: 'headless',
      logger: silentLogger(),
      taskEntry: testTaskEntry(),
    });
  };
  const ctx = (): CallContext => ({ transport: 'test', tenantId: h.tenantId, principal: 'test' });
  const call = <T>(engine: Engine, method: string, input: unknown): Promise<T> => engine.call(method, input, ctx()) as Promise<T>;
  const n = async (sql: string, params: unknown[] = []): Promise<number> => Number((await h.pool.query<{ n: string }>(sql, params)).rows[0]!.n);
  const points = (entity: MappingEntity): number => qdrant.store.collections.get(collectionName(PREFIX, h.tenantId, entity))?.points.size ?? 0;
  const bridge = async (entity: MappingEntity) =>
    new Map(
      (await h.pool.query<{ record_id: string; text_hash: string; embedded_at: Date; entity_key: string }>(
        'SELECT record_id, text_hash, embedded_at, entity_key FROM qdrant_vectors WHERE entity = $1 AND deleted_at IS NULL',
        [entity],
      )).rows.map((r) => [Number(r.record_id), { hash: r.text_hash, at: r.embedded_at.getTime(), key: r.entity_key }]),
    );
  const status = async () => {
    const s = await call<VectorsStatus>(on, 'vectors.status', {});
    if (!s.enabled) throw new Error(`vectors are off: ${s.reason}`);
    return s;
  };
  const idOf = async (table: string, column: string, value: string): Promise<number> =>
    n(`SELECT id AS n FROM ${table} WHERE integration_id = $1 AND ${column} = $2`, [jiraId, value]);
  const outboxRows = () => n("SELECT count(*) AS n FROM queue_outbox WHERE stage = 'vectorize'");

  beforeAll(async () => {
    h = await createPipelineHarness('vmap');
    qdrant = await startQdrantDouble();
    const vectors = VectorSettings.parse({ qdrantUrl: qdrant.url, collectionPrefix: PREFIX, embeddings: { provider: 'offline' }, sweepIntervalMs: 200 });
    // The extract thread relays the outbox; the vectorize thread embeds.
    supervisor = await h.start('pipeline', { extract: 1, transform: 1, load: 1, vectorize: 1 }, {}, {}, { handlers: { vectorize: 'vectorize' }, vectors });
    on = await engineWith({ QDRANT_URL: qdrant.url });
    off = await engineWith({});
    // A Jira integration without mappings yet (the harness's createIntegration seeds them in SQL, around the hub).
    jiraId = Number(
      (await h.pool.query<{ id: string }>("INSERT INTO integrations (tenant_id, provider, name, base_url, settings) VALUES ($1, 'jira', 'Jira', 'https://jira.invalid', $2) RETURNING id", [h.tenantId, { email: 'etl@example.com' }])).rows[0]!.id,
    );
  }, 120_000);
  afterAll(async () => {
    await on?.close();
    await off?.close();
    await supervisor?.stop(5_000);
    await qdrant?.stop();
    await h?.cleanup();
  });

  it('seeding the defaults on the hub embeds every mapping row: vector counts equal table counts, kind by kind', async () => {
    const seeded = await call<MappingsChange>(on, 'mappings.seedDefaults', { integrationId: jiraId });
    expect(seeded.message).toMatch(/^Added \d+ default rows/);
    const tables = Object.fromEntries(await Promise.all(MAPPING_ENTITIES.map(async (e) => [e, await n(`SELECT count(*) AS n FROM ${e} WHERE integration_id = $1`, [jiraId])] as const)));
    expect(tables).toEqual({ wits_hierarchies: 6, wits_mappings: 32, workflows: 12, statuses_mappings: expect.any(Number) });
    await waitFor('every mapping row vectorized', async () => MAPPING_ENTITIES.every((e) => points(e) === tables[e]), 60_000);

    const s = await status();
    for (const entity of MAPPING_ENTITIES) {
      expect(s.entities.find((e) => e.entity === entity)).toMatchObject({ database: tables[entity], vectorized: tables[entity], points: tables[entity], stale: 0, pendingDeletes: 0, completion: 100 });
    }
    expect(s.entities.map((e) => e.entity)).toEqual(['work_items', 'prs', 'wits_hierarchies', 'wits_mappings', 'workflows', 'statuses_mappings']);
    expect(s.entities.find((e) => e.entity === 'statuses_mappings')!.byIntegration).toEqual([{ integrationId: jiraId, name: 'Jira', database: tables['statuses_mappings'], vectorized: tables['statuses_mappings'] }]);

    // The point carries the filters the platform's AI search needs, and the text says what the row means.
    const feature = await idOf('wits_mappings', 'wit_from', 'Feature');
    const point = qdrant.store.collections.get(collectionName(PREFIX, h.tenantId, 'wits_mappings'))!.points.get(String(feature))!;
    expect(point.payload).toMatchObject({ tenant_id: h.tenantId, integration_id: jiraId, entity: 'wits_mappings', key: 'Feature', record_id: feature, title: 'Feature → Epic (level 1)' });
    expect((await bridge('workflows')).get(await idOf('workflows', 'step_name', 'To Do'))).toMatchObject({ key: 'To Do' });
  }, 120_000);

  it('editing one type mapping re-embeds that row only', async () => {
    const before = await bridge('wits_mappings');
    const spike = await idOf('wits_mappings', 'wit_from', 'Spike');
    const story = await n("SELECT id AS n FROM wits_hierarchies WHERE integration_id = $1 AND level_number = 0", [jiraId]);
    await call<MappingsChange>(on, 'mappings.witMappings.update', { integrationId: jiraId, id: spike, witFrom: 'Spike', witTo: 'Research', hierarchyId: story });
    await waitFor('the edited mapping re-embedded', async () => (await bridge('wits_mappings')).get(spike)!.hash !== before.get(spike)!.hash, 30_000);

    const after = await bridge('wits_mappings');
    expect(after.size).toBe(before.size);
    for (const [id, row] of after) if (id !== spike) expect(row, `wits_mappings ${id}`).toEqual(before.get(id));
    const payload = qdrant.store.collections.get(collectionName(PREFIX, h.tenantId, 'wits_mappings'))!.points.get(String(spike))!.payload;
    expect(payload).toMatchObject({ key: 'Spike', title: 'Spike → Research (level 0)', text_hash: after.get(spike)!.hash });
  }, 60_000);

  it('renaming a workflow step re-embeds the step and the status mappings that name it, nothing else', async () => {
    const [steps, statuses] = [await bridge('workflows'), await bridge('statuses_mappings')];
    const step = await idOf('workflows', 'step_name', 'Ready for Prod');
    const named = (await h.pool.query<{ id: string }>('SELECT id FROM statuses_mappings WHERE workflow_id = $1', [step])).rows.map((r) => Number(r.id));
    expect(named.length).toBeGreaterThan(5);
    await call<MappingsChange>(on, 'mappings.workflow.update', { integrationId: jiraId, id: step, stepName: 'Ready for Release', stepNumber: 10, stepCategory: 'Waiting' });
    await waitFor('the step and its status mappings re-embedded', async () => {
      const now = await bridge('statuses_mappings');
      return (await bridge('workflows')).get(step)!.hash !== steps.get(step)!.hash && named.every((id) => now.get(id)!.hash !== statuses.get(id)!.hash);
    }, 30_000);
    const [stepsAfter, statusesAfter] = [await bridge('workflows'), await bridge('statuses_mappings')];
    expect(stepsAfter.get(step)!.key).toBe('Ready for Release');
    for (const [id, row] of stepsAfter) if (id !== step) expect(row, `workflows ${id}`).toEqual(steps.get(id));
    for (const [id, row] of statusesAfter) if (!named.includes(id)) expect(row, `statuses_mappings ${id}`).toEqual(statuses.get(id));
  }, 60_000);

  it('deleting a status mapping on the hub removes its point and its bridge row', async () => {
    const victim = await idOf('statuses_mappings', 'status_from', 'Triage');
    const total = await n('SELECT count(*) AS n FROM statuses_mappings WHERE integration_id = $1', [jiraId]);
    const done = await call<MappingsChange>(on, 'mappings.statusMappings.delete', { integrationId: jiraId, id: victim });
    expect(done.message).toContain('Deleted the mapping of status "Triage"');
    await waitFor('the deleted mapping’s point and tombstone gone', async () => points('statuses_mappings') === total - 1 && (await n("SELECT count(*) AS n FROM qdrant_vectors WHERE entity = 'statuses_mappings' AND record_id = $1", [victim])) === 0, 30_000);
    expect(qdrant.store.collections.get(collectionName(PREFIX, h.tenantId, 'statuses_mappings'))!.points.has(String(victim))).toBe(false);
    expect((await status()).entities.find((e) => e.entity === 'statuses_mappings')).toMatchObject({ database: total - 1, vectorized: total - 1, points: total - 1, pendingDeletes: 0 });
  }, 60_000);

  it('without Qdrant the hub queues nothing and its calls work as before', async () => {
    const before = await outboxRows();
    const hierarchy = await n('SELECT id AS n FROM wits_hierarchies WHERE integration_id = $1 AND level_number = 2', [jiraId]);
    const changed = await call<MappingsChange>(off, 'mappings.hierarchies.update', { integrationId: jiraId, id: hierarchy, levelNumber: 2, levelName: 'Initiative', description: 'Initiatives grouping epics' });
    expect(changed.snapshot.hierarchies.find((l) => l.id === hierarchy)).toMatchObject({ levelName: 'Initiative' });
    expect(await outboxRows()).toBe(before);
    expect(await call<VectorsStatus>(off, 'vectors.status', {})).toEqual({ enabled: false, reason: expect.stringContaining('QDRANT_URL is not set') });
  });
});
