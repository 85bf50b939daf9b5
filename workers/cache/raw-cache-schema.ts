import { z } from 'zod';

/**
 * What the local raw cache stores and answers. It mirrors `raw_extraction_data` in Postgres
 * (migrations/postgres/0002): the ids are the Postgres ids, so the cache can always be refilled from
 * there. Inputs are parsed with these schemas because units arrive from extract workers and from the
 * console's inspector, i.e. across a thread or process boundary.
 */
const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const Key = z.string().min(1).max(200);
const Instant = z.union([z.date(), z.iso.datetime({ offset: true })]).transform((v) => (v instanceof Date ? v.getTime() : Date.parse(v)));

export const RawStatus = z.enum(['pending', 'transformed', 'loaded', 'failed', 'skipped']);
export type RawStatus = z.infer<typeof RawStatus>;

export const RawCacheUnitInput = z.strictObject({
  rawId: Id,
  tenantId: Id,
  integrationId: Id,
  runId: Id,
  step: Key,
  stream: Key,
  requestUrl: z.string().min(1).max(8192),
  requestParams: z.record(z.string(), z.unknown()).default({}),
  parentKey: z.string().min(1).max(500).nullable().default(null),
  status: RawStatus.default('pending'),
  recordCount: z.number().int().min(0).default(0),
  /** The API response body as JSON text, exactly as stored in Postgres; never re-serialised here. */
  payload: z.string(),
  /** When the API answered (the raw row's created_at). */
  fetchedAt: Instant,
});
/** What callers pass to `put`: optional fields may be omitted, `fetchedAt` is a Date or ISO string. */
export type RawCacheUnitInput = z.input<typeof RawCacheUnitInput>;
export type RawCacheUnit = z.output<typeof RawCacheUnitInput>;

/** A cached unit without its payload, as listed by the inspector. Times are ISO strings. */
export interface RawCacheSummary {
  readonly rawId: number;
  readonly tenantId: number;
  readonly integrationId: number;
  readonly runId: number;
  readonly step: string;
  readonly stream: string;
  readonly requestUrl: string;
  readonly requestParams: Record<string, unknown>;
  readonly parentKey: string | null;
  readonly status: RawStatus;
  readonly recordCount: number;
  /** Uncompressed UTF-8 size of the payload. */
  readonly payloadBytes: number;
  /** What the unit costs against the budget (compressed payload, metadata, search index estimate). */
  readonly storedBytes: number;
  readonly compressed: boolean;
  readonly fetchedAt: string;
  readonly cachedAt: string;
  readonly lastAccessedAt: string;
}

/** A cached unit with its payload (JSON text, decompressed). */
export interface RawCacheEntry extends RawCacheSummary {
  readonly payload: string;
}

export const RawCacheFilter = z.strictObject({
  tenantId: Id.optional(),
  integrationId: Id.optional(),
  runId: Id.optional(),
  step: Key.optional(),
  stream: Key.optional(),
  parentKey: z.string().min(1).max(500).optional(),
  status: z.union([RawStatus, z.array(RawStatus).min(1)]).optional(),
  /** Inclusive lower bound on fetchedAt. */
  fetchedFrom: Instant.optional(),
  /** Exclusive upper bound on fetchedAt. */
  fetchedBefore: Instant.optional(),
  /**
   * Text in the payload. With FTS5 it matches words as a phrase, the last word as a prefix
   * ("ABC-12" finds "ABC-123"), case and accent insensitive; without FTS5 it is a plain substring.
   */
  text: z.string().trim().min(1).max(500).optional(),
});
export type RawCacheFilter = z.input<typeof RawCacheFilter>;

export const RawCachePage = z.strictObject({
  limit: z.number().int().min(1).max(500).default(50),
  /** Opaque token from the previous page's `nextCursor`. */
  cursor: z.string().max(200).optional(),
});
export type RawCachePage = z.input<typeof RawCachePage>;

export interface RawCacheListResult {
  readonly items: RawCacheSummary[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

export interface RawCacheStats {
  readonly units: number;
  /** Sum of storedBytes, the figure the budget applies to. */
  readonly bytes: number;
  readonly budgetBytes: number;
  /** Pages of the database file in use (payloads, indexes, search index), for comparison. */
  readonly fileBytes: number;
  readonly oldestFetchedAt: string | null;
  readonly newestFetchedAt: string | null;
  /** How `text` filters run in this build. */
  readonly search: 'fts5' | 'like';
}
