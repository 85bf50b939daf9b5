import type pg from 'pg';

/**
 * Republishing a run's open work through the queue outbox (migration 0007), for resume, recovery on
 * engine start and the sweep of runs without activity. Everything it sends is idempotent downstream:
 * an extract finds its page by page key and does not fetch it twice, a transform or load of a unit
 * that moved on does nothing, so a duplicate of a message still in a queue is harmless.
 */

type Queryable = Pick<pg.ClientBase, 'query'>;

export interface Republished {
  readonly extracts: number;
  readonly transforms: number;
  readonly loads: number;
}

/**
 * Inside the caller's transaction: an extract from its saved cursor for every partition not done,
 * a transform for every `pending` unit and a load for every `transformed` one; wakes the relays.
 */
export const republishOpenWork = async (client: Queryable, run: { id: number; tenantId: number; integrationId: number }): Promise<Republished> => {
  const extracts = await client.query(
    `INSERT INTO queue_outbox (tenant_id, run_id, stage, message, message_id)
     SELECT $1, $2, 'extract',
            jsonb_build_object('v', 1, 'kind', 'extract', 'tenantId', $1::int, 'integrationId', $3::bigint, 'runId', $2::bigint, 'stepKey', s.step,
                               'stream', p.stream, 'partition', nullif(p.partition, ''), 'cursor', p.cursor, 'attempt', 1),
            left('extract-' || $2 || '-' || p.stream || '-' || p.partition || '-' || coalesce(p.cursor, 'first'), 200)
       FROM run_partitions p JOIN run_streams s ON s.run_id = p.run_id AND s.stream = p.stream
      WHERE p.run_id = $2 AND p.done_at IS NULL
      ORDER BY s.ordinal, p.partition`,
    [run.tenantId, run.id, run.integrationId],
  );
  const units = await client.query<{ stage: string; n: string }>(
    `WITH sent AS (
       INSERT INTO queue_outbox (tenant_id, run_id, stage, message, message_id)
       SELECT $1, $2, CASE d.status WHEN 'pending' THEN 'transform' ELSE 'load' END,
              jsonb_build_object('v', 1, 'kind', CASE d.status WHEN 'pending' THEN 'transform' ELSE 'load' END, 'tenantId', $1::int,
                                 'integrationId', $3::bigint, 'runId', $2::bigint, 'stepKey', d.step, 'attempt', 1, 'rawId', d.id),
              CASE d.status WHEN 'pending' THEN 'transform-' ELSE 'load-' END || d.id
         FROM raw_extraction_data d
        WHERE d.run_id = $2 AND d.tenant_id = $1 AND d.status IN ('pending', 'transformed')
        ORDER BY d.id
       RETURNING stage)
     SELECT stage, count(*) AS n FROM sent GROUP BY stage`,
    [run.tenantId, run.id, run.integrationId],
  );
  const count = (stage: string): number => Number(units.rows.find((r) => r.stage === stage)?.n ?? 0);
  const result = { extracts: extracts.rowCount ?? 0, transforms: count('transform'), loads: count('load') };
  if (result.extracts + result.transforms + result.loads > 0) await client.query('NOTIFY sluice_outbox');
  return result;
};

/**
 * Finishes streams whose last partition ended but whose finish call was lost (a crash between the
 * commit and `sluice_try_finish_stream`), in plan order so producers finish before their consumers.
 */
export const finishDoneStreams = async (client: Queryable, runId: number): Promise<void> => {
  await client.query(
    `SELECT sluice_try_finish_stream($1, s.stream) FROM (SELECT stream FROM run_streams WHERE run_id = $1 AND done_at IS NULL ORDER BY ordinal) s`,
    [runId],
  );
};

/** The run's completion check (migration 0007); the terminal state it set, or null. */
export const tryComplete = async (db: Queryable, runId: number): Promise<string | null> => {
  const res = await db.query<{ state: string | null }>('SELECT sluice_try_complete_run($1) AS state', [runId]);
  return res.rows[0]?.state ?? null;
};
