// Over 300 lines on purpose: one file of behaviour tests for the one RawCache class (round trip,
// filters, search with and without FTS5, eviction, reopen, corruption); splitting would scatter its fixtures.
import { mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

import { COMPRESS_FROM } from './payload-codec';
import { RawCache, RawCacheCorruptError, rawCachePath, type RawCacheOptions } from './raw-cache';
import type { RawCacheUnitInput } from './raw-cache-schema';

const dirs: string[] = [];
const caches: RawCache[] = [];
afterEach(() => {
  for (const c of caches.splice(0)) c.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const tempPath = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-raw-cache-'));
  dirs.push(dir);
  return rawCachePath(dir);
};

const open = (path = tempPath(), options: RawCacheOptions = {}): RawCache => {
  const cache = RawCache.open(path, options);
  caches.push(cache);
  return cache;
};

const unit = (rawId: number, over: Partial<RawCacheUnitInput> = {}): RawCacheUnitInput => ({
  rawId,
  tenantId: 1,
  integrationId: 10,
  runId: 100,
  step: 'issues',
  stream: 'issues',
  requestUrl: 'https://example.atlassian.net/rest/api/3/search/jql',
  requestParams: { jql: 'project = ABC', maxResults: 100 },
  parentKey: null,
  status: 'pending',
  recordCount: 1,
  payload: JSON.stringify({ issues: [{ key: `ABC-${rawId}`, fields: { summary: `issue number ${rawId}` } }] }),
  fetchedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, rawId)),
  ...over,
});

/** A Jira-like search page of roughly `bytes` bytes. */
const bigPayload = (bytes: number): string => {
  const issues: string[] = [];
  for (let i = 0, size = 0; size < bytes; i++) {
    const issue = JSON.stringify({ key: `BIG-${i}`, fields: { summary: `Large page issue ${i}`, description: 'x'.repeat(200), status: { name: 'In Progress' } } });
    issues.push(issue);
    size += issue.length + 1;
  }
  return `{"startAt":0,"issues":[${issues.join(',')}]}`;
};

describe('RawCache put/get', () => {
  it('round-trips unicode and large payloads with their metadata, compressing the large one', () => {
    const cache = open();
    const unicode = JSON.stringify({ summary: 'Zoë Ångström — 数据 — 🚀 \u0000 "quoted"', nested: { 'ключ': ['ü', '\u2028'] } });
    const big = bigPayload(3 * 1024 * 1024);
    cache.putMany([unit(1, { payload: unicode, parentKey: 'ABC-1', status: 'failed' }), unit(2, { payload: big, recordCount: 999 })]);

    const small = cache.get(1)!;
    expect(small.payload).toBe(unicode);
    expect(small).toMatchObject({ rawId: 1, tenantId: 1, integrationId: 10, runId: 100, parentKey: 'ABC-1', status: 'failed', compressed: false });
    expect(small.requestParams).toEqual({ jql: 'project = ABC', maxResults: 100 });
    expect(small.payloadBytes).toBe(Buffer.byteLength(unicode));
    expect(small.fetchedAt).toBe('2026-01-01T00:00:01.000Z');

    const large = cache.get(2)!;
    expect(large.payload).toBe(big);
    expect(large.compressed).toBe(true);
    expect(large.recordCount).toBe(999);
    expect(large.payloadBytes).toBe(Buffer.byteLength(big));
    // Compression pays for large JSON: the budget cost is a fraction of the text.
    expect(large.storedBytes).toBeLessThan(large.payloadBytes / 2);
    expect(cache.get(3)).toBeNull();
  });

  it('keeps payloads just under the compression threshold plain', () => {
    const cache = open();
    const payload = JSON.stringify({ pad: 'a'.repeat(COMPRESS_FROM - 20) });
    cache.put(unit(1, { payload }));
    expect(cache.get(1)).toMatchObject({ compressed: false, payload });
  });

  it('upserts by raw id and keeps the totals equal to the rows', () => {
    const path = tempPath();
    const cache = open(path);
    cache.put(unit(1));
    cache.put(unit(1, { status: 'loaded', payload: bigPayload(50_000) }));
    cache.put(unit(2));
    expect(cache.stats().units).toBe(2);
    expect(cache.get(1)).toMatchObject({ status: 'loaded', compressed: true });
    const sumOfRows = () => {
      const raw = new Database(path, { readonly: true });
      const sum = raw.prepare('SELECT count(*) AS units, coalesce(sum(stored_bytes), 0) AS bytes FROM raw_units').get() as { units: number; bytes: number };
      raw.close();
      return sum;
    };
    expect(cache.stats()).toMatchObject(sumOfRows());
    cache.evict(1);
    expect(cache.stats()).toMatchObject(sumOfRows());
    cache.putMany([unit(3), unit(4), unit(3, { payload: '{"v":2}' })]);
    expect(cache.stats()).toMatchObject({ ...sumOfRows(), units: 2 });
    cache.close();

    // Rows deleted by hand (an engineer debugging) make the totals drift; the next open recounts.
    const raw = new Database(path);
    raw.prepare('DELETE FROM raw_units WHERE raw_id = 3').run();
    raw.close();
    expect(open(path).stats()).toMatchObject({ ...sumOfRows(), units: 1 });
  });

  it('rejects an invalid unit with the field named, writing nothing of the batch', () => {
    const cache = open();
    expect(() => cache.putMany([unit(1), unit(2, { runId: -5 })])).toThrow(/runId/);
    expect(cache.stats().units).toBe(0);
  });

  it('mirrors a status change without touching the payload', () => {
    const cache = open();
    cache.putMany([unit(1), unit(2)]);
    expect(cache.setStatus([1, 2, 3], 'transformed')).toBe(2);
    expect(cache.get(2)).toMatchObject({ status: 'transformed', payload: unit(2).payload });
  });
});

describe('RawCache list', () => {
  const seed = (cache: RawCache) =>
    cache.putMany([
      unit(1, { integrationId: 10, runId: 100, step: 'issues', stream: 'issues', status: 'loaded', payload: JSON.stringify({ key: 'ABC-123', summary: 'Crème brûlée export fails' }) }),
      unit(2, { integrationId: 10, runId: 100, step: 'issues', stream: 'changelog', parentKey: 'ABC-123', status: 'failed', payload: JSON.stringify({ items: [{ field: 'status', toString: 'Done' }] }) }),
      unit(3, { integrationId: 10, runId: 101, step: 'sprints', stream: 'sprints', status: 'pending', payload: JSON.stringify({ values: [{ name: 'Sprint 7 tea' }] }) }),
      unit(4, { integrationId: 20, runId: 200, step: 'pulls', stream: 'pulls', status: 'loaded', payload: bigPayload(200_000).replace('Large page issue 5"', 'Large page issue 5 needle-in-haystack"') }),
      unit(5, { integrationId: 20, runId: 200, step: 'pulls', stream: 'reviews', status: 'skipped', payload: '{"state":"APPROVED"}' }),
    ]);
  const ids = (r: { items: { rawId: number }[] }) => r.items.map((i) => i.rawId);

  it('uses FTS5 in this better-sqlite3 build', () => {
    expect(open().stats().search).toBe('fts5');
  });

  it('filters by integration, run, step, stream, parent, status and date range, newest first', () => {
    const cache = open();
    seed(cache);
    expect(ids(cache.list())).toEqual([5, 4, 3, 2, 1]);
    expect(ids(cache.list({ integrationId: 10 }))).toEqual([3, 2, 1]);
    expect(ids(cache.list({ runId: 100, stream: 'changelog' }))).toEqual([2]);
    expect(ids(cache.list({ step: 'pulls' }))).toEqual([5, 4]);
    expect(ids(cache.list({ parentKey: 'ABC-123' }))).toEqual([2]);
    expect(ids(cache.list({ status: 'loaded' }))).toEqual([4, 1]);
    expect(ids(cache.list({ status: ['failed', 'skipped'] }))).toEqual([5, 2]);
    expect(ids(cache.list({ fetchedFrom: '2026-01-01T00:00:02Z', fetchedBefore: new Date(Date.UTC(2026, 0, 1, 0, 0, 4)) }))).toEqual([3, 2]);
    expect(ids(cache.list({ tenantId: 2 }))).toEqual([]);
    expect(cache.list({}, { limit: 1 }).items[0]).not.toHaveProperty('payload');
  });

  it('pages with a cursor without gaps or repeats', () => {
    const cache = open();
    seed(cache);
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = cache.list({}, { limit: 2, cursor });
      seen.push(...ids(page));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([5, 4, 3, 2, 1]);
    expect(() => cache.list({}, { cursor: 'bogus' })).toThrow(/cursor/);
  });

  for (const fullTextSearch of [true, false]) {
    it(`finds text in payloads, compressed ones included (${fullTextSearch ? 'FTS5' : 'LIKE fallback'})`, () => {
      const cache = open(tempPath(), { fullTextSearch });
      seed(cache);
      expect(cache.stats().search).toBe(fullTextSearch ? 'fts5' : 'like');
      expect(ids(cache.list({ text: 'ABC-123' }))).toEqual([1]);
      expect(ids(cache.list({ text: 'needle-in-haystack' }))).toEqual([4]);
      expect(ids(cache.list({ text: 'APPROVED', integrationId: 20 }))).toEqual([5]);
      expect(ids(cache.list({ text: 'Sprint 7' }))).toEqual([3]);
      expect(ids(cache.list({ text: 'no such words here' }))).toEqual([]);
      if (fullTextSearch) {
        // Word semantics: accent- and case-insensitive, last word as a prefix.
        expect(ids(cache.list({ text: 'creme BRULEE' }))).toEqual([1]);
        expect(ids(cache.list({ text: 'ABC-12' }))).toEqual([1]);
      } else {
        expect(ids(cache.list({ text: 'ème brû' }))).toEqual([1]);
      }
      // Punctuation-only text has no word for FTS5 and is matched as a substring.
      expect(ids(cache.list({ text: '[{"' }))).toEqual([4, 3, 2]);
    });
  }

  it('treats search text literally, never as FTS5 query syntax', () => {
    const cache = open();
    seed(cache);
    for (const text of ['a"b OR (c*', 'NEAR(x y)', '"', 'issues: -x ^y', "'; DROP TABLE raw_units; --"]) {
      expect(() => cache.list({ text })).not.toThrow();
    }
    expect(ids(cache.list({ text: '"APPROVED"' }))).toEqual([5]);
    expect(cache.stats().units).toBe(5);
  });

  it('indexes units cached by a build without FTS5 when a build with it opens the file', () => {
    const path = tempPath();
    const old = open(path, { fullTextSearch: false });
    seed(old);
    old.close();
    const cache = open(path);
    expect(cache.stats().search).toBe('fts5');
    expect(ids(cache.list({ text: 'needle-in-haystack' }))).toEqual([4]);
    expect(ids(cache.list({ text: 'ABC-123' }))).toEqual([1]);
  });

  it('drops evicted units from the search index', () => {
    const cache = open();
    seed(cache);
    cache.evict(0);
    expect(cache.stats().units).toBe(0);
    expect(ids(cache.list({ text: 'ABC' }))).toEqual([]);
  });
});

describe('RawCache budget', () => {
  it('evicts least recently accessed units first, never the one just written', () => {
    let clock = 1_000;
    const path = tempPath();
    const probe = open(path, { now: () => clock });
    probe.put(unit(1));
    const unitCost = probe.stats().bytes;
    probe.close();

    // Room for three units.
    const cache = open(path, { budgetBytes: unitCost * 3 + 10, now: () => ++clock });
    cache.put(unit(2));
    cache.put(unit(3));
    expect(cache.get(1)).not.toBeNull(); // 1 is now the most recently used
    expect(cache.put(unit(4))).toEqual({ written: 1, evicted: 1 });
    expect(ids(cache)).toEqual([1, 3, 4]); // 2 was the least recently accessed

    // A unit larger than the whole budget evicts everything else but stays itself.
    const huge = cache.put(unit(5, { payload: bigPayload(400_000) }));
    expect(huge.evicted).toBe(3);
    expect(ids(cache)).toEqual([5]);
    expect(cache.stats().bytes).toBeGreaterThan(cache.budgetBytes);

    // A batch spares all of its own units.
    cache.evict(0);
    const batch = cache.putMany([1, 2, 3, 4, 5, 6].map((id) => unit(id + 10)));
    expect(batch.evicted).toBe(0);
    expect(cache.stats().units).toBe(6);
    // The next single write brings the cache back under budget.
    cache.put(unit(20));
    expect(cache.stats().bytes).toBeLessThanOrEqual(cache.budgetBytes);
    expect(ids(cache)).toEqual([15, 16, 20]);

    function ids(c: RawCache) {
      return c.list({}, { limit: 100 }).items.map((i) => i.rawId).sort((a, b) => a - b);
    }
  });

  it('refuses a budget that is not a positive number of bytes', () => {
    expect(() => RawCache.open(tempPath(), { budgetBytes: 0 })).toThrow(/positive number of bytes/);
  });
});

describe('RawCache file', () => {
  it('keeps data across reopen and stays in WAL mode', () => {
    const path = tempPath();
    const first = open(path);
    first.putMany([unit(1), unit(2, { payload: bigPayload(100_000) })]);
    const before = first.stats();
    first.close();
    const again = open(path);
    expect(again.stats()).toMatchObject({ units: 2, bytes: before.bytes, oldestFetchedAt: '2026-01-01T00:00:01.000Z', newestFetchedAt: '2026-01-01T00:00:02.000Z' });
    expect(again.get(2)?.payload).toBe(unit(2, { payload: bigPayload(100_000) }).payload);
    expect(again.list({ text: 'BIG-3' }).items.map((i) => i.rawId)).toEqual([2]);
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('says to delete a file that is not a database', () => {
    const path = tempPath();
    open(path).close();
    writeFileSync(path, 'this is not a SQLite database, just some garbage bytes'.repeat(100));
    rmSync(`${path}-wal`, { force: true });
    rmSync(`${path}-shm`, { force: true });
    expect(() => RawCache.open(path)).toThrow(RawCacheCorruptError);
    expect(() => RawCache.open(path)).toThrow(/unreadable .* only a cache: delete it/);
  });

  it('says to delete a file whose pages are damaged, when a query hits them', () => {
    const path = tempPath();
    const cache = open(path);
    cache.putMany(Array.from({ length: 300 }, (_, i) => unit(i + 1, { payload: bigPayload(5_000) })));
    cache.close();
    // Fold the WAL into the file, then overwrite everything after the first two pages.
    const raw = new Database(path);
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    const size = statSync(path).size;
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(size - 8192, 0xa5), 0, size - 8192, 8192);
    closeSync(fd);
    let error: unknown;
    try {
      open(path).list({ text: 'BIG' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RawCacheCorruptError);
    expect((error as Error).message).toMatch(/delete it/);
  });
});
