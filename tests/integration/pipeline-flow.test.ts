import { RawCache } from '../../workers/cache/raw-cache';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Supervisor } from '../../main/supervisor/supervisor';
import type { Stage } from '../../shared/worker-protocol/protocol';
import { createPipelineHarness, STEP, type PipelineHarness, type SyntheticRun } from './pipeline-harness';
import { waitFor } from './queue-harness';

/**
 * The `pipeline` handlers end to end through real worker threads, RabbitMQ and Postgres, with the
 * synthetic connector: every figure is exact (pages × page size), never "at least".
 */
describe('pipeline stages: extract → transform → load with run accounting', () => {
  let h: PipelineHarness;
  let supervisor: Supervisor;
  let happy: SyntheticRun;

  beforeAll(async () => {
    h = await createPipelineHarness('flow');
    supervisor = await h.start('pipeline');
  }, 60_000);
  afterAll(async () => {
    await h?.cleanup();
  });

  const processed = (stage: Stage): number => supervisor.pools().find((p) => p.stage === stage)?.processed ?? 0;

  it('loads every record of a 50 × 20 run exactly once and ends succeeded with exact counters', async () => {
    happy = await h.createRun({ pages: 50, pageSize: 20 });
    expect(await h.waitForRunEnd(happy.runId)).toBe('succeeded');

    const o = await h.outcome(happy);
    expect(o).toMatchObject({ state: 'succeeded', items: 1000, itemsWithLineage: 1000, rawUnits: 50, distinctPages: 50, byStatus: { loaded: 50 } });
    expect(o.counters).toEqual([{ step: STEP, units: 50, extracted: 1000, transformed: 1000, loaded: 1000, failed: 0, skipped: 0, pending: 0 }]);
    const step = (await h.pool.query('SELECT extraction_done_at IS NOT NULL AS done, final_counters FROM run_steps WHERE run_id = $1', [happy.runId])).rows[0];
    expect(step).toMatchObject({ done: true, final_counters: { units: 50, loaded: 1000 } });
    // The partition's checkpoint followed every page to the end.
    const partition = (await h.pool.query('SELECT cursor, pages, done_at IS NOT NULL AS done, error FROM run_partitions WHERE run_id = $1', [happy.runId])).rows;
    expect(partition).toEqual([{ cursor: null, pages: 50, done: true, error: null }]);
    // Loaded units drop their transform output; nothing was dead-lettered.
    expect(Number((await h.pool.query('SELECT count(*) AS n FROM raw_extraction_data WHERE run_id = $1 AND transformed IS NOT NULL', [happy.runId])).rows[0].n)).toBe(0);
    expect(await (await h.deadLetters()).count()).toBe(0);
    // The extract threads wrote every stored page to the local raw cache, readable offline.
    const cache = RawCache.open(h.cachePath);
    try {
      const cached = cache.list({ runId: happy.runId }, { limit: 100 }).items;
      expect(cached).toHaveLength(50);
      expect(new Set(cached.map((u) => u.rawId)).size).toBe(50);
      // Transform and load threads mirrored each unit's status there: the offline inspector sees them loaded.
      expect(cached.every((u) => u.status === 'loaded')).toBe(true);
    } finally {
      cache.close();
    }
  }, 60_000);

  it('changes nothing when an already-loaded unit and the first page are delivered again', async () => {
    const before = await h.outcome(happy);
    const unit = (await h.pool.query<{ id: string; attempts: number; updated_at: Date }>(
      "SELECT id, attempts, updated_at FROM raw_extraction_data WHERE run_id = $1 AND page_key = '|7'",
      [happy.runId],
    )).rows[0]!;
    const rawId = Number(unit.id);
    const base = { v: 1 as const, tenantId: h.tenantId, integrationId: happy.integrationId, runId: happy.runId, stepKey: STEP, attempt: 1 };
    const seen = { extract: processed('extract'), transform: processed('transform'), load: processed('load') };

    await h.publish('transform', { ...base, kind: 'transform', rawId });
    await h.publish('load', { ...base, kind: 'load', rawId });
    await h.publish('extract', happy.firstExtract); // the run is over: extract must not fetch again
    await waitFor(
      'the three redelivered messages to be handled',
      () => processed('extract') > seen.extract && processed('transform') > seen.transform && processed('load') > seen.load,
      20_000,
    );

    expect(await h.outcome(happy)).toEqual(before);
    const after = (await h.pool.query<{ attempts: number; updated_at: Date }>('SELECT attempts, updated_at FROM raw_extraction_data WHERE id = $1', [rawId])).rows[0]!;
    expect(after).toEqual({ attempts: unit.attempts, updated_at: unit.updated_at });
    // The transform of a loaded unit publishes no load: exactly the one we sent was handled.
    expect(processed('load')).toBe(seen.load + 1);
  }, 30_000);

  it('fetches nothing for a run that is not running (paused or cancelled): the extract is acked without work', async () => {
    const run = await h.createRun({ pages: 5, pageSize: 20 });
    await h.pool.query("UPDATE runs SET state = 'paused' WHERE id = $1", [run.runId]);
    const seen = processed('extract');
    await waitFor('the extract message to be handled', () => processed('extract') > seen, 20_000);
    expect(await h.outcome(run)).toMatchObject({ state: 'paused', rawUnits: 0, items: 0 });
    expect(await h.queues.queues.ready(h.queues.queues.topology.stageQueue('transform'))).toBe(0);
  }, 30_000);

  it('dead-letters a poison page with its reason, loads the rest and ends partial', async () => {
    const run = await h.createRun({ pages: 10, pageSize: 20, poisonPage: 3 });
    expect(await h.waitForRunEnd(run.runId)).toBe('partial');

    const o = await h.outcome(run);
    expect(o).toMatchObject({ state: 'partial', items: 180, itemsWithLineage: 180, rawUnits: 10, distinctPages: 10, byStatus: { loaded: 9, failed: 1 } });
    expect(o.counters).toEqual([{ step: STEP, units: 10, extracted: 200, transformed: 180, loaded: 180, failed: 1, skipped: 0, pending: 0 }]);
    const failed = (await h.pool.query("SELECT id, page_key, error FROM raw_extraction_data WHERE run_id = $1 AND status = 'failed'", [run.runId])).rows[0];
    expect(failed).toMatchObject({ page_key: '|3', error: { stage: 'transform', reason: 'permanent_error', name: 'PermanentError' } });
    expect(failed.error.message).toMatch(/page 3 is poison on purpose/);

    const dead = await h.deadLetters();
    await waitFor('the poison message in the dead letters', async () => (await dead.count()) === 1, 10_000);
    const [letter] = (await dead.list()).items;
    expect(letter).toMatchObject({ reason: 'permanent_error', stage: 'transform', attempts: 1, error: { name: 'PermanentError' } });
    expect(letter!.error!.message).toMatch(/page 3 is poison on purpose/);
    expect(JSON.parse(letter!.original.body)).toMatchObject({ kind: 'transform', rawId: Number(failed.id), runId: run.runId });
  }, 60_000);
});
