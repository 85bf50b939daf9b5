import type pg from 'pg';
import { z } from 'zod';

import { ApiError } from '../../../shared/contract/errors';
import type { RawFilter, RawUnitSummary } from '../../../shared/contract/raw';

/**
 * Raw units in Postgres (`raw_extraction_data`, migrations 0002/0005/0007) as the inspector lists
 * them (a re-transform copy with its original's payload size): filters as bound parameters, newest first, keyset-paginated on (created_at, id) with the
 * timestamp as Postgres prints it (microseconds kept, so equal times page exactly). Never reads a
 * payload to list: pages of 10 MB payloads must list as fast as small ones.
 */

export type Queryable = Pick<pg.ClientBase, 'query'>;

export const SUMMARY_COLUMNS = `d.id, d.integration_id, d.run_id, d.step, d.stream, d.parent_key, d.request_url, d.status, d.record_count,
  CASE WHEN d.replay_of IS NULL THEN d.payload_bytes ELSE (SELECT s.payload_bytes FROM raw_extraction_data s WHERE s.id = d.replay_of) END AS payload_bytes, d.attempts, d.reprocess_count, d.error, d.replay_of, d.created_at, d.created_at::text AS created_key`;

const Row = z.object({
  id: z.coerce.number(),
  integration_id: z.coerce.number(),
  run_id: z.coerce.number(),
  step: z.string(),
  stream: z.string(),
  parent_key: z.string().nullable(),
  request_url: z.string(),
  status: z.enum(['pending', 'transformed', 'loaded', 'failed', 'skipped']),
  record_count: z.coerce.number(),
  payload_bytes: z.coerce.number(),
  attempts: z.coerce.number(),
  reprocess_count: z.coerce.number(),
  error: z.unknown(),
  replay_of: z.coerce.number().nullable(),
  created_at: z.date(),
  created_key: z.string(),
});

const ErrorShape = z.looseObject({ message: z.string() });

export interface ListedUnit {
  readonly unit: RawUnitSummary;
  /** The keyset position of this unit: a cursor that continues right after it. */
  readonly cursor: string;
}

export const toListed = (raw: unknown): ListedUnit => {
  const r = Row.parse(raw);
  const error = r.error === null ? null : ErrorShape.safeParse(r.error);
  return {
    unit: {
      id: r.id,
      integrationId: r.integration_id,
      runId: r.run_id,
      step: r.step,
      stream: r.stream,
      parentKey: r.parent_key,
      requestUrl: r.request_url,
      status: r.status,
      recordCount: r.record_count,
      payloadBytes: r.payload_bytes,
      attempts: r.attempts,
      reprocessCount: r.reprocess_count,
      error: error === null ? null : error.success ? error.data : { message: JSON.stringify(r.error).slice(0, 2000) },
      replayOf: r.replay_of,
      createdAt: r.created_at.toISOString(),
    },
    cursor: encodeCursor(r.created_key, r.id),
  };
};

export const encodeCursor = (createdKey: string, id: number): string => Buffer.from(`${createdKey}|${id}`).toString('base64url');

export const decodeCursor = (cursor: string): { createdKey: string; id: number } => {
  const [createdKey, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!createdKey || !id || !/^\d{1,18}$/.test(id) || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/.test(createdKey)) {
    throw new ApiError('bad_request', 'The page cursor is not one this engine gave out (the cache and Postgres page differently); start again from the first page.', [
      { path: 'cursor', message: 'invalid cursor' },
    ]);
  }
  return { createdKey, id: Number(id) };
};

/** WHERE clauses for the filters (without `text`, which is scanned separately), appending to `params`. */
export const filterClauses = (tenantId: number, f: Omit<RawFilter, 'text'>, params: unknown[]): string[] => {
  const where: string[] = [];
  const add = (clause: (p: string) => string, value: unknown): void => {
    params.push(value);
    where.push(clause(`$${params.length}`));
  };
  // Explicit as well as by row-level security: it is what lets the planner use the tenant indexes.
  add((p) => `d.tenant_id = ${p}`, tenantId);
  if (f.integrationId !== undefined) add((p) => `d.integration_id = ${p}`, f.integrationId);
  if (f.runId !== undefined) add((p) => `d.run_id = ${p}`, f.runId);
  if (f.step !== undefined) add((p) => `d.step = ${p}`, f.step);
  if (f.stream !== undefined) add((p) => `d.stream = ${p}`, f.stream);
  if (f.parentKey !== undefined) add((p) => `d.parent_key = ${p}`, f.parentKey);
  if (f.statuses !== undefined) add((p) => `d.status = ANY (${p}::text[])`, f.statuses);
  if (f.since !== undefined) add((p) => `d.created_at >= ${p}::timestamptz`, f.since);
  if (f.until !== undefined) add((p) => `d.created_at < ${p}::timestamptz`, f.until);
  if (f.errorText !== undefined) add((p) => `strpos(lower(d.error::text), lower(${p})) > 0`, f.errorText);
  return where;
};

const afterClause = (cursor: string | undefined, params: unknown[]): string[] => {
  if (!cursor) return [];
  const after = decodeCursor(cursor);
  params.push(after.createdKey, after.id);
  return [`(d.created_at, d.id) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`];
};

/** One page in keyset order, without text search. */
export const listPage = async (db: Queryable, tenantId: number, f: RawFilter, cursor: string | undefined, limit: number): Promise<{ items: ListedUnit[]; more: boolean }> => {
  const params: unknown[] = [];
  const where = [...filterClauses(tenantId, f, params), ...afterClause(cursor, params)];
  params.push(limit + 1);
  const res = await db.query(`SELECT ${SUMMARY_COLUMNS} FROM raw_extraction_data d WHERE ${where.join(' AND ')} ORDER BY d.created_at DESC, d.id DESC LIMIT $${params.length}`, params);
  return { items: res.rows.slice(0, limit).map(toListed), more: res.rows.length > limit };
};

/** Matching units (text aside) counted up to `cap`, so a huge store answers in bounded time. */
export const countUnits = async (db: Queryable, tenantId: number, f: RawFilter, cap: number): Promise<number> => {
  const params: unknown[] = [];
  const where = filterClauses(tenantId, f, params);
  params.push(cap + 1);
  const res = await db.query<{ n: string }>(`SELECT count(*) AS n FROM (SELECT 1 FROM raw_extraction_data d WHERE ${where.join(' AND ')} LIMIT $${params.length}) c`, params);
  return Number(res.rows[0]?.n ?? 0);
};

export const SCAN_CHUNK = 2_000;

/**
 * Text search without an index (see README: a trigram index over every payload would cost more than
 * the raw store itself): candidates are read in keyset order a chunk at a time and their payload text
 * checked, until the page is full or `budgetMs` is spent. The cursor then continues after the last
 * unit looked at, so a rare term is searched progressively instead of timing out.
 */
export const searchPage = async (
  db: Queryable,
  tenantId: number,
  f: RawFilter & { text: string },
  cursor: string | undefined,
  limit: number,
  budgetMs: number,
): Promise<{ items: ListedUnit[]; nextCursor: string | null; scanned: number }> => {
  const started = Date.now();
  const items: ListedUnit[] = [];
  let scanned = 0;
  let position = cursor;
  for (;;) {
    const chunk = await listPage(db, tenantId, f, position, SCAN_CHUNK);
    const ids = chunk.items.map((i) => i.unit.id);
    if (ids.length === 0) return { items, nextCursor: null, scanned };
    const hit = await db.query<{ id: string }>(
      `SELECT d.id FROM raw_extraction_data d LEFT JOIN raw_extraction_data src ON src.id = d.replay_of
        WHERE d.id = ANY ($1::bigint[]) AND strpos(lower(coalesce(src.payload, d.payload)::text), lower($2)) > 0`,
      [ids, f.text],
    );
    const hits = new Set(hit.rows.map((r) => Number(r.id)));
    for (const candidate of chunk.items) {
      scanned += 1;
      if (!hits.has(candidate.unit.id)) continue;
      items.push(candidate);
      if (items.length === limit) return { items, nextCursor: candidate.cursor, scanned };
    }
    position = chunk.items.at(-1)!.cursor;
    if (!chunk.more) return { items, nextCursor: null, scanned };
    if (Date.now() - started >= budgetMs) return { items, nextCursor: position, scanned };
  }
};

/** A unit with its payload text; a re-transform copy carries its original's payload. */
export const readUnit = async (db: Queryable, id: number): Promise<{ listed: ListedUnit; payload: string; payloadOf: number; requestParams: Record<string, unknown>; tenantId: number }> => {
  const res = await db.query(
    `SELECT ${SUMMARY_COLUMNS}, d.tenant_id, d.request_params, coalesce(src.payload, d.payload)::text AS payload_text, coalesce(src.id, d.id) AS payload_of
       FROM raw_extraction_data d LEFT JOIN raw_extraction_data src ON src.id = d.replay_of WHERE d.id = $1`,
    [id],
  );
  const row = res.rows[0] as (Record<string, unknown> & { payload_text: string; payload_of: string; request_params: Record<string, unknown>; tenant_id: number }) | undefined;
  if (!row) throw new ApiError('not_found', `Raw unit ${id} does not exist in this tenant (retention may have removed it); pick one from the list.`);
  return { listed: toListed(row), payload: row.payload_text, payloadOf: Number(row.payload_of), requestParams: row.request_params, tenantId: row.tenant_id };
};

/** Summaries of the given units (missing ids are left out). */
export const readSummaries = async (db: Queryable, ids: readonly number[]): Promise<Map<number, RawUnitSummary>> => {
  if (ids.length === 0) return new Map();
  const res = await db.query(`SELECT ${SUMMARY_COLUMNS} FROM raw_extraction_data d WHERE d.id = ANY ($1::bigint[])`, [[...new Set(ids)]]);
  return new Map(res.rows.map((r) => toListed(r)).map((l) => [l.unit.id, l.unit]));
};
