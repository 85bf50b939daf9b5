import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { rawHandlers } from '../../main/engine/handlers/raw';
import { createTaskRunner } from '../../main/engine/tasks';
import { unitsOf } from '../../main/cli/commands/transform';
import { parseBundleText } from '../../main/engine/bundles/parse';
import { BundleStore } from '../../main/engine/bundles/store';
import { bundleHandlers } from '../../main/engine/handlers/bundles';
import { BundleHeader } from '../../shared/contract/bundles';
import { createJobsHarness, type JobsHarness } from './jobs-harness';
import { testTaskEntry } from './support/entries';

/**
 * The raw inspector's API on real Postgres, RabbitMQ and worker threads (synthetic connector, whose
 * `settings.synthetic.suffix` stands in for a tenant mapping): list with filters, keyset cursor,
 * counts and text search; payload and lineage both ways; a re-transform whose mapping is invalid
 * fails its units, the preview shows why and, once the mapping is fixed, the rows it would produce;
 * reprocessing selected units moves them into a rerun_failed run and the old run's failed count drops;
 * versions of one entity across runs with their diff; NDJSON export that `sluice transform` reads.
 */
describe('raw inspector API', () => {
  let j: JobsHarness;
  let home: string;
  let raw: ReturnType<typeof rawHandlers>;
  let integrationId: number;
  let jobId: number;
  let firstRun: number;

  const setSuffix = (suffix: string) => j.h.pool.query(`UPDATE integrations SET settings = jsonb_set(settings, '{synthetic,suffix}', to_jsonb($2::text)) WHERE id = $1`, [integrationId, suffix]);
  const values = async (): Promise<string[]> =>
    (await j.h.pool.query<{ value: string }>('SELECT value FROM synthetic_items WHERE integration_id = $1 ORDER BY external_id::int', [integrationId])).rows.map((r) => r.value);

  beforeAll(async () => {
    j = await createJobsHarness('rawapi');
    await j.workers({ extract: 1, transform: 1, load: 1 });
    home = mkdtempSync(join(tmpdir(), 'sluice-raw-api-'));
    raw = rawHandlers({ pool: j.h.pool, tasks: createTaskRunner(testTaskEntry()), databaseUrl: j.databaseUrl, cachePath: join(home, 'cache', 'raw-cache.sqlite') });
    integrationId = await j.integration({ pages: 4, pageSize: 3, suffix: '' });
    jobId = await j.job(integrationId);
    firstRun = (await j.jobs['jobs.runNow']({ id: jobId, force: false }, j.ctx)).run.id;
    expect(await j.h.waitForRunEnd(firstRun)).toBe('succeeded');
  }, 120_000);
  afterAll(async () => {
    await j?.cleanup();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('lists units newest first with filters, an exact total, a keyset cursor and text search', async () => {
    const all = await raw['raw.list']({ integrationId, limit: 3, withTotal: true }, j.ctx);
    expect(all).toMatchObject({ total: 4, totalCapped: false, source: 'postgres', offline: null });
    expect(all.units).toHaveLength(3);
    const rest = await raw['raw.list']({ integrationId, limit: 3, withTotal: false, cursor: all.nextCursor! }, j.ctx);
    expect(rest.units).toHaveLength(1);
    expect(rest.nextCursor).toBeNull();
    const ids = [...all.units, ...rest.units].map((u) => u.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(4);
    expect(all.units.every((u) => u.status === 'loaded' && u.runId === firstRun && u.stream === 'items' && u.recordCount === 3)).toBe(true);

    const found = await raw['raw.list']({ integrationId, text: 'ITEM-7"', limit: 10, withTotal: true }, j.ctx);
    expect(found.units.map((u) => u.requestUrl)).toEqual(['synthetic://items?page=2']);
    expect(found).toMatchObject({ total: null, scanned: 4, nextCursor: null });
    expect((await raw['raw.list']({ integrationId, statuses: ['failed'], limit: 10, withTotal: true }, j.ctx)).total).toBe(0);
    expect((await raw['raw.list']({ integrationId, since: new Date(Date.now() + 60_000).toISOString(), limit: 10, withTotal: true }, j.ctx)).units).toEqual([]);
    await expect(raw['raw.list']({ cursor: 'bm9wZQ', limit: 10, withTotal: false }, j.ctx)).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('opens a payload and follows lineage both ways', async () => {
    const [unit] = (await raw['raw.list']({ integrationId, text: 'item-7"', limit: 1, withTotal: false }, j.ctx)).units;
    const got = await raw['raw.get']({ id: unit!.id }, j.ctx);
    expect(JSON.parse(got.payload)).toMatchObject({ page: 2, records: [{ id: 6 }, { id: 7 }, { id: 8 }] });
    expect(got).toMatchObject({ payloadOf: unit!.id, records: { path: ['records'], key: 'id', noun: 'item' } });

    const lineage = await raw['raw.lineage']({ id: unit!.id, limit: 20 }, j.ctx);
    expect(lineage.tables).toEqual([{ table: 'synthetic_items', count: 3, rows: expect.arrayContaining([expect.objectContaining({ external_id: '7', value: 'item-7', raw_id: unit!.id })]) }]);
    const origin = await raw['raw.origin']({ table: 'synthetic_items', column: 'external_id', value: '7' }, j.ctx);
    expect(origin.matches).toHaveLength(1);
    expect(origin.matches[0]!.unit?.id).toBe(unit!.id);
    await expect(raw['raw.origin']({ table: 'tenants', column: 'id', value: '1' }, j.ctx)).rejects.toMatchObject({ code: 'bad_request' });
    await expect(raw['raw.origin']({ table: 'synthetic_items', column: 'nope; drop', value: '1' }, j.ctx)).rejects.toThrow(/has no column/);
  });

  it('previews, fixes the mapping and reprocesses a failed unit: the run it failed in counts one failure less', async () => {
    // A mapping the transform refuses (the synthetic suffix is at most 50 characters), applied by a re-transform.
    await setSuffix('x'.repeat(60));
    const retransform = (await j.jobs['jobs.retransform']({ id: jobId }, j.ctx)).run.id;
    expect(await j.h.waitForRunEnd(retransform)).toBe('partial');
    const failed = await raw['raw.list']({ runId: retransform, statuses: ['failed'], limit: 10, withTotal: true }, j.ctx);
    expect(failed.total).toBe(4);
    expect(failed.units[0]!.error).toMatchObject({ stage: 'transform', message: expect.stringContaining('settings.synthetic is invalid') });
    expect((await raw['raw.list']({ errorText: 'SETTINGS.SYNTHETIC', limit: 10, withTotal: true }, j.ctx)).total).toBe(4);

    const unit = failed.units.find((u) => u.requestUrl.endsWith('page=1'))!;
    expect(unit.replayOf).not.toBeNull();
    const got = await raw['raw.get']({ id: unit.id }, j.ctx);
    expect(got.payloadOf).toBe(unit.replayOf);
    expect(JSON.parse(got.payload)).toMatchObject({ page: 1 });

    const refused = await raw['raw.preview']({ id: unit.id }, j.ctx);
    expect(refused).toMatchObject({ mappingsUsed: false, tables: {}, error: expect.stringContaining('settings.synthetic is invalid') });

    await setSuffix('-fixed');
    const preview = await raw['raw.preview']({ id: unit.id }, j.ctx);
    expect(preview).toMatchObject({ connector: 'synthetic', mappingsUsed: true, error: null });
    expect(preview.tables['synthetic_items']).toEqual([3, 4, 5].map((n) => ({ external_id: String(n), value: `item-${n}-fixed` })));
    expect((await values()).slice(3, 6)).toEqual(['item-3', 'item-4', 'item-5']); // the preview wrote nothing

    await expect(raw['raw.reprocess']({ ids: [unit.id, (await raw['raw.list']({ runId: firstRun, limit: 1, withTotal: false }, j.ctx)).units[0]!.id] }, j.ctx)).rejects.toThrow(/belong to runs/);
    const before = await raw['raw.runUnits']({ id: retransform }, j.ctx);
    expect(before.counts.failed).toBe(4);
    const done = await raw['raw.reprocess']({ ids: [unit.id] }, j.ctx);
    expect(done).toMatchObject({ sourceRunId: retransform, units: 1, pages: 0, run: { kind: 'rerun_failed', sourceRunId: retransform } });
    expect(await j.h.waitForRunEnd(done.run.id)).toBe('succeeded');
    const after = await raw['raw.runUnits']({ id: retransform }, j.ctx);
    expect(after.counts.failed).toBe(3);
    expect(after.reprocessedBy.map((r) => r.id)).toEqual([done.run.id]);
    expect((await raw['raw.runUnits']({ id: done.run.id }, j.ctx)).counts).toMatchObject({ loaded: 1, failed: 0, pending: 0 });
    const moved = await j.h.pool.query('SELECT run_id, status, reprocess_count FROM raw_extraction_data WHERE id = $1', [unit.id]);
    expect(moved.rows[0]).toEqual({ run_id: String(done.run.id), status: 'loaded', reprocess_count: 1 });
    expect((await values()).slice(3, 6)).toEqual(['item-3-fixed', 'item-4-fixed', 'item-5-fixed']);
  }, 90_000);

  it('finds the versions of one entity across runs and diffs them', async () => {
    const second = (await j.jobs['jobs.fullRefresh']({ id: jobId, confirm: true }, j.ctx)).run.id;
    expect(await j.h.waitForRunEnd(second)).toBe('succeeded');
    const [latest] = (await raw['raw.list']({ runId: second, text: 'item-7"', limit: 1, withTotal: false }, j.ctx)).units;
    // The source changed item 7 in a later page (as an API would between two runs).
    const changed = await j.h.pool.query<{ id: string }>(
      `INSERT INTO raw_extraction_data (tenant_id, integration_id, run_id, step, stream, request_url, payload, payload_bytes, record_count, status)
       SELECT tenant_id, integration_id, run_id, step, stream, request_url, jsonb_set(payload, '{records,1,value}', '"item-7-renamed"'), payload_bytes, record_count, 'loaded'
         FROM raw_extraction_data WHERE id = $1 RETURNING id`,
      [latest!.id],
    );
    const newest = Number(changed.rows[0]!.id);
    const versions = await raw['raw.versions']({ id: newest, key: 7, limit: 50 }, j.ctx);
    expect(versions.noun).toBe('item');
    expect(versions.versions.map((v) => v.unit.id)).toEqual([newest, latest!.id, expect.any(Number)]);
    expect(versions.versions.map((v) => v.record)).toEqual([{ id: 7, value: 'item-7-renamed' }, { id: 7, value: 'item-7' }, { id: 7, value: 'item-7' }]);
    const diff = await raw['raw.diff']({ beforeId: latest!.id, afterId: newest, key: 7 }, j.ctx);
    expect(diff.changes).toEqual([{ kind: 'changed', path: '$.value', before: 'item-7', after: 'item-7-renamed' }]);
    expect((await raw['raw.diff']({ beforeId: versions.versions[2]!.unit.id, afterId: latest!.id, key: 7 }, j.ctx)).changes).toEqual([]);
    await expect(raw['raw.versions']({ id: newest, limit: 50 }, j.ctx)).rejects.toThrow(/pass its id as `key`/);
    await expect(raw['raw.diff']({ beforeId: newest, afterId: newest, key: 999 }, j.ctx)).rejects.toMatchObject({ code: 'not_found' });
  }, 60_000);

  it('exports the filtered units as a .sluice bundle in chunks that sluice transform reads and the inspector opens', async () => {
    const expected = (await raw['raw.list']({ integrationId, limit: 500, withTotal: true }, j.ctx)).total!;
    const contents: string[] = [];
    let cursor: string | undefined;
    let chunks = 0;
    do {
      const chunk = await raw['raw.export']({ integrationId, maxBytes: 1024, ...(cursor ? { cursor } : {}) }, j.ctx);
      expect(chunk.filename).toMatch(/^sluice-raw-tenant-\d+-.*\.sluice$/);
      // The first chunk carries the header line on top of its units.
      expect(chunk.lines + (chunks === 0 ? 1 : 0)).toBe(chunk.content.split('\n').filter(Boolean).length);
      contents.push(chunk.content);
      cursor = chunk.nextCursor ?? undefined;
      chunks += 1;
    } while (cursor);
    expect(chunks).toBeGreaterThan(1);
    const [headerLine, ...lines] = contents.join('').split('\n').filter(Boolean);
    expect(BundleHeader.parse(JSON.parse(headerLine!))).toMatchObject({ tenantId: j.ctx.tenantId, integration: { id: integrationId, connector: 'synthetic' }, filter: { integrationId }, source: 'postgres' });
    expect(lines).toHaveLength(expected);
    const parsed = lines.map((l) => JSON.parse(l) as { rawId: number; stream: string; payload: { records: unknown[] } });
    expect(new Set(parsed.map((p) => p.rawId)).size).toBe(expected);
    // Replay copies export their original's payload, so every line has records.
    expect(parsed.every((p) => p.stream === 'items' && Array.isArray(p.payload.records))).toBe(true);
    // `sluice transform --file` skips the header; the inspector's bundle mode opens every unit.
    expect(unitsOf([JSON.parse(headerLine!), ...parsed], {})).toHaveLength(expected);
    const opened = await parseBundleText(contents.join(''), { fileName: 'x.sluice', maxBytes: 1 << 24 });
    expect(opened.units).toHaveLength(expected);
    expect(opened.problems).toEqual([]);
  });

  it('opens the exported bundle in bundle mode and previews a unit with its integration’s mappings only for its own tenant', async () => {
    let content = '';
    let cursor: string | undefined;
    do {
      const chunk = await raw['raw.export']({ integrationId, maxBytes: 4 * 1024 * 1024, ...(cursor ? { cursor } : {}) }, j.ctx);
      content += chunk.content;
      cursor = chunk.nextCursor ?? undefined;
    } while (cursor);
    const store = new BundleStore();
    const bundles = bundleHandlers({ store, pool: j.h.pool, tasks: createTaskRunner(testTaskEntry()), databaseUrl: j.databaseUrl });
    const info = store.add(await parseBundleText(content, { fileName: 'run.sluice', maxBytes: 1 << 24 }), { fileName: 'run.sluice', openedBy: 'upload', owner: 'olga', reveal: false });
    const ctx = { ...j.ctx, principal: 'olga' };
    // Page 2 and the re-transform copies that replay it hold item 7.
    const page = await bundles['bundle.units']({ bundleId: info.id, text: 'item-7"', limit: 10 }, ctx);
    expect(page.total).toBe((await raw['raw.list']({ integrationId, text: 'item-7"', limit: 50, withTotal: false }, j.ctx)).units.length);
    const unit = page.units[0]!;
    const got = await bundles['bundle.get']({ bundleId: info.id, id: unit.id }, ctx);
    expect(JSON.parse(got.payload)).toMatchObject({ records: expect.arrayContaining([{ id: 7, value: 'item-7' }]) });

    await setSuffix('-bundle');
    const mapped = await bundles['bundle.preview']({ bundleId: info.id, id: unit.id }, ctx);
    expect(mapped).toMatchObject({ connector: 'synthetic', mappingsUsed: true, mappingsNote: null, error: null });
    expect(mapped.tables['synthetic_items']).toContainEqual({ external_id: '7', value: 'item-7-bundle' });
    // Another tenant selected: that tenant cannot use this tenant's mappings, and is told why.
    const other = await bundles['bundle.preview']({ bundleId: info.id, id: unit.id }, { ...ctx, tenantId: ctx.tenantId! + 1000 });
    expect(other).toMatchObject({ mappingsUsed: false, mappingsNote: expect.stringMatching(new RegExp(`^The bundle is tenant ${ctx.tenantId}'s and the console has tenant ${ctx.tenantId! + 1000} selected`)) });
    expect(other.tables['synthetic_items']).toContainEqual({ external_id: '7', value: 'item-7' });
    // Another user of the same server does not see this upload.
    await expect(bundles['bundle.get']({ bundleId: info.id, id: unit.id }, { ...ctx, principal: 'mallory' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('keeps tenants apart', async () => {
    const other = (await j.h.pool.query<{ id: number }>("INSERT INTO tenants (name) VALUES ('Other') RETURNING id")).rows[0]!.id;
    const ctx = { ...j.ctx, tenantId: other };
    const [unit] = (await raw['raw.list']({ integrationId, limit: 1, withTotal: false }, j.ctx)).units;
    expect((await raw['raw.list']({ limit: 10, withTotal: true }, ctx)).total).toBe(0);
    await expect(raw['raw.get']({ id: unit!.id }, ctx)).rejects.toMatchObject({ code: 'not_found' });
    await expect(raw['raw.reprocess']({ ids: [unit!.id] }, ctx)).rejects.toMatchObject({ code: 'not_found' });
    expect((await raw['raw.origin']({ table: 'synthetic_items', column: 'external_id', value: '7' }, ctx)).matches).toEqual([]);
  });
});
