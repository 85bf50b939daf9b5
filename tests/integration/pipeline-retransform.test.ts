import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startRetransform } from '../../main/engine/runs/retransform';
import type { Supervisor } from '../../main/supervisor/supervisor';
import { createPipelineHarness, type PipelineHarness } from './pipeline-harness';

/**
 * Re-transform from raw: a changed mapping applied to stored pages without fetching anything. The
 * synthetic connector's `suffix` stands in for a tenant mapping (snapshot per run by loadMappings).
 */
describe('pipeline: re-transform from raw', () => {
  let h: PipelineHarness;
  let supervisor: Supervisor;

  beforeAll(async () => {
    h = await createPipelineHarness('retx');
    supervisor = await h.start('pipeline', { extract: 1, transform: 2, load: 2 });
  }, 90_000);
  afterAll(async () => {
    await supervisor?.stop(5_000);
    await h?.cleanup();
  });

  const values = async (integrationId: number): Promise<string[]> =>
    (await h.pool.query<{ value: string }>('SELECT value FROM synthetic_items WHERE integration_id = $1 ORDER BY external_id::int', [integrationId])).rows.map((r) => r.value);
  const extractsHandled = (): number => supervisor.pools().find((p) => p.stage === 'extract')?.processed ?? 0;

  it('applies a changed mapping to every stored page, calls no API, and keeps the lineage on the original pages', async () => {
    const run = await h.createRun({ pages: 5, pageSize: 4 });
    expect(await h.waitForRunEnd(run.runId)).toBe('succeeded');
    expect((await values(run.integrationId)).slice(0, 2)).toEqual(['item-0', 'item-1']);
    const originals = (await h.pool.query<{ id: string }>('SELECT id FROM raw_extraction_data WHERE run_id = $1 ORDER BY id', [run.runId])).rows.map((r) => r.id);

    // The operator changes the mapping; the next run (a re-transform) applies it to history.
    await h.pool.query("UPDATE integrations SET settings = jsonb_set(settings, '{synthetic,suffix}', '\"-v2\"') WHERE id = $1", [run.integrationId]);
    const extractsBefore = extractsHandled();
    const again = await startRetransform(h.pool, { tenantId: h.tenantId, integrationId: run.integrationId, trigger: 'manual' });
    expect(again.units).toBe(5);
    expect(await h.waitForRunEnd(again.runId)).toBe('succeeded');

    const after = await values(run.integrationId);
    expect(after).toHaveLength(20);
    expect(after.every((v) => /^item-\d+-v2$/.test(v))).toBe(true);
    // No page was fetched: the run's units are replays of the original pages, and no extract message was handled.
    const units = (await h.pool.query<{ replay_of: string; payload: unknown; status: string }>('SELECT replay_of, payload, status FROM raw_extraction_data WHERE run_id = $1 ORDER BY replay_of', [again.runId])).rows;
    expect(units.map((u) => u.replay_of)).toEqual(originals);
    expect(units.every((u) => u.payload === null && u.status === 'loaded')).toBe(true);
    expect(extractsHandled()).toBe(extractsBefore);
    // Rows still point at the page they came from, not at the replay.
    const lineage = (await h.pool.query<{ raw_id: string }>('SELECT DISTINCT raw_id FROM synthetic_items WHERE integration_id = $1 ORDER BY raw_id', [run.integrationId])).rows.map((r) => r.raw_id);
    expect(lineage).toEqual(originals);
    // Counters of the re-transform run count what it re-processed; its mappings snapshot is the new one.
    const o = await h.outcome({ ...run, runId: again.runId });
    expect(o.counters).toEqual([{ step: 'items', units: 5, extracted: 20, transformed: 20, loaded: 20, failed: 0, skipped: 0, pending: 0 }]);
    expect((await h.pool.query('SELECT mappings FROM runs WHERE id = $1', [again.runId])).rows[0].mappings).toEqual({ suffix: '-v2' });
  }, 90_000);

  it('ends at once, succeeded, when there is nothing to replay', async () => {
    const integrationId = Number((await h.pool.query<{ id: string }>(
      "INSERT INTO integrations (tenant_id, provider, name, base_url, settings) VALUES ($1, 'github', 'never run', 'https://synthetic.invalid', $2) RETURNING id",
      [h.tenantId, { connector: 'synthetic', synthetic: { pages: 1, pageSize: 1 } }],
    )).rows[0]!.id);
    const run = await startRetransform(h.pool, { tenantId: h.tenantId, integrationId, trigger: 'manual' });
    expect(run.units).toBe(0);
    expect((await h.pool.query('SELECT state FROM runs WHERE id = $1', [run.runId])).rows[0].state).toBe('succeeded');
  });
});
