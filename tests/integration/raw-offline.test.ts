import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BundleHeader } from '../../shared/contract/bundles';
import { OFFLINE_LIMITS } from '../../shared/contract/raw';
import { createPool } from '../../main/engine/db/pool';
import { rawHandlers } from '../../main/engine/handlers/raw';
import { createTaskRunner } from '../../main/engine/tasks';
import type { CallContext } from '../../main/engine/types';
import { migratePostgres } from '../../main/migrate/postgres';
import { waitFor } from './queue-harness';
import { createTestDatabase, type TestDatabase } from './support/database';
import { testTaskEntry } from './support/entries';

/**
 * The inspector with Postgres unreachable: units opened while it was up were put in the local SQLite
 * cache, and with the database gone the same calls answer from that cache, read-only and marked
 * (`source: 'cache'`, `offline` with the reason), while what needs Postgres refuses and says why.
 */
describe('raw inspector offline: the local cache stands in for Postgres', () => {
  const tasks = createTaskRunner(testTaskEntry());
  let db: TestDatabase;
  let pool: pg.Pool;
  let dead: pg.Pool;
  let home: string;
  let cachePath: string;
  let ctx: CallContext;
  const ids: number[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('rawoff');
    await migratePostgres(db.url);
    pool = createPool(db.url, 3);
    home = mkdtempSync(join(tmpdir(), 'sluice-raw-off-'));
    cachePath = join(home, 'cache', 'raw-cache.sqlite');
    const tenantId = (await pool.query<{ id: number }>("INSERT INTO tenants (name) VALUES ('Offline') RETURNING id")).rows[0]!.id;
    ctx = { transport: 'test', tenantId, principal: 'test' };
    const integrationId = (
      await pool.query<{ id: string }>("INSERT INTO integrations (tenant_id, provider, name, base_url, settings) VALUES ($1, 'github', 'synthetic', 'https://synthetic.invalid', $2) RETURNING id", [
        tenantId,
        { connector: 'synthetic', synthetic: { pages: 3, pageSize: 2, suffix: '-mapped' } },
      ])
    ).rows[0]!.id;
    const runId = (await pool.query<{ id: string }>("INSERT INTO runs (tenant_id, integration_id, kind, trigger, state, finished_at) VALUES ($1, $2, 'full_refresh', 'manual', 'partial', now()) RETURNING id", [tenantId, integrationId])).rows[0]!.id;
    for (const page of [0, 1, 2]) {
      const payload = { page, poison: false, records: [0, 1].map((i) => ({ id: page * 2 + i, value: `item-${page * 2 + i}` })) };
      const res = await pool.query<{ id: string }>(
        `INSERT INTO raw_extraction_data (tenant_id, integration_id, run_id, step, stream, request_url, payload, payload_bytes, record_count, status, error)
         VALUES ($1, $2, $3, 'items', 'items', $4, $5, 60, 2, $6, $7) RETURNING id`,
        [tenantId, integrationId, runId, `synthetic://items?page=${page}`, payload, page === 1 ? 'failed' : 'loaded', page === 1 ? { message: 'boom', stage: 'transform' } : null],
      );
      ids.push(Number(res.rows[0]!.id));
    }
    dead = createPool('postgres://nobody:nothing@127.0.0.1:1/gone', 1);
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
    await dead?.end();
    await db?.drop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const online = () => rawHandlers({ pool, tasks, databaseUrl: db.url, cachePath });
  const offline = (p: pg.Pool | null = dead) => rawHandlers({ pool: p, tasks, databaseUrl: null, cachePath });

  it('says there is no cache yet when Postgres is gone before anything was cached', async () => {
    await expect(offline()['raw.list']({ limit: 10, withTotal: false }, ctx)).rejects.toThrow(/Postgres is unreachable.*There is no local raw cache at/s);
  });

  it('answers from the cache what was opened online, read-only and marked, and refuses what needs Postgres', async () => {
    // Opening units online puts them in the cache (in the background).
    for (const id of [ids[0]!, ids[1]!]) await online()['raw.get']({ id }, ctx);
    await waitFor('the opened units in the cache', async () => {
      const got = await Promise.all([ids[0]!, ids[1]!].map((rawId) => tasks.run('raw.cache.get', { path: cachePath, tenantId: ctx.tenantId!, rawId }).catch(() => null)));
      return got.every((g) => g?.unit);
    }, 30_000);
    const touched = () => new Database(cachePath, { readonly: true }).prepare('SELECT raw_id, last_accessed_at FROM raw_units ORDER BY raw_id').all();
    const before = touched();

    const raw = offline();
    const page = await raw['raw.list']({ limit: 10, withTotal: true }, ctx);
    expect(page).toMatchObject({ source: 'cache', total: 2, offline: { reason: expect.stringMatching(/^Postgres is unreachable/), cachePath, cachedUnits: 2, search: 'fts5' } });
    expect(page.units.map((u) => u.id)).toEqual([ids[1], ids[0]]);
    expect(page.units[0]).toMatchObject({ status: 'failed', attempts: null, error: null, stream: 'items', recordCount: 2 });
    expect((await raw['raw.list']({ statuses: ['failed'], limit: 10, withTotal: false }, ctx)).units.map((u) => u.id)).toEqual([ids[1]]);
    expect((await raw['raw.list']({ text: 'item-0', limit: 10, withTotal: false }, ctx)).units.map((u) => u.id)).toEqual([ids[0]]);
    const paged = await raw['raw.list']({ limit: 1, withTotal: false }, ctx);
    expect((await raw['raw.list']({ limit: 1, withTotal: false, cursor: paged.nextCursor! }, ctx)).units.map((u) => u.id)).toEqual([ids[0]]);
    await expect(raw['raw.list']({ errorText: 'boom', limit: 10, withTotal: false }, ctx)).rejects.toThrow(OFFLINE_LIMITS.errorText);

    const got = await raw['raw.get']({ id: ids[0]! }, ctx);
    expect(JSON.parse(got.payload)).toEqual({ page: 0, poison: false, records: [{ id: 0, value: 'item-0' }, { id: 1, value: 'item-1' }] });
    expect(got).toMatchObject({ source: 'cache', records: { key: 'id', noun: 'item' } });
    await expect(raw['raw.get']({ id: ids[2]! }, ctx)).rejects.toThrow(/not in this machine's raw cache/);

    const preview = await raw['raw.preview']({ id: ids[0]! }, ctx);
    expect(preview).toMatchObject({ source: 'cache', connector: 'synthetic', mappingsUsed: false, error: null });
    // No mappings offline: the suffix (the synthetic stand-in for a mapping) is not applied.
    expect(preview.tables['synthetic_items']).toEqual([{ external_id: '0', value: 'item-0' }, { external_id: '1', value: 'item-1' }]);

    const facets = await raw['raw.facets']({}, ctx);
    expect(facets).toMatchObject({ source: 'cache', integrations: [{ name: null }], runs: [{ failed: 1 }], tables: [] });
    const exported = await raw['raw.export']({ maxBytes: 1024 * 1024 }, ctx);
    expect(exported.lines).toBe(2);
    const [head, ...units] = exported.content.trim().split('\n');
    expect(BundleHeader.parse(JSON.parse(head!))).toMatchObject({ tenantId: ctx.tenantId, integration: null, source: 'cache' });
    expect(units.map((l) => (JSON.parse(l) as { rawId: number }).rawId)).toEqual([ids[1], ids[0]]);

    for (const [call, limit] of [
      [() => raw['raw.lineage']({ id: ids[0]!, limit: 5 }, ctx), OFFLINE_LIMITS.lineage],
      [() => raw['raw.reprocess']({ ids: [ids[1]!] }, ctx), OFFLINE_LIMITS.reprocess],
      [() => raw['raw.versions']({ id: ids[0]!, key: 0, limit: 5 }, ctx), OFFLINE_LIMITS.versions],
    ] as const) {
      await expect(call()).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining(limit) });
    }
    expect(touched()).toEqual(before); // reading never changed the cache
  }, 60_000);

  it('uses the cache when no database is configured at all', async () => {
    const page = await offline(null)['raw.list']({ limit: 10, withTotal: false }, ctx);
    expect(page).toMatchObject({ source: 'cache', offline: { reason: expect.stringMatching(/not configured/) } });
    expect(page.units).toHaveLength(2);
  });
});
