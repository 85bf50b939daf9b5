import type { z } from 'zod';

import { decodePayload } from './payload-codec';
import type { RawCacheEntry, RawCacheFilter, RawCacheSummary, RawStatus } from './raw-cache-schema';

/** A raw_units row as better-sqlite3 returns it (see migrations/sqlite/0002_raw_units.sql). */
export interface RawUnitRow {
  raw_id: number;
  tenant_id: number;
  integration_id: number;
  run_id: number;
  step: string;
  stream: string;
  request_url: string;
  request_params: string;
  parent_key: string | null;
  status: RawStatus;
  record_count: number;
  encoding: string;
  payload: Buffer;
  payload_bytes: number;
  stored_bytes: number;
  fetched_at: number;
  cached_at: number;
  last_accessed_at: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export const toSummary = (r: Omit<RawUnitRow, 'payload'>): RawCacheSummary => ({
  rawId: r.raw_id,
  tenantId: r.tenant_id,
  integrationId: r.integration_id,
  runId: r.run_id,
  step: r.step,
  stream: r.stream,
  requestUrl: r.request_url,
  requestParams: JSON.parse(r.request_params) as Record<string, unknown>,
  parentKey: r.parent_key,
  status: r.status,
  recordCount: r.record_count,
  payloadBytes: r.payload_bytes,
  storedBytes: r.stored_bytes,
  compressed: r.encoding !== 'identity',
  fetchedAt: iso(r.fetched_at),
  cachedAt: iso(r.cached_at),
  lastAccessedAt: iso(r.last_accessed_at),
});

export const toEntry = (r: RawUnitRow): RawCacheEntry => ({ ...toSummary(r), payload: decodePayload(r.encoding, r.payload) });

/** Keyset cursor over (fetched_at DESC, raw_id DESC): stable while new units arrive. */
export const encodeCursor = (fetchedAt: number, rawId: number): string => Buffer.from(`${fetchedAt}:${rawId}`).toString('base64url');

export const decodeCursor = (cursor: string): { fetchedAt: number; rawId: number } => {
  const m = /^(-?\d+):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw new Error('The raw cache page cursor is not one this cache issued; start again from the first page.');
  return { fetchedAt: Number(m[1]), rawId: Number(m[2]) };
};

type ParsedFilter = z.output<typeof RawCacheFilter>;

/** Every column but the payload: a page of 1 MB payloads must not be read to list it. */
const SUMMARY_COLUMNS = `raw_id, tenant_id, integration_id, run_id, step, stream, request_url, request_params, parent_key, status,
  record_count, encoding, payload_bytes, stored_bytes, fetched_at, cached_at, last_accessed_at`;

/** Builds the inspector query from parsed filters; every value is a bound parameter. */
export const buildListQuery = (
  f: ParsedFilter,
  after: { fetchedAt: number; rawId: number } | null,
  text: { sql: string; value: string } | null,
  limit: number,
): { sql: string; params: Record<string, unknown> } => {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit };
  const eq = (column: string, name: keyof RawCacheFilter, value: unknown) => {
    if (value === undefined) return;
    where.push(`${column} = @${name}`);
    params[name] = value;
  };
  eq('tenant_id', 'tenantId', f.tenantId);
  eq('integration_id', 'integrationId', f.integrationId);
  eq('run_id', 'runId', f.runId);
  eq('step', 'step', f.step);
  eq('stream', 'stream', f.stream);
  eq('parent_key', 'parentKey', f.parentKey);
  if (f.status !== undefined) {
    const statuses = Array.isArray(f.status) ? f.status : [f.status];
    where.push(`status IN (${statuses.map((_, i) => `@status${i}`).join(', ')})`);
    statuses.forEach((s, i) => (params[`status${i}`] = s));
  }
  if (f.fetchedFrom !== undefined) {
    where.push('fetched_at >= @fetchedFrom');
    params.fetchedFrom = f.fetchedFrom;
  }
  if (f.fetchedBefore !== undefined) {
    where.push('fetched_at < @fetchedBefore');
    params.fetchedBefore = f.fetchedBefore;
  }
  if (after) {
    where.push('(fetched_at < @afterAt OR (fetched_at = @afterAt AND raw_id < @afterId))');
    params.afterAt = after.fetchedAt;
    params.afterId = after.rawId;
  }
  if (text) {
    where.push(text.sql);
    params.text = text.value;
  }
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  return { sql: `SELECT ${SUMMARY_COLUMNS} FROM raw_units ${clause} ORDER BY fetched_at DESC, raw_id DESC LIMIT @limit`, params };
};
