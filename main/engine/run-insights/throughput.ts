import type pg from 'pg';
import { z } from 'zod';

import type { RunThroughput, ThroughputPoint } from '../../../shared/contract/run-insights';

/**
 * The run detail's throughput chart, from the run's raw units alone: a unit's `created_at` is when
 * its page was stored (extracted), and a loaded unit's `updated_at` is when its load committed (the
 * last move of a loaded unit; an explicit reprocess moves it again, which is then the load that
 * counts). Bucketed in SQL; nothing is written per record or per progress event to draw it.
 */

type Queryable = Pick<pg.ClientBase, 'query'>;

/** Bucket widths a person reads easily. */
const NICE_SECONDS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];

export const bucketSecondsFor = (durationMs: number, maxBuckets: number): number => {
  const wanted = Math.max(1, Math.ceil(durationMs / 1000 / maxBuckets));
  return NICE_SECONDS.find((s) => s >= wanted) ?? Math.ceil(wanted / 86400) * 86400;
};

const Row = z.object({ at: z.date(), extracted: z.coerce.number(), loaded: z.coerce.number(), failed: z.coerce.number() });

/** Fills the buckets between `from` and `to` (both inclusive) that had no activity with zeros. */
export const fillBuckets = (rows: ThroughputPoint[], fromMs: number, toMs: number, bucketSeconds: number): ThroughputPoint[] => {
  const step = bucketSeconds * 1000;
  const start = Math.floor(fromMs / step) * step;
  const byAt = new Map(rows.map((r) => [Date.parse(r.at), r]));
  const points: ThroughputPoint[] = [];
  const last = Math.max(start, Math.floor(toMs / step) * step, ...[...byAt.keys()]);
  for (let t = start; t <= last && points.length < 5000; t += step) {
    points.push(byAt.get(t) ?? { at: new Date(t).toISOString(), extracted: 0, loaded: 0, failed: 0 });
  }
  return points;
};

export const readThroughput = async (db: Queryable, run: { id: number; startedAt: string | null; createdAt: string; finishedAt: string | null; totals: { units: number } }, maxBuckets: number, now = Date.now()): Promise<RunThroughput> => {
  const from = Date.parse(run.startedAt ?? run.createdAt);
  const to = run.finishedAt ? Date.parse(run.finishedAt) : now;
  const bucketSeconds = bucketSecondsFor(Math.max(0, to - from), maxBuckets);
  const res = await db.query(
    `SELECT to_timestamp(floor(extract(epoch FROM x.ts) / $2) * $2) AS at,
            sum(x.extracted) AS extracted, sum(x.loaded) AS loaded, sum(x.failed) AS failed
       FROM (SELECT d.created_at AS ts, d.record_count AS extracted, 0 AS loaded, 0 AS failed FROM raw_extraction_data d WHERE d.run_id = $1
             UNION ALL
             SELECT d.updated_at, 0, d.record_count, 0 FROM raw_extraction_data d WHERE d.run_id = $1 AND d.status = 'loaded'
             UNION ALL
             SELECT d.updated_at, 0, 0, 1 FROM raw_extraction_data d WHERE d.run_id = $1 AND d.status = 'failed') x
      GROUP BY 1 ORDER BY 1`,
    [run.id, bucketSeconds],
  );
  const rows = res.rows.map((r: unknown) => {
    const row = Row.parse(r);
    return { at: row.at.toISOString(), extracted: row.extracted, loaded: row.loaded, failed: row.failed };
  });
  // Finished runs keep their totals after raw retention deleted the units: say so rather than draw a flat line.
  const unitsGone = rows.length === 0 && run.totals.units > 0;
  return { runId: run.id, bucketSeconds, points: rows.length === 0 ? [] : fillBuckets(rows, from, to, bucketSeconds), unitsGone };
};
