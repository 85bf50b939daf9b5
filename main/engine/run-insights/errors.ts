import type pg from 'pg';
import { z } from 'zod';

import type { ErrorGroup } from '../../../shared/contract/run-insights';
import { Stage } from '../../../shared/worker-protocol/protocol';

/**
 * A run's failures grouped by cause for the run detail: failed raw units by stage, reason, error name
 * and message with the numbers masked (so "page 7 fails" and "page 9 fails" are one cause), and
 * partitions whose extraction gave up. Each unit group carries some of its unit ids, which the
 * console links to the raw data inspector.
 */

type Queryable = Pick<pg.ClientBase, 'query'>;

const MAX_GROUPS = 50;

/** The message with what varies per unit masked: issue keys (CORE-12), then any number. */
const MASK = (alias: string): string => `regexp_replace(regexp_replace(coalesce(${alias}.error->>'message', ''), '[A-Z][A-Z0-9_]+-[0-9]+', 'KEY', 'g'), '[0-9]+', 'N', 'g')`;

const Row = z.object({
  stage: z.string().nullable(),
  reason: z.string().nullable(),
  name: z.string().nullable(),
  pattern: z.string(),
  sample: z.string().nullable(),
  count: z.coerce.number(),
  first_at: z.date().nullable(),
  last_at: z.date().nullable(),
  ids: z.array(z.coerce.number()).nullable(),
  partitions: z.array(z.object({ stream: z.string(), partition: z.string() })).nullable(),
});

const stageOf = (value: string | null): ErrorGroup['stage'] => {
  const parsed = Stage.safeParse(value);
  return parsed.success ? parsed.data : 'unknown';
};

const toGroup = (kind: ErrorGroup['kind'], raw: unknown): ErrorGroup => {
  const r = Row.parse(raw);
  return {
    key: `${kind}|${r.stage ?? ''}|${r.reason ?? ''}|${r.name ?? ''}|${r.pattern}`,
    kind,
    stage: stageOf(r.stage),
    reason: r.reason,
    name: r.name,
    message: r.sample ?? '(no message recorded)',
    count: r.count,
    firstAt: r.first_at?.toISOString() ?? null,
    lastAt: r.last_at?.toISOString() ?? null,
    rawIds: r.ids ?? [],
    partitions: r.partitions ?? [],
  };
};

export const readErrorGroups = async (db: Queryable, runId: number): Promise<{ failedUnits: number; failedPartitions: number; groups: ErrorGroup[] }> => {
  const units = await db.query(
    `SELECT d.error->>'stage' AS stage, d.error->>'reason' AS reason, d.error->>'name' AS name,
            ${MASK('d')} AS pattern,
            min(d.error->>'message') AS sample, count(*) AS count, min(d.updated_at) AS first_at, max(d.updated_at) AS last_at,
            (array_agg(d.id ORDER BY d.id))[1:20] AS ids, NULL::jsonb AS partitions
       FROM raw_extraction_data d WHERE d.run_id = $1 AND d.status = 'failed'
      GROUP BY 1, 2, 3, 4 ORDER BY count(*) DESC, min(d.id) LIMIT ${MAX_GROUPS}`,
    [runId],
  );
  const partitions = await db.query(
    `SELECT coalesce(p.error->>'stage', 'extract') AS stage, p.error->>'reason' AS reason, p.error->>'name' AS name,
            ${MASK('p')} AS pattern,
            min(p.error->>'message') AS sample, count(*) AS count, min(p.updated_at) AS first_at, max(p.updated_at) AS last_at,
            NULL::bigint[] AS ids,
            jsonb_path_query_array(jsonb_agg(jsonb_build_object('stream', p.stream, 'partition', p.partition) ORDER BY p.stream, p.partition), '$[0 to 19]') AS partitions
       FROM run_partitions p WHERE p.run_id = $1 AND p.error IS NOT NULL
      GROUP BY 1, 2, 3, 4 ORDER BY count(*) DESC LIMIT ${MAX_GROUPS}`,
    [runId],
  );
  const counts = await db.query<{ units: string; partitions: string }>(
    `SELECT (SELECT count(*) FROM raw_extraction_data WHERE run_id = $1 AND status = 'failed') AS units,
            (SELECT count(*) FROM run_partitions WHERE run_id = $1 AND error IS NOT NULL) AS partitions`,
    [runId],
  );
  return {
    failedUnits: Number(counts.rows[0]?.units ?? 0),
    failedPartitions: Number(counts.rows[0]?.partitions ?? 0),
    groups: [...partitions.rows.map((r: unknown) => toGroup('partition', r)), ...units.rows.map((r: unknown) => toGroup('unit', r))],
  };
};
