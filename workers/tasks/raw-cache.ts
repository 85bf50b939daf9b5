import { existsSync } from 'node:fs';

import Database from 'better-sqlite3';

import type { TaskOutput, TaskParsedInput } from '../../shared/worker-protocol/tasks';
import { RawCache } from '../cache/raw-cache';
import { buildListQuery, decodeCursor, encodeCursor, toEntry, toSummary, type RawUnitRow } from '../cache/raw-cache-rows';
import { RawCacheFilter } from '../cache/raw-cache-schema';
import { ftsPhrase, likePattern, registerPayloadFunction } from '../cache/payload-search';

/**
 * The raw inspector's offline reads of the local cache (`raw.cache.*` tasks). Reads open the file
 * read-only, so looking at the cache never changes it (no LRU touch, no migration, no index build):
 * RawCache.open would do all three. The query building and row decoding are the cache's own
 * (raw-cache-rows.ts), so the inspector lists exactly what RawCache.list would.
 */

type Stats = TaskOutput<'raw.cache.read'>['stats'];
type Unit = TaskOutput<'raw.cache.read'>['units'][number];

class CacheMissingError extends Error {
  constructor(path: string) {
    super(`There is no local raw cache at ${path} yet: it fills as this machine's extract workers store pages and as you open units while Postgres is reachable.`);
  }
}

const openReadOnly = (path: string): Database.Database => {
  if (!existsSync(path)) throw new CacheMissingError(path);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, timeout: 5_000 });
  } catch (error) {
    throw new Error(`The local raw cache ${path} cannot be opened (${error instanceof Error ? error.message : String(error)}); it is only a cache: delete it and it will be rebuilt.`);
  }
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name IN ('raw_units', 'raw_totals', 'raw_units_fts')").pluck().all() as string[];
  if (!tables.includes('raw_units') || !tables.includes('raw_totals')) {
    db.close();
    throw new Error(`The local raw cache ${path} has no raw units table (an unfinished or foreign file); delete it and Sluice will start a new one.`);
  }
  registerPayloadFunction(db);
  return db;
};

const withCache = <T>(path: string, fn: (db: Database.Database, search: Stats['search']) => T): T => {
  const db = openReadOnly(path);
  try {
    const search = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'raw_units_fts'").get() ? 'fts5' : 'like';
    return fn(db, search);
  } finally {
    db.close();
  }
};

const statsOf = (db: Database.Database, search: Stats['search']): Stats => {
  const totals = (db.prepare('SELECT units, bytes FROM raw_totals WHERE id = 1').get() as { units: number; bytes: number } | undefined) ?? { units: 0, bytes: 0 };
  return { units: totals.units, bytes: totals.bytes, search };
};

const toUnit = (row: Omit<RawUnitRow, 'payload'> & { payload?: Buffer }): Unit => {
  const summary = toSummary(row);
  const unit: Unit = {
    rawId: summary.rawId,
    integrationId: summary.integrationId,
    runId: summary.runId,
    step: summary.step,
    stream: summary.stream,
    requestUrl: summary.requestUrl,
    parentKey: summary.parentKey,
    status: summary.status,
    recordCount: summary.recordCount,
    payloadBytes: summary.payloadBytes,
    fetchedAt: summary.fetchedAt,
    cursor: encodeCursor(row.fetched_at, row.raw_id),
  };
  return row.payload ? { ...unit, payload: toEntry(row as RawUnitRow).payload } : unit;
};

export const cacheRead = async (input: TaskParsedInput<'raw.cache.read'>): Promise<TaskOutput<'raw.cache.read'>> =>
  withCache(input.path, (db, search) => {
    const { statuses, ...rest } = input.filter;
    const filter = RawCacheFilter.parse({ ...rest, ...(statuses ? { status: statuses } : {}) });
    let after: { fetchedAt: number; rawId: number } | null = null;
    try {
      after = input.cursor ? decodeCursor(input.cursor) : null;
    } catch (error) {
      throw new Error(`The offline page cursor is not valid (${error instanceof Error ? error.message : String(error)}).`);
    }
    let text: { sql: string; value: string } | null = null;
    if (filter.text !== undefined) {
      const phrase = search === 'fts5' ? ftsPhrase(filter.text) : null;
      text = phrase
        ? { sql: 'raw_id IN (SELECT rowid FROM raw_units_fts WHERE raw_units_fts MATCH @text)', value: phrase }
        : { sql: "sluice_payload_text(encoding, payload) LIKE @text ESCAPE '\\'", value: likePattern(filter.text) };
    }
    const { sql, params } = buildListQuery(filter, after, text, input.limit + 1);
    // Payloads are read per unit after the page is known: the list query never touches them.
    const rows = db.prepare(sql).all(params) as Omit<RawUnitRow, 'payload'>[];
    const page = rows.slice(0, input.limit);
    const payloadOf = db.prepare('SELECT encoding, payload FROM raw_units WHERE raw_id = ?');
    const units = page.map((row) => (input.withPayloads ? toUnit({ ...row, ...(payloadOf.get(row.raw_id) as { encoding: string; payload: Buffer }) }) : toUnit(row)));
    const last = rows.length > input.limit ? page.at(-1) : undefined;
    let total: number | null = null;
    if (input.withTotal) {
      const all = buildListQuery(filter, null, text, Number.MAX_SAFE_INTEGER);
      total = (db.prepare(`SELECT count(*) AS n FROM (${all.sql})`).get(all.params) as { n: number }).n;
    }
    return { units, nextCursor: last ? encodeCursor(last.fetched_at, last.raw_id) : null, total, stats: statsOf(db, search) };
  });

export const cacheGet = async (input: TaskParsedInput<'raw.cache.get'>): Promise<TaskOutput<'raw.cache.get'>> =>
  withCache(input.path, (db, search) => {
    const row = db.prepare('SELECT * FROM raw_units WHERE raw_id = ? AND tenant_id = ?').get(input.rawId, input.tenantId) as RawUnitRow | undefined;
    return { unit: row ? toUnit(row) : null, stats: statsOf(db, search) };
  });

export const cacheFacets = async (input: TaskParsedInput<'raw.cache.facets'>): Promise<TaskOutput<'raw.cache.facets'>> =>
  withCache(input.path, (db, search) => {
    const runs = db
      .prepare(
        `SELECT run_id, integration_id, count(*) AS units, sum(status = 'failed') AS failed, max(fetched_at) AS newest
           FROM raw_units WHERE tenant_id = ? GROUP BY run_id, integration_id ORDER BY newest DESC LIMIT 200`,
      )
      .all(input.tenantId) as { run_id: number; integration_id: number; units: number; failed: number; newest: number }[];
    const streams = db
      .prepare('SELECT DISTINCT integration_id, step, stream FROM raw_units WHERE tenant_id = ? ORDER BY integration_id, step, stream')
      .all(input.tenantId) as { integration_id: number; step: string; stream: string }[];
    return {
      runs: runs.map((r) => ({ runId: r.run_id, integrationId: r.integration_id, units: r.units, failed: r.failed, newest: new Date(r.newest).toISOString() })),
      streams: streams.map((s) => ({ integrationId: s.integration_id, step: s.step, stream: s.stream })),
      stats: statsOf(db, search),
    };
  });

/** The one write: units opened online go into the cache through RawCache itself (budget, index, totals). */
export const cachePut = async (input: TaskParsedInput<'raw.cache.put'>): Promise<TaskOutput<'raw.cache.put'>> => {
  const cache = RawCache.open(input.path);
  try {
    return cache.putMany(input.units);
  } finally {
    cache.close();
  }
};
