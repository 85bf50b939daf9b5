import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startRun, StartRunError } from '../../main/engine/runs/start';
import type { Supervisor } from '../../main/supervisor/supervisor';
import { createPipelineHarness, type PipelineHarness } from './pipeline-harness';

/**
 * Runs that follow a plan with partitioned streams (the synthetic_tree connector: every item page
 * names a `details` partition of several pages): fan-out, counted completion across partitions, a
 * partition that gives up, watermarks, and the one-active-run-per-integration guard.
 */
describe('pipeline: streams, partitions and completion', () => {
  let h: PipelineHarness;
  let supervisor: Supervisor;

  beforeAll(async () => {
    h = await createPipelineHarness('parts');
    supervisor = await h.start('pipeline', { extract: 2, transform: 2, load: 2 });
  }, 90_000);
  afterAll(async () => {
    await supervisor?.stop(5_000);
    await h?.cleanup();
  });

  const partitions = async (runId: number) =>
    (await h.pool.query<{ stream: string; n: string; done: string; pages: string; failed: string }>(
      `SELECT stream, count(*) AS n, count(done_at) AS done, sum(pages) AS pages, count(error) AS failed
         FROM run_partitions WHERE run_id = $1 GROUP BY stream ORDER BY stream`,
      [runId],
    )).rows.map((r) => ({ stream: r.stream, partitions: Number(r.n), done: Number(r.done), pages: Number(r.pages), failed: Number(r.failed) }));

  it('fans out: 8 item pages name 8 details partitions of 3 pages each, and the run ends when the last of them is loaded', async () => {
    const run = await h.createRun({ pages: 8, pageSize: 5, detailPages: 3 }, 'synthetic_tree');
    expect(await h.waitForRunEnd(run.runId, 60_000)).toBe('succeeded');
    const o = await h.outcome(run);
    // 8 item pages × 5 records, plus 8 partitions × 3 pages × 5 records.
    expect(o).toMatchObject({ state: 'succeeded', items: 40 + 120, itemsWithLineage: 160, rawUnits: 8 + 24, byStatus: { loaded: 32 } });
    expect(o.counters).toEqual([
      { step: 'items', units: 8, extracted: 40, transformed: 40, loaded: 40, failed: 0, skipped: 0, pending: 0 },
      { step: 'details', units: 24, extracted: 120, transformed: 120, loaded: 120, failed: 0, skipped: 0, pending: 0 },
    ]);
    expect(await partitions(run.runId)).toEqual([
      { stream: 'details', partitions: 8, done: 8, pages: 24, failed: 0 },
      { stream: 'items', partitions: 1, done: 1, pages: 8, failed: 0 },
    ]);
    // Every details partition names the item page that found it.
    const orphans = await h.pool.query(
      `SELECT p.partition FROM run_partitions p LEFT JOIN raw_extraction_data d ON d.id = p.source_raw_id
        WHERE p.run_id = $1 AND p.stream = 'details' AND (d.id IS NULL OR d.stream <> 'items' OR (d.request_params->>'page') <> p.partition)`,
      [run.runId],
    );
    expect(orphans.rowCount).toBe(0);
    const streams = (await h.pool.query('SELECT stream, done_at IS NOT NULL AS done FROM run_streams WHERE run_id = $1 ORDER BY ordinal', [run.runId])).rows;
    expect(streams).toEqual([{ stream: 'items', done: true }, { stream: 'details', done: true }]);
  }, 90_000);

  it('moves the incremental stream’s watermark to the highest value its loaded units saw, and only then', async () => {
    const run = await h.createRun({ pages: 4, pageSize: 10 });
    expect(await h.waitForRunEnd(run.runId, 60_000)).toBe('succeeded');
    const state = (await h.pool.query<{ watermark: Date; run_id: string }>('SELECT watermark, run_id FROM sync_state WHERE integration_id = $1 AND stream = $2', [run.integrationId, 'items'])).rows;
    // Records 0..39 are stamped origin + id seconds: the last is record 39.
    expect(state).toEqual([{ watermark: new Date(Date.UTC(2026, 0, 1) + 39_000), run_id: String(run.runId) }]);

    // A run that ends partial (a poison page in the stream) leaves the watermark where it was.
    await h.pool.query("UPDATE integrations SET settings = jsonb_set(settings, '{synthetic}', $2::jsonb) WHERE id = $1", [run.integrationId, JSON.stringify({ pages: 6, pageSize: 10, poisonPage: 2 })]);
    const second = await startRun(h.pool, { tenantId: h.tenantId, integrationId: run.integrationId, kind: 'incremental', trigger: 'manual' });
    expect(await h.waitForRunEnd(second.runId, 60_000)).toBe('partial');
    const after = (await h.pool.query<{ run_id: string }>('SELECT run_id FROM sync_state WHERE integration_id = $1', [run.integrationId])).rows;
    expect(after).toEqual([{ run_id: String(run.runId) }]);
    // The incremental run started its root partition from the first run's watermark.
    const from = (await h.pool.query<{ watermark_from: Date }>("SELECT watermark_from FROM run_partitions WHERE run_id = $1 AND stream = 'items'", [second.runId])).rows[0]!;
    expect(from.watermark_from).toEqual(state[0]!.watermark);
  }, 90_000);

  it('a page the API refuses for good is stored as a failed unit with the API’s message; its partition ends and the run ends partial', async () => {
    const run = await h.createRun({ pages: 6, pageSize: 4, detailPages: 2, brokenPage: 3 }, 'synthetic_tree');
    expect(await h.waitForRunEnd(run.runId, 60_000)).toBe('partial');
    const failed = (await h.pool.query("SELECT step, stream, page_key, payload, error FROM raw_extraction_data WHERE run_id = $1 AND status = 'failed'", [run.runId])).rows;
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ step: 'items', stream: 'items', page_key: '|3', error: { stage: 'extract', reason: 'permanent_error', status: 404 } });
    expect(failed[0].error.message).toMatch(/answers 404 on purpose/);
    // Pages 0-2 were stored and each named its details partition; page 3 failed, so the item stream
    // stopped there (pages 4 and 5 are never asked for) and no partition waits forever.
    expect(await partitions(run.runId)).toEqual([
      { stream: 'details', partitions: 3, done: 3, pages: 6, failed: 0 },
      { stream: 'items', partitions: 1, done: 1, pages: 3, failed: 1 },
    ]);
    const o = await h.outcome(run);
    expect(o.counters[0]).toMatchObject({ step: 'items', units: 4, extracted: 12, loaded: 12, failed: 1, pending: 0 });
  }, 90_000);

  it('refuses a second active run of the same integration, even when both start at once', async () => {
    const run = await h.createRun({ pages: 2000, pageSize: 1 });
    const attempts = await Promise.allSettled([1, 2, 3].map(() => startRun(h.pool, { tenantId: h.tenantId, integrationId: run.integrationId, kind: 'full_refresh', trigger: 'manual' })));
    expect(attempts.every((a) => a.status === 'rejected')).toBe(true);
    const reason = (attempts[0] as PromiseRejectedResult).reason as StartRunError;
    expect(reason).toBeInstanceOf(StartRunError);
    expect(reason).toMatchObject({ reason: 'already_running', activeRunId: run.runId });
    expect(reason.message).toMatch(/already has run \d+ running; wait for it, or pause or cancel it first/);
    await h.pool.query("UPDATE runs SET state = 'cancelled', finished_at = now() WHERE id = $1", [run.runId]);

    // Two fresh starts racing: exactly one run.
    const race = await Promise.allSettled([1, 2].map(() => startRun(h.pool, { tenantId: h.tenantId, integrationId: run.integrationId, kind: 'full_refresh', trigger: 'manual' })));
    expect(race.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const winner = (race.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ runId: number }>).value.runId;
    await h.pool.query("UPDATE runs SET state = 'cancelled', finished_at = now() WHERE id = $1", [winner]);

    await h.pool.query('UPDATE integrations SET active = false WHERE id = $1', [run.integrationId]);
    await expect(startRun(h.pool, { tenantId: h.tenantId, integrationId: run.integrationId, kind: 'full_refresh', trigger: 'manual' })).rejects.toMatchObject({ reason: 'inactive' });
  }, 60_000);
});
