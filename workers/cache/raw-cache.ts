import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

import Database from 'better-sqlite3';

import { encodePayload } from './payload-codec';
import { ftsPhrase, likePattern, setupSearch, type SearchMode } from './payload-search';
import { buildListQuery, decodeCursor, encodeCursor, toEntry, toSummary, type RawUnitRow } from './raw-cache-rows';
import {
  RawCacheFilter,
  RawCachePage,
  RawCacheUnitInput,
  RawStatus,
  type RawCacheEntry,
  type RawCacheListResult,
  type RawCacheStats,
  type RawCacheUnit,
} from './raw-cache-schema';
import { migrateSqlite } from './sqlite-migrate';

/** 2 GiB: months of history for a typical tenant once large pages are compressed. */
export const DEFAULT_BUDGET_BYTES = 2 * 1024 ** 3;

/**
 * Budget cost of the full-text index per payload byte. The index is not compressed, so it is most of
 * the file for large pages; measured on generated Jira pages (scripts/bench-cache.ts): about 0.3.
 */
const FTS_BYTES_PER_PAYLOAD_BYTE = 0.3;
/** Per-row overhead of the table and its five indexes, roughly. */
const ROW_OVERHEAD_BYTES = 200;

/** One file per Sluice home. */
export const rawCachePath = (home: string): string => join(home, 'cache', 'raw-cache.sqlite');

export interface RawCacheOptions {
  /** Size budget; least recently accessed units are evicted past it. Default DEFAULT_BUDGET_BYTES. */
  readonly budgetBytes?: number;
  /** Set false to force the LIKE fallback (tests of builds without FTS5). Default true. */
  readonly fullTextSearch?: boolean;
  /** Clock in ms, injectable so tests can order accesses. */
  readonly now?: () => number;
}

export interface WriteResult {
  readonly written: number;
  readonly evicted: number;
}

/** The cache file cannot be read. It is only a cache, so the fix is always to delete it. */
export class RawCacheCorruptError extends Error {
  override readonly name = 'RawCacheCorruptError';
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`The raw cache file ${path} is unreadable (${why}); it is only a cache: delete it (and its -wal/-shm files) and Sluice will start a new one.`, { cause });
  }
}

const isCorruption = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(err.code);

/**
 * The local SQLite cache of raw units (DESIGN.md section 3): written on extract, read by the
 * inspector and by re-transform previews, bounded by a size budget. Synchronous like better-sqlite3:
 * callers are worker threads, never the Electron main process.
 */
export class RawCache {
  private readonly stmts;

  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
    readonly search: SearchMode,
    readonly budgetBytes: number,
    private readonly now: () => number,
  ) {
    this.stmts = {
      upsert: db.prepare(`INSERT INTO raw_units (raw_id, tenant_id, integration_id, run_id, step, stream, request_url, request_params,
          parent_key, status, record_count, encoding, payload, payload_bytes, stored_bytes, fetched_at, cached_at, last_accessed_at)
        VALUES (@rawId, @tenantId, @integrationId, @runId, @step, @stream, @requestUrl, @requestParams,
          @parentKey, @status, @recordCount, @encoding, @payload, @payloadBytes, @storedBytes, @fetchedAt, @now, @now)
        ON CONFLICT (raw_id) DO UPDATE SET tenant_id = excluded.tenant_id, integration_id = excluded.integration_id,
          run_id = excluded.run_id, step = excluded.step, stream = excluded.stream, request_url = excluded.request_url,
          request_params = excluded.request_params, parent_key = excluded.parent_key, status = excluded.status,
          record_count = excluded.record_count, encoding = excluded.encoding, payload = excluded.payload,
          payload_bytes = excluded.payload_bytes, stored_bytes = excluded.stored_bytes, fetched_at = excluded.fetched_at,
          cached_at = excluded.cached_at, last_accessed_at = excluded.last_accessed_at`),
      ftsDelete: search === 'fts5' ? db.prepare('DELETE FROM raw_units_fts WHERE rowid = ?') : null,
      ftsInsert: search === 'fts5' ? db.prepare('INSERT INTO raw_units_fts (rowid, payload) VALUES (?, ?)') : null,
      get: db.prepare('SELECT * FROM raw_units WHERE raw_id = ?'),
      touch: db.prepare('UPDATE raw_units SET last_accessed_at = ? WHERE raw_id = ?'),
      totals: db.prepare('SELECT units, bytes FROM raw_totals WHERE id = 1'),
      addTotals: db.prepare('UPDATE raw_totals SET units = units + ?, bytes = bytes + ? WHERE id = 1'),
      storedBytes: db.prepare('SELECT stored_bytes FROM raw_units WHERE raw_id = ?').pluck(),
      lru: db.prepare('SELECT raw_id, stored_bytes FROM raw_units ORDER BY last_accessed_at, raw_id'),
      recount: db.prepare(`UPDATE raw_totals SET (units, bytes) = (SELECT count(*), coalesce(sum(stored_bytes), 0) FROM raw_units)
        WHERE id = 1 AND units <> (SELECT count(*) FROM raw_units)`),
      remove: db.prepare('DELETE FROM raw_units WHERE raw_id = ?'),
      setStatus: db.prepare('UPDATE raw_units SET status = ? WHERE raw_id = ?'),
      range: db.prepare('SELECT min(fetched_at) AS oldest, max(fetched_at) AS newest FROM raw_units'),
    };
  }

  /** Opens (creating and migrating if needed) the cache file in WAL mode. */
  static open(path: string, options: RawCacheOptions = {}): RawCache {
    const budget = options.budgetBytes ?? DEFAULT_BUDGET_BYTES;
    if (!Number.isSafeInteger(budget) || budget <= 0) throw new Error(`The raw cache budget must be a positive number of bytes; got ${budget}.`);
    mkdirSync(dirname(path), { recursive: true });
    let db: Database.Database | undefined;
    try {
      // Worker threads and other processes share the file: wait for their write locks, do not fail.
      db = new Database(path, { timeout: 10_000 });
      // WAL lets the inspector read while an extract worker writes; NORMAL is durable enough for
      // a cache (a power cut may lose the last commits, never corrupt the file).
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('cache_size = -16000');
      migrateSqlite(db);
      const search = setupSearch(db, options.fullTextSearch ?? true);
      const cache = new RawCache(db, path, search, budget, options.now ?? Date.now);
      cache.stmts.recount.run();
      return cache;
    } catch (err) {
      db?.close();
      throw isCorruption(err) ? new RawCacheCorruptError(path, err) : err;
    }
  }

  /** Stores or replaces one unit (by raw id), then enforces the budget without evicting it. */
  put(unit: RawCacheUnitInput): WriteResult {
    return this.putMany([unit]);
  }

  /** Stores units in one transaction (one commit), then enforces the budget sparing all of them. */
  putMany(units: readonly RawCacheUnitInput[]): WriteResult {
    const parsed = units.map((u) => RawCacheUnitInput.parse(u));
    return this.guard(() =>
      this.db
        .transaction((): WriteResult => {
          const now = this.now();
          const written = new Set<number>();
          const delta = { units: 0, bytes: 0 };
          for (const unit of parsed) {
            this.write(unit, now, delta);
            written.add(unit.rawId);
          }
          this.stmts.addTotals.run(delta.units, delta.bytes);
          return { written: written.size, evicted: this.enforceBudget(written) };
        })
        .immediate(),
    );
  }

  /** The unit with its payload, or null when not cached; marks it recently used. */
  get(rawId: number): RawCacheEntry | null {
    return this.guard(() => {
      const row = this.stmts.get.get(rawId) as RawUnitRow | undefined;
      if (!row) return null;
      const now = this.now();
      this.stmts.touch.run(now, rawId);
      return toEntry({ ...row, last_accessed_at: now });
    });
  }

  /** Units matching the inspector's filters, newest fetched first, without payloads. */
  list(filter: RawCacheFilter = {}, page: RawCachePage = {}): RawCacheListResult {
    const f = RawCacheFilter.parse(filter);
    const p = RawCachePage.parse(page);
    const after = p.cursor === undefined ? null : decodeCursor(p.cursor);
    let text: { sql: string; value: string } | null = null;
    if (f.text !== undefined) {
      const phrase = this.search === 'fts5' ? ftsPhrase(f.text) : null;
      text = phrase
        ? { sql: 'raw_id IN (SELECT rowid FROM raw_units_fts WHERE raw_units_fts MATCH @text)', value: phrase }
        : { sql: "sluice_payload_text(encoding, payload) LIKE @text ESCAPE '\\'", value: likePattern(f.text) };
    }
    const { sql, params } = buildListQuery(f, after, text, p.limit + 1);
    return this.guard(() => {
      const rows = this.db.prepare(sql).all(params) as Omit<RawUnitRow, 'payload'>[];
      const items = rows.slice(0, p.limit).map(toSummary);
      const last = rows.length > p.limit ? rows[p.limit - 1] : undefined;
      return { items, nextCursor: last ? encodeCursor(last.fetched_at, last.raw_id) : null };
    });
  }

  /** Mirrors a status change made in Postgres without rewriting the payload. Returns rows changed. */
  setStatus(rawIds: readonly number[], status: RawStatus): number {
    const s = RawStatus.parse(status);
    return this.guard(() => this.db.transaction(() => rawIds.reduce((n, id) => n + this.stmts.setStatus.run(s, id).changes, 0)).immediate());
  }

  stats(): RawCacheStats {
    return this.guard(() => {
      const totals = this.stmts.totals.get() as { units: number; bytes: number };
      const range = this.stmts.range.get() as { oldest: number | null; newest: number | null };
      const pages = (this.db.pragma('page_count', { simple: true }) as number) - (this.db.pragma('freelist_count', { simple: true }) as number);
      const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
      return {
        units: totals.units,
        bytes: totals.bytes,
        budgetBytes: this.budgetBytes,
        fileBytes: pages * (this.db.pragma('page_size', { simple: true }) as number),
        oldestFetchedAt: iso(range.oldest),
        newestFetchedAt: iso(range.newest),
        search: this.search,
      };
    });
  }

  /**
   * Evicts least recently accessed units until the cache is within `targetBytes` (default: the
   * budget). Writes do this by themselves; call it after lowering the budget or to free space.
   */
  evict(targetBytes: number = this.budgetBytes): number {
    return this.guard(() => this.db.transaction(() => this.enforceBudget(new Set(), targetBytes)).immediate());
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Upserts one unit and adds what it changed to `delta` (the caller applies it once per batch). */
  private write(unit: RawCacheUnit, now: number, delta: { units: number; bytes: number }): void {
    const encoded = encodePayload(unit.payload);
    const requestParams = JSON.stringify(unit.requestParams);
    const meta = unit.step.length + unit.stream.length + unit.requestUrl.length + requestParams.length + (unit.parentKey?.length ?? 0);
    const fts = this.search === 'fts5' ? Math.ceil(encoded.payloadBytes * FTS_BYTES_PER_PAYLOAD_BYTE) : 0;
    const storedBytes = encoded.data.length + meta + ROW_OVERHEAD_BYTES + fts;
    const previous = this.stmts.storedBytes.get(unit.rawId) as number | undefined;
    this.stmts.upsert.run({ ...unit, requestParams, encoding: encoded.encoding, payload: encoded.data, payloadBytes: encoded.payloadBytes, storedBytes, now });
    delta.units += previous === undefined ? 1 : 0;
    delta.bytes += storedBytes - (previous ?? 0);
    // Drop the index entry of a replaced version (a no-op costing ~1 µs when the unit is new).
    this.stmts.ftsDelete?.run(unit.rawId);
    this.stmts.ftsInsert?.run(unit.rawId, unit.payload);
  }

  /** Deletes LRU units (sparing `keep`) until total bytes <= target. Runs inside the caller's transaction. */
  private enforceBudget(keep: ReadonlySet<number>, targetBytes: number = this.budgetBytes): number {
    const { bytes } = this.stmts.totals.get() as { bytes: number };
    const excess = bytes - targetBytes;
    if (excess <= 0) return 0;
    const victims: number[] = [];
    let freed = 0;
    // Collect first: better-sqlite3 cannot write while a statement is iterating.
    for (const row of this.stmts.lru.iterate() as Iterable<{ raw_id: number; stored_bytes: number }>) {
      if (keep.has(row.raw_id)) continue;
      victims.push(row.raw_id);
      freed += row.stored_bytes;
      if (freed >= excess) break;
    }
    for (const id of victims) this.stmts.remove.run(id);
    this.stmts.addTotals.run(-victims.length, -freed);
    return victims.length;
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw isCorruption(err) ? new RawCacheCorruptError(this.path, err) : err;
    }
  }
}
