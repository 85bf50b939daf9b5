import type pg from 'pg';

/** Where a run stands, in one line: open streams and partitions, units by stream and status, units that were retried or failed, unsent outbox rows. */
export const runPicture = async (pool: Pick<pg.Pool, 'query'>, runId: number): Promise<string> => {
  const rows = async (sql: string): Promise<string> =>
    (await pool.query<Record<string, unknown>>(sql, [runId])).rows.map((r) => Object.values(r).join(' ')).join(', ') || 'none';
  return [
    `Open streams: ${await rows('SELECT stream FROM run_streams WHERE run_id = $1 AND done_at IS NULL ORDER BY ordinal')}.`,
    `Open partitions: ${await rows("SELECT stream || '/' || partition FROM run_partitions WHERE run_id = $1 AND done_at IS NULL LIMIT 20")}.`,
    `Units: ${await rows("SELECT stream || ':' || status, count(*) FROM raw_extraction_data WHERE run_id = $1 GROUP BY 1 ORDER BY 1")}.`,
    `Retried units: ${await rows("SELECT id, stream, status, attempts, coalesce(error->>'reason', '-'), left(coalesce(error->>'message', ''), 160) FROM raw_extraction_data WHERE run_id = $1 AND (attempts > 1 OR error IS NOT NULL) ORDER BY id LIMIT 5")}.`,
    `Outbox: ${await rows('SELECT count(*) FROM queue_outbox WHERE run_id = $1')}.`,
  ].join(' ');
};
