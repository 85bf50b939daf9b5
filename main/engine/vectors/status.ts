import type pg from 'pg';

import type { CollectionInfo, EntityCounts, VectorsStatus } from '../../../shared/contract/vectors';
import { collectionName, ENTITY_INFO, VECTOR_ENTITIES, type VectorEntity } from '../../../shared/vectors/entities';
import { describeEmbedder, embedderId, type VectorSettings } from '../../../shared/vectors/settings';
import type { QdrantReader } from './qdrant';

/**
 * The Vectors screen's numbers for one tenant: rows per entity kind and integration in the database,
 * against what the bridge says is vectorized (by the current embedder, in the current collection),
 * stale, or waiting to be deleted, and the points Qdrant actually holds (the prior system's dashboard
 * showed the same comparison, with a mocked health check; this one asks Qdrant).
 */

export const DISABLED_REASON =
  'Vectors are off: QDRANT_URL is not set, so the vectorize stage does not run and runs embed nothing (they still succeed). Set QDRANT_URL (and SLUICE_EMBEDDINGS for a model) and restart Sluice.';

interface Row {
  entity: VectorEntity;
  integration_id: string;
  name: string | null;
  database: string;
  vectorized: string;
  stale: string;
  deleting: string;
}

/** Counts from Postgres, in the tenant's RLS scope (the client is inside `withTenant`). */
export const countVectors = async (client: pg.ClientBase, tenantId: number, settings: VectorSettings): Promise<Row[]> => {
  const current = embedderId(settings.embeddings);
  const parts = VECTOR_ENTITIES.map(
    (entity) => `SELECT '${entity}'::text AS entity, integration_id, count(*) AS database FROM ${entity} WHERE tenant_id = $1 GROUP BY integration_id`,
  ).join(' UNION ALL ');
  const res = await client.query<Row>(
    `WITH db AS (${parts}),
          v AS (
            SELECT entity, integration_id,
                   count(*) FILTER (WHERE deleted_at IS NULL AND embedder = $2 AND collection = $3 || entity) AS vectorized,
                   count(*) FILTER (WHERE deleted_at IS NULL AND NOT (embedder = $2 AND collection = $3 || entity)) AS stale,
                   count(*) FILTER (WHERE deleted_at IS NOT NULL) AS deleting
              FROM qdrant_vectors WHERE tenant_id = $1 GROUP BY entity, integration_id)
     SELECT coalesce(db.entity, v.entity) AS entity, coalesce(db.integration_id, v.integration_id) AS integration_id, i.name,
            coalesce(db.database, 0) AS database, coalesce(v.vectorized, 0) AS vectorized, coalesce(v.stale, 0) AS stale, coalesce(v.deleting, 0) AS deleting
       FROM db FULL JOIN v ON v.entity = db.entity AND v.integration_id = db.integration_id
       LEFT JOIN integrations i ON i.id = coalesce(db.integration_id, v.integration_id)
      ORDER BY 1, 2`,
    [tenantId, current, `${settings.collectionPrefix}_t${tenantId}_`],
  );
  return res.rows;
};

export const entityCounts = (rows: readonly Row[], collections: readonly CollectionInfo[], settings: VectorSettings, tenantId: number): EntityCounts[] =>
  VECTOR_ENTITIES.map((entity) => {
    const mine = rows.filter((r) => r.entity === entity);
    const sum = (k: 'database' | 'vectorized' | 'stale' | 'deleting') => mine.reduce((s, r) => s + Number(r[k]), 0);
    const database = sum('database');
    const vectorized = sum('vectorized');
    const name = collectionName(settings.collectionPrefix, tenantId, entity);
    return {
      entity,
      label: ENTITY_INFO[entity].label,
      database,
      vectorized,
      stale: sum('stale'),
      pendingDeletes: sum('deleting'),
      points: collections.find((c) => c.name === name)?.points ?? null,
      // Deleted rows can leave vectorized above database for a moment (their tombstones count apart).
      completion: database === 0 ? 100 : Math.min(100, Math.floor((vectorized / database) * 1000) / 10),
      byIntegration: mine.map((r) => ({ integrationId: Number(r.integration_id), name: r.name, database: Number(r.database), vectorized: Number(r.vectorized) })),
    };
  });

export const vectorsStatus = async (
  settings: VectorSettings | null,
  reader: QdrantReader | null,
  counts: () => Promise<Row[]>,
  tenantId: number,
): Promise<VectorsStatus> => {
  if (!settings || !reader) return { enabled: false, reason: DISABLED_REASON };
  const [qdrant, rows] = await Promise.all([reader.info(), counts()]);
  const collections = qdrant.state === 'up' ? await reader.collections(settings.collectionPrefix, tenantId).catch(() => []) : [];
  return {
    enabled: true,
    qdrant,
    embedder: describeEmbedder(settings.embeddings),
    collectionPrefix: settings.collectionPrefix,
    entities: entityCounts(rows, collections, settings, tenantId),
    collections,
    checkedAt: new Date().toISOString(),
  };
};
