import type pg from 'pg';
import { z } from 'zod';

import { PermanentError } from '../queue/errors';
import { planStreams, type ConnectorPlan } from '../../shared/connectors/plan';
import type { ChildPartition } from './connector';

/**
 * The SQL of streams and partitions (migration 0007): what the extract handler reads before a page,
 * writes with a page, and calls after it. A root partition is '' in the database and null in messages.
 */

type Queryable = Pick<pg.ClientBase, 'query'>;

export const dbPartition = (partition: string | null): string => partition ?? '';
export const messagePartition = (partition: string): string | null => (partition === '' ? null : partition);

const PartitionRow = z.object({
  step: z.string(),
  run_kind: z.string(),
  cursor: z.string().nullable(),
  pages: z.coerce.number(),
  watermark_from: z.date().nullable(),
  done: z.boolean(),
});

export interface PartitionState {
  /** The step the stream belongs to in this run. */
  readonly step: string;
  readonly runKind: string;
  /** The next page to fetch (null: the first). */
  readonly cursor: string | null;
  readonly pages: number;
  readonly watermarkFrom: string | null;
  readonly done: boolean;
}

/** The partition of a run's stream; null when the run has no such stream or partition (a wrong or stale message). */
export const readPartition = async (db: Queryable, runId: number, stream: string, partition: string | null): Promise<PartitionState | null> => {
  const res = await db.query(
    `SELECT s.step, r.kind AS run_kind, p.cursor, p.pages, p.watermark_from, p.done_at IS NOT NULL AS done
       FROM run_partitions p
       JOIN run_streams s ON s.run_id = p.run_id AND s.stream = p.stream
       JOIN runs r ON r.id = p.run_id
      WHERE p.run_id = $1 AND p.stream = $2 AND p.partition = $3`,
    [runId, stream, dbPartition(partition)],
  );
  if (res.rowCount === 0) return null;
  const row = PartitionRow.parse(res.rows[0]);
  return { step: row.step, runKind: row.run_kind, cursor: row.cursor, pages: row.pages, watermarkFrom: row.watermark_from?.toISOString() ?? null, done: row.done };
};

const StoredRow = z.object({ id: z.coerce.number(), status: z.string(), next_cursor: z.string().nullable() });

/** A page this run already stored under `pageKey` (a redelivered or duplicated extract message). */
export const findStoredPage = async (db: Queryable, runId: number, step: string, stream: string, pageKey: string): Promise<{ id: number; status: string; nextCursor: string | null } | null> => {
  const res = await db.query('SELECT id, status, next_cursor FROM raw_extraction_data WHERE run_id = $1 AND step = $2 AND stream = $3 AND page_key = $4', [runId, step, stream, pageKey]);
  if (res.rowCount === 0) return null;
  const row = StoredRow.parse(res.rows[0]);
  return { id: row.id, status: row.status, nextCursor: row.next_cursor };
};

/** Whether the page that asks for `cursor` is stored already (the chain has moved past it). */
export const pageStored = async (db: Queryable, runId: number, step: string, stream: string, pageKey: string): Promise<boolean> => {
  const res = await db.query('SELECT 1 FROM raw_extraction_data WHERE run_id = $1 AND step = $2 AND stream = $3 AND page_key = $4', [runId, step, stream, pageKey]);
  return (res.rowCount ?? 0) > 0;
};

/**
 * After a new page is stored (same transaction): the partition's cursor moves to the next page, or
 * the partition is done; the children it found are registered (duplicates ignored: a sprint named by
 * a hundred issues is fetched once), each with its own watermark on an incremental run. A child of a
 * stream that is not partitioned by this one is a connector bug, refused.
 */
export const advancePartition = async (
  client: Queryable,
  args: { runId: number; tenantId: number; integrationId: number; stream: string; partition: string | null; nextCursor: string | null; rawId: number; children: readonly ChildPartition[]; plan?: ConnectorPlan | null },
): Promise<void> => {
  const { runId, tenantId, integrationId, stream, partition, nextCursor, rawId, children, plan } = args;
  await client.query(
    `UPDATE run_partitions SET cursor = $4, pages = pages + 1, done_at = CASE WHEN $4::text IS NULL THEN now() END, updated_at = now()
      WHERE run_id = $1 AND stream = $2 AND partition = $3`,
    [runId, stream, dbPartition(partition), nextCursor],
  );
  if (children.length === 0) return;
  if (plan) {
    // The connector's own plan says which streams this one partitions: checked here, no round trip.
    const partitioned = new Set(planStreams(plan).filter((s) => s.partitionsFrom.includes(stream)).map((s) => s.name));
    const invalid = [...new Set(children.map((c) => c.stream))].filter((s) => !partitioned.has(s));
    if (invalid.length > 0) throw new PermanentError(`A ${stream} page named partitions of ${invalid.join(', ')}, which the plan does not partition by ${stream}; fix the connector.`);
  } else {
  const res = await client.query<{ stream: string; valid: boolean }>(
    `SELECT c.stream, (s.stream IS NOT NULL AND ($2 = ANY (s.producers) OR s.stream = $2)) AS valid
       FROM (SELECT DISTINCT jsonb_array_elements_text($3::jsonb) AS stream) c
       LEFT JOIN run_streams s ON s.run_id = $1 AND s.stream = c.stream`,
    [runId, stream, JSON.stringify(children.map((c) => c.stream))],
  );
  const invalid = res.rows.filter((r) => !r.valid).map((r) => r.stream);
  if (invalid.length > 0) throw new PermanentError(`A ${stream} page named partitions of ${invalid.join(', ')}, which this run's plan does not partition by ${stream}; fix the connector.`);
  }
  await client.query(
    `INSERT INTO run_partitions (run_id, tenant_id, stream, partition, cursor, source_raw_id, watermark_from)
     SELECT $1, $2, c.stream, c.partition, c.cursor, $4,
            CASE WHEN r.kind = 'incremental' AND s.incremental
                 THEN (SELECT ss.watermark FROM sync_state ss WHERE ss.integration_id = $5 AND ss.stream = c.stream AND ss.partition = c.partition) END
       FROM jsonb_to_recordset($3::jsonb) AS c(stream text, partition text, cursor text)
       JOIN runs r ON r.id = $1
       JOIN run_streams s ON s.run_id = $1 AND s.stream = c.stream
     ON CONFLICT (run_id, stream, partition) DO NOTHING`,
    [runId, tenantId, JSON.stringify(children.map((c) => ({ stream: c.stream, partition: c.partition, cursor: c.cursor ?? null }))), rawId, integrationId],
  );
};

/** The partitions a stored page registered, with the step of their stream: republished when that page is redelivered. */
export const partitionsFoundBy = async (db: Queryable, rawId: number): Promise<{ step: string; stream: string; partition: string; cursor: string | null; started: boolean }[]> => {
  const res = await db.query<{ step: string; stream: string; partition: string; cursor: string | null; started: boolean }>(
    `SELECT s.step, p.stream, p.partition, p.cursor, (p.pages > 0 OR p.done_at IS NOT NULL) AS started
       FROM run_partitions p JOIN run_streams s ON s.run_id = p.run_id AND s.stream = p.stream
      WHERE p.source_raw_id = $1 ORDER BY p.stream, p.partition`,
    [rawId],
  );
  return res.rows;
};

/** The partition gave up (an error retrying cannot fix): done, with the error, so the run can end `partial`. */
export const failPartition = async (client: Queryable, runId: number, stream: string, partition: string | null, error: Record<string, unknown>): Promise<void> => {
  await client.query(
    `UPDATE run_partitions SET done_at = coalesce(done_at, now()), error = $4::jsonb, updated_at = now()
      WHERE run_id = $1 AND stream = $2 AND partition = $3`,
    [runId, stream, dbPartition(partition), JSON.stringify(error)],
  );
};

/** Ends the stream (and what depends on it) if it is done; true when it is. Call after the commit that finished a partition. */
export const tryFinishStream = async (db: Queryable, runId: number, stream: string): Promise<boolean> => {
  const res = await db.query<{ done: boolean }>('SELECT sluice_try_finish_stream($1, $2) AS done', [runId, stream]);
  return res.rows[0]?.done === true;
};
