import type pg from 'pg';

import { ApiError } from '../../../shared/contract/errors';
import type { RunSummary } from '../../../shared/contract/runs';
import { RUN_COLUMNS, toRunSummary } from './read';

/** Run history: newest first, filtered, keyset-paginated on (created_at, id). */

type Queryable = Pick<pg.ClientBase, 'query'>;

export interface RunFilter {
  readonly jobId?: number | undefined;
  readonly integrationId?: number | undefined;
  readonly states?: readonly string[] | undefined;
  readonly kinds?: readonly string[] | undefined;
  readonly triggers?: readonly string[] | undefined;
  readonly since?: string | undefined;
  readonly until?: string | undefined;
  readonly cursor?: string | undefined;
  readonly limit: number;
}

const encode = (createdAt: string, id: number): string => Buffer.from(`${createdAt}|${id}`).toString('base64url');

const decode = (cursor: string): { createdAt: string; id: number } => {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  // created_at as Postgres prints it (microseconds kept, so equal timestamps page exactly).
  if (!createdAt || !id || !/^\d+$/.test(id) || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/.test(createdAt)) {
    throw new ApiError('bad_request', 'The history cursor is not one this engine gave out; start again from the first page.', [{ path: 'cursor', message: 'invalid cursor' }]);
  }
  return { createdAt, id: Number(id) };
};

export const listRuns = async (db: Queryable, filter: RunFilter): Promise<{ runs: RunSummary[]; nextCursor: string | null }> => {
  const after = filter.cursor ? decode(filter.cursor) : null;
  const res = await db.query<Record<string, unknown> & { created_key: string; id: string }>(
    `SELECT ${RUN_COLUMNS}, r.created_at::text AS created_key FROM runs r
      WHERE ($1::bigint IS NULL OR r.job_id = $1) AND ($2::bigint IS NULL OR r.integration_id = $2)
        AND ($3::text[] IS NULL OR r.state = ANY ($3)) AND ($4::text[] IS NULL OR r.kind = ANY ($4)) AND ($5::text[] IS NULL OR r.trigger = ANY ($5))
        AND ($6::timestamptz IS NULL OR r.created_at >= $6) AND ($7::timestamptz IS NULL OR r.created_at < $7)
        AND ($8::timestamptz IS NULL OR (r.created_at, r.id) < ($8::timestamptz, $9::bigint))
      ORDER BY r.created_at DESC, r.id DESC LIMIT $10`,
    [filter.jobId ?? null, filter.integrationId ?? null, filter.states ?? null, filter.kinds ?? null, filter.triggers ?? null, filter.since ?? null, filter.until ?? null, after?.createdAt ?? null, after?.id ?? null, filter.limit + 1],
  );
  const page = res.rows.slice(0, filter.limit);
  const last = page.at(-1);
  return { runs: page.map((r) => toRunSummary(r)), nextCursor: res.rows.length > filter.limit && last ? encode(last.created_key, Number(last.id)) : null };
};
