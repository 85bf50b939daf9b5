import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { RawCache, type RawCacheOptions } from '../cache/raw-cache';
import { ExtractCache, type CachedPage } from './extract-cache';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-extract-cache-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const page = (rawId: number, payload: unknown = { page: rawId, records: [{ id: rawId }] }): CachedPage => ({
  rawId,
  tenantId: 1,
  integrationId: 2,
  runId: 3,
  step: 'items',
  stream: 'items',
  requestUrl: `synthetic://items?page=${rawId}`,
  params: { page: rawId },
  parentKey: null,
  recordCount: 1,
  payloadJson: JSON.stringify(payload),
  fetchedAt: new Date('2026-11-25T12:00:00Z'),
});

describe('extract raw cache writes', () => {
  it('opens the file on the first write and stores the page with its lineage; a redelivery replaces it', async () => {
    const path = join(tempDir(), 'cache', 'raw-cache.sqlite');
    const cache = new ExtractCache({ path });
    expect(await cache.write(page(11))).toBe(true);
    expect(await cache.write(page(11, { page: 11, records: [], again: true }))).toBe(true);
    expect(await cache.write(page(12))).toBe(true);
    cache.close();

    const reader = RawCache.open(path);
    try {
      expect(reader.stats().units).toBe(2);
      expect(reader.get(11)).toMatchObject({ rawId: 11, tenantId: 1, integrationId: 2, runId: 3, step: 'items', requestUrl: 'synthetic://items?page=11', requestParams: { page: 11 }, status: 'pending', recordCount: 1 });
      expect(JSON.parse(reader.get(11)!.payload)).toEqual({ page: 11, records: [], again: true });
    } finally {
      reader.close();
    }
    expect(cache.stats()).toEqual({ written: 3, failed: 0, lastError: null });
  });

  it('never throws on a broken path: counts, reports, and tries the file again only after a while', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'not-a-dir'), 'x');
    let clock = 1_000;
    let opens = 0;
    const errors: Error[] = [];
    const cache = new ExtractCache({
      path: join(dir, 'not-a-dir', 'cache', 'raw-cache.sqlite'),
      reopenAfterMs: 30_000,
      now: () => clock,
      onError: (e) => errors.push(e),
      open: (p: string, o: RawCacheOptions) => {
        opens += 1;
        return RawCache.open(p, o);
      },
    });
    expect(await cache.write(page(1))).toBe(false);
    expect(await cache.write(page(2))).toBe(false);
    expect(opens).toBe(1);
    clock += 30_000;
    expect(await cache.write(page(3))).toBe(false);
    expect(opens).toBe(2);
    expect(cache.stats()).toMatchObject({ written: 0, failed: 3 });
    expect(errors).toHaveLength(3);
    expect(errors[0]!.message).toMatch(/^Raw unit 1 was stored in Postgres but not in the local raw cache \(.*\); the cache is refillable, the run goes on\.$/);
  });

  it('counts a failed write of an invalid unit without losing the open cache', async () => {
    const cache = new ExtractCache({ path: join(tempDir(), 'raw-cache.sqlite') });
    expect(await cache.write({ ...page(1), step: '' })).toBe(false);
    expect(await cache.write(page(2))).toBe(true);
    expect(cache.stats()).toMatchObject({ written: 1, failed: 1 });
    cache.close();
  });
});
