import pg from 'pg';

import type { EngineConfig } from '../engine/config';
import { withTenant } from '../engine/db/tenant-scope';
import { queueReembed } from '../engine/vectors/reembed';
import { startQdrantDouble } from '../../simulators';
import { VECTOR_ENTITIES } from '../../shared/vectors/entities';

/**
 * `sluice start` without QDRANT_URL: the demo runs against Sluice's in-memory Qdrant contract double
 * (simulators/qdrant), so the Vectors screen has something to show; the screen says it is the double.
 *
 * The double starts empty every time, so the bridge rows that describe its previous life are wrong:
 * they are deleted (only those of its own collection prefix, `sluice_local` unless
 * SLUICE_QDRANT_PREFIX says otherwise, so vectors kept for a real Qdrant are not touched) and a
 * "re-embed missing" is queued for every tenant that has entities, which the console's workers pick
 * up. The demo's vectors therefore fill up again after each start.
 */
export const LOCAL_PREFIX = 'sluice_local';

export interface LocalQdrant {
  readonly config: EngineConfig;
  stop(): Promise<void>;
}

export const startLocalQdrant = async (config: EngineConfig, log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<LocalQdrant> => {
  const double = await startQdrantDouble();
  const collectionPrefix = env['SLUICE_QDRANT_PREFIX']?.trim() || LOCAL_PREFIX;
  const next: EngineConfig = { ...config, qdrantUrl: double.url, qdrantApiKey: null, vectors: { ...config.vectors, collectionPrefix } };
  if (config.databaseUrl) {
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 1 });
    try {
      const forgotten = await pool.query(`DELETE FROM qdrant_vectors WHERE collection LIKE $1`, [`${collectionPrefix}\\_t%`]);
      const tenants = await pool.query<{ tenant_id: number; entity: (typeof VECTOR_ENTITIES)[number] }>(
        VECTOR_ENTITIES.map((e) => `SELECT DISTINCT tenant_id, '${e}' AS entity FROM ${e}`).join(' UNION ') + ' ORDER BY 1, 2',
      );
      for (const t of tenants.rows) {
        await withTenant(pool, t.tenant_id, (client) => queueReembed(client, { tenantId: t.tenant_id, entity: t.entity, scope: 'missing', integrationId: null }));
      }
      if (forgotten.rowCount || tenants.rowCount) log(`Local Qdrant double: ${tenants.rowCount ?? 0} re-embed(s) queued for the entities already loaded (the double starts empty).`);
    } finally {
      await pool.end();
    }
  }
  log(`Local Qdrant double on ${double.url} (in memory; set QDRANT_URL to use a real Qdrant).`);
  return { config: next, stop: () => double.stop() };
};
