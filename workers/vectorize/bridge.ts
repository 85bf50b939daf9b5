import type pg from 'pg';
import { z } from 'zod';

import type { LoadedEntity, VectorEntity } from '../../shared/vectors/entities';
import { ENTITY_SPECS, textHash, type EntityRow } from './texts';

/**
 * The SQL of the vectorize stage: entity rows with their bridge row (qdrant_vectors, migration 0013),
 * and the bridge writes. Version rule: a bridge row only moves to the same or a newer `raw_id` (the
 * unified rows' own version; a mapping row's `updated_at` version, mapping-texts.ts), so a late job
 * for an older version of a row changes nothing.
 */

type Queryable = Pick<pg.ClientBase, 'query'>;

/** A row to vectorize, with what the bridge says was embedded for it (null: never). */
export interface Candidate extends EntityRow {
  readonly hash: string;
  readonly stored: { readonly hash: string; readonly embedder: string; readonly collection: string; readonly rawId: number } | null;
}

const Stored = z.object({ v_text_hash: z.string().nullable(), v_embedder: z.string().nullable(), v_collection: z.string().nullable(), v_raw_id: z.coerce.number().nullable() });

const select = (entity: VectorEntity, where: string): string => {
  const spec = ENTITY_SPECS[entity];
  // entity and columns come from ENTITY_SPECS (code), never from input.
  return `SELECT ${spec.select.join(', ')}, v.text_hash AS v_text_hash, v.embedder AS v_embedder, v.collection AS v_collection, v.raw_id AS v_raw_id
            FROM ${spec.from}
            LEFT JOIN qdrant_vectors v ON v.tenant_id = e.tenant_id AND v.entity = '${entity}' AND v.record_id = e.id
           WHERE ${where}
           ORDER BY e.id`;
};

const toCandidates = (entity: VectorEntity, rows: unknown[]): Candidate[] =>
  rows.map((raw) => {
    const row = ENTITY_SPECS[entity].toRow(raw);
    const s = Stored.parse(raw);
    return {
      ...row,
      hash: textHash(row.text),
      stored: s.v_text_hash && s.v_embedder && s.v_collection && s.v_raw_id !== null ? { hash: s.v_text_hash, embedder: s.v_embedder, collection: s.v_collection, rawId: s.v_raw_id } : null,
    };
  });

/** The rows of `entity` whose lineage is raw unit `sourceId` (what one load wrote). */
export const rowsOfUnit = async (db: Queryable, entity: LoadedEntity, tenantId: number, integrationId: number, sourceId: number): Promise<Candidate[]> => {
  const res = await db.query(select(entity, 'e.tenant_id = $1 AND e.integration_id = $2 AND e.raw_id = $3'), [tenantId, integrationId, sourceId]);
  return toCandidates(entity, res.rows);
};

export const rowsById = async (db: Queryable, entity: VectorEntity, tenantId: number, ids: readonly number[]): Promise<Candidate[]> => {
  const res = await db.query(select(entity, 'e.tenant_id = $1 AND e.id = ANY($2::bigint[])'), [tenantId, ids]);
  return toCandidates(entity, res.rows);
};

/** Ids of the tenant's rows that have no current vector (none, another embedder or another collection), or all of them. */
export const idsToReembed = async (
  db: Queryable,
  entity: VectorEntity,
  tenantId: number,
  integrationId: number | null,
  scope: 'missing' | 'all',
  current: { embedder: string; collection: string },
): Promise<number[]> => {
  const table = ENTITY_SPECS[entity].table;
  const res = await db.query<{ id: string }>(
    `SELECT e.id FROM ${table} e
       LEFT JOIN qdrant_vectors v ON v.tenant_id = e.tenant_id AND v.entity = $2 AND v.record_id = e.id AND v.deleted_at IS NULL
      WHERE e.tenant_id = $1 AND ($3::bigint IS NULL OR e.integration_id = $3)
        AND ($4 = 'all' OR v.id IS NULL OR v.embedder <> $5 OR v.collection <> $6)
      ORDER BY e.id`,
    [tenantId, entity, integrationId, scope, current.embedder, current.collection],
  );
  return res.rows.map((r) => Number(r.id));
};

export interface WriteMeta {
  readonly tenantId: number;
  readonly entity: VectorEntity;
  readonly collection: string;
  readonly embedder: string;
  readonly dimensions: number;
  readonly runId: number | null;
  readonly step: string | null;
}

/**
 * Records new vectors (call inside the transaction that also upserts the points, see handler.ts);
 * returns the record ids this write won: the others have a newer version already (or were deleted
 * meanwhile), and their points must not be written.
 */
export const recordVectors = async (db: Queryable, meta: WriteMeta, rows: readonly Candidate[]): Promise<Set<number>> => {
  if (rows.length === 0) return new Set();
  const res = await db.query<{ record_id: string }>(
    `INSERT INTO qdrant_vectors AS q (tenant_id, integration_id, entity, record_id, entity_key, collection, point_id, text_hash, embedder, dimensions, raw_id, run_id, step)
     SELECT $1, r.integration_id, $2, r.record_id, r.entity_key, $3, r.record_id, r.text_hash, $4, $5, r.raw_id, $6, $7
       FROM jsonb_to_recordset($8::jsonb) AS r (integration_id bigint, record_id bigint, entity_key text, text_hash text, raw_id bigint)
     ON CONFLICT (tenant_id, entity, record_id) DO UPDATE
        SET integration_id = EXCLUDED.integration_id, entity_key = EXCLUDED.entity_key, collection = EXCLUDED.collection, point_id = EXCLUDED.point_id,
            text_hash = EXCLUDED.text_hash, embedder = EXCLUDED.embedder, dimensions = EXCLUDED.dimensions, raw_id = EXCLUDED.raw_id,
            run_id = coalesce(EXCLUDED.run_id, q.run_id), step = coalesce(EXCLUDED.step, q.step), embedded_at = now()
      WHERE q.raw_id <= EXCLUDED.raw_id AND q.deleted_at IS NULL
     RETURNING q.record_id`,
    [
      meta.tenantId,
      meta.entity,
      meta.collection,
      meta.embedder,
      meta.dimensions,
      meta.runId,
      meta.step,
      JSON.stringify(rows.map((r) => ({ integration_id: r.integrationId, record_id: r.id, entity_key: r.key, text_hash: r.hash, raw_id: r.rawId }))),
    ],
  );
  return new Set(res.rows.map((r) => Number(r.record_id)));
};

/**
 * The text did not change: no embedding, only the lineage (and the run that confirmed it) moves on.
 * Returns how many bridge rows changed.
 */
export const confirmVectors = async (db: Queryable, meta: Pick<WriteMeta, 'tenantId' | 'entity' | 'runId' | 'step'>, rows: readonly Candidate[]): Promise<number> => {
  if (rows.length === 0) return 0;
  const res = await db.query(
    `UPDATE qdrant_vectors q SET raw_id = r.raw_id, run_id = coalesce($3, q.run_id), step = coalesce($4, q.step)
       FROM jsonb_to_recordset($5::jsonb) AS r (record_id bigint, raw_id bigint)
      WHERE q.tenant_id = $1 AND q.entity = $2 AND q.record_id = r.record_id AND q.raw_id <= r.raw_id AND q.deleted_at IS NULL
        AND (q.raw_id, q.run_id, q.step) IS DISTINCT FROM (r.raw_id, coalesce($3, q.run_id), coalesce($4, q.step))`,
    [meta.tenantId, meta.entity, meta.runId, meta.step, JSON.stringify(rows.map((r) => ({ record_id: r.id, raw_id: r.rawId })))],
  );
  return res.rowCount ?? 0;
};

/** Re-embed all with a collection of the wrong size: its points are gone, so are their bridge rows (tombstones stay). */
export const forgetCollection = async (db: Queryable, tenantId: number, entity: VectorEntity): Promise<number> => {
  const res = await db.query('DELETE FROM qdrant_vectors WHERE tenant_id = $1 AND entity = $2 AND deleted_at IS NULL', [tenantId, entity]);
  return res.rowCount ?? 0;
};

/**
 * The vectorize stage has finished loaded unit `rawId` (the vectorized_units table): the job card compares these
 * with the run's loaded units. `reprocessCount` is the unit's count when the job read it, so a unit
 * reprocessed meanwhile does not count until the job of its new load has run.
 */
export const recordUnitVectorized = async (
  db: Queryable,
  unit: { rawId: number; tenantId: number; runId: number; step: string; reprocessCount: number },
  outcome: { embedded: number; confirmed: number; superseded: number },
): Promise<void> => {
  await db.query(
    `INSERT INTO vectorized_units (raw_id, tenant_id, run_id, step, reprocess_count, embedded, confirmed, superseded)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (raw_id) DO UPDATE SET reprocess_count = EXCLUDED.reprocess_count, embedded = EXCLUDED.embedded, confirmed = EXCLUDED.confirmed,
       superseded = EXCLUDED.superseded, vectorized_at = now()`,
    [unit.rawId, unit.tenantId, unit.runId, unit.step, unit.reprocessCount, outcome.embedded, outcome.confirmed, outcome.superseded],
  );
};
