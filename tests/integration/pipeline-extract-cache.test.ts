import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { RawCache, rawCachePath } from '../../workers/cache/raw-cache';
import { createPipelineHarness, STEP, type PipelineHarness } from './pipeline-harness';
import { startExtractStage, type ExtractStage } from './pipeline-extract-support';
import { requireEnv } from './support/env';

/**
 * Extract writes every stored page to the local SQLite raw cache after the Postgres commit: the cache
 * ends holding exactly the run's pages, with the payloads Postgres holds; a cache that cannot be
 * written changes nothing about the run.
 */
describe('pipeline extract: local raw cache', () => {
  let h: PipelineHarness;
  let home: string;
  const stages: ExtractStage[] = [];

  beforeAll(async () => {
    h = await createPipelineHarness('xcache');
    home = mkdtempSync(join(tmpdir(), 'sluice-home-'));
  }, 60_000);
  afterAll(async () => {
    for (const s of stages) await s.stop();
    await h?.cleanup();
    rmSync(home, { recursive: true, force: true });
  });

  it('caches exactly the run’s pages, with lineage and payloads equal to Postgres’s', async () => {
    const path = rawCachePath(home);
    const stage = await startExtractStage(h, { rawCachePath: path, redisUrl: requireEnv('REDIS_URL') });
    stages.push(stage);
    const run = await h.createRun({ pages: 25, pageSize: 8 });
    expect(await h.waitForRunEnd(run.runId)).toBe('succeeded');
    expect(await h.outcome(run)).toMatchObject({ state: 'succeeded', items: 200, itemsWithLineage: 200, rawUnits: 25, distinctPages: 25, byStatus: { loaded: 25 } });
    expect(stage.services.cache?.stats()).toEqual({ written: 25, failed: 0, lastError: null });

    const rows = (await h.pool.query<{ id: string; payload: unknown; request_url: string; request_params: unknown; record_count: number }>(
      'SELECT id, payload, request_url, request_params, record_count FROM raw_extraction_data WHERE run_id = $1 ORDER BY id',
      [run.runId],
    )).rows;
    // Read with a separate handle, as the console's inspector does (WAL: the writer may stay open).
    const cache = RawCache.open(path);
    try {
      expect(cache.stats().units).toBe(25);
      expect(cache.list({ runId: run.runId }, { limit: 100 }).items.map((i) => i.rawId).sort((a, b) => a - b)).toEqual(rows.map((r) => Number(r.id)));
      for (const row of rows) {
        const entry = cache.get(Number(row.id));
        expect(entry).toMatchObject({ tenantId: h.tenantId, integrationId: run.integrationId, runId: run.runId, step: STEP, stream: STEP, parentKey: null, recordCount: row.record_count, requestUrl: row.request_url, requestParams: row.request_params });
        expect(JSON.parse(entry!.payload)).toEqual(row.payload);
      }
    } finally {
      cache.close();
    }
    // The next test needs the extract queue to itself.
    await stages.pop()!.stop();
  }, 90_000);

  it('finishes a run with exact counts when the cache path is broken, counting every failed cache write', async () => {
    writeFileSync(join(home, 'a-file'), 'not a directory');
    const errors: Error[] = [];
    const stage = await startExtractStage(h, { rawCachePath: join(home, 'a-file', 'cache', 'raw-cache.sqlite') }, { onCacheError: (e) => errors.push(e) });
    stages.push(stage);
    const run = await h.createRun({ pages: 6, pageSize: 5 });
    expect(await h.waitForRunEnd(run.runId)).toBe('succeeded');
    const o = await h.outcome(run);
    expect(o).toMatchObject({ state: 'succeeded', items: 30, itemsWithLineage: 30, rawUnits: 6, byStatus: { loaded: 6 } });
    expect(o.counters).toEqual([{ step: STEP, units: 6, extracted: 30, transformed: 30, loaded: 30, failed: 0, skipped: 0, pending: 0 }]);
    expect(stage.services.cache?.stats()).toMatchObject({ written: 0, failed: 6 });
    expect(errors).toHaveLength(6);
    expect(stage.consumer.stats()).toMatchObject({ failed: 0, retried: 0, deadLettered: 0 });
  }, 90_000);
});
