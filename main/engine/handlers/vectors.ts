import type pg from 'pg';

import { ApiError } from '../../../shared/contract/errors';
import { ENTITY_INFO, entityNoun } from '../../../shared/vectors/entities';
import { describeEmbedder, type VectorSettings } from '../../../shared/vectors/settings';
import { asDatabaseError, requirePool } from '../db/pool';
import { withTenant } from '../db/tenant-scope';
import type { TaskRunner } from '../tasks';
import type { CallContext, Handlers } from '../types';
import { existingIds, readItem } from '../vectors/item';
import { QdrantReader } from '../vectors/qdrant';
import { queueReembed } from '../vectors/reembed';
import { countVectors, DISABLED_REASON, vectorsStatus } from '../vectors/status';

type VectorMethods = 'vectors.status' | 'vectors.reembed' | 'vectors.search' | 'vectors.item';

export interface VectorDeps {
  readonly pool: pg.Pool | null;
  readonly tasks: TaskRunner;
  /** Qdrant and the embedder; null when QDRANT_URL is not set (vectors are off). */
  readonly vectors: VectorSettings | null;
}

const tenantOf = (ctx: CallContext): number => {
  if (ctx.tenantId === null) throw new ApiError('bad_request', 'No tenant selected: pick a tenant in the header (vectors belong to a tenant).');
  return ctx.tenantId;
};

const scoped = async <T>(deps: VectorDeps, ctx: CallContext, fn: (client: pg.PoolClient, tenantId: number) => Promise<T>): Promise<T> => {
  const tenantId = tenantOf(ctx);
  try {
    return await withTenant(requirePool(deps.pool), tenantId, (client) => fn(client, tenantId));
  } catch (error) {
    throw asDatabaseError(error);
  }
};

const requireVectors = (deps: VectorDeps): VectorSettings => {
  if (!deps.vectors) throw new ApiError('unavailable', DISABLED_REASON);
  return deps.vectors;
};

/**
 * The Vectors screen's calls (shared/contract/vectors.ts). Reads go to Postgres (in the tenant's RLS
 * scope) and to Qdrant (read only); re-embeds go through the queue outbox; search runs in a task thread
 * (the embedders are worker code, and the embedding key stays in workerData).
 */
export const vectorHandlers = (deps: VectorDeps): Pick<Handlers, VectorMethods> => {
  const reader = deps.vectors ? new QdrantReader(deps.vectors.qdrantUrl, deps.vectors.qdrantApiKey) : null;
  return {
    'vectors.status': async (_input, ctx) => {
      const tenantId = tenantOf(ctx);
      if (!deps.vectors || !reader) return { enabled: false, reason: DISABLED_REASON };
      const settings = deps.vectors;
      return vectorsStatus(settings, reader, () => scoped(deps, ctx, (client) => countVectors(client, tenantId, settings)), tenantId);
    },

    'vectors.reembed': ({ entity, scope, integrationId }, ctx) => {
      requireVectors(deps);
      return scoped(deps, ctx, async (client, tenantId) => {
        if (integrationId !== null) {
          const found = await client.query('SELECT 1 FROM integrations WHERE id = $1', [integrationId]);
          if (found.rowCount === 0) throw new ApiError('not_found', `Integration ${integrationId} does not exist in this tenant; pick one from the list.`, [{ path: 'integrationId', message: 'not found' }]);
        }
        const { requestId } = await queueReembed(client, { tenantId, entity, scope, integrationId });
        const what = entityNoun(entity);
        return {
          requestId,
          message:
            scope === 'all'
              ? `Re-embedding all ${what}: queued. The vectorize workers embed them again in the background; the counts below follow.`
              : `Re-embedding ${what} without a current vector: queued. The counts below follow as the vectorize workers catch up.`,
        };
      });
    },

    'vectors.search': async ({ query, entities, integrationId, limit }, ctx) => {
      const tenantId = tenantOf(ctx);
      const settings = requireVectors(deps);
      const started = Date.now();
      const found = await deps.tasks.run('vectors.search', { vectors: settings, tenantId, query, entities, integrationId, limit });
      // Qdrant may still hold a point whose row was just deleted (the sweep runs every few seconds): drop it.
      const { live, names } = await scoped(deps, ctx, async (client) => {
        const byEntity = new Map<string, Set<number>>();
        for (const entity of entities) byEntity.set(entity, await existingIds(client, tenantId, entity, found.hits.filter((h) => h.entity === entity).map((h) => h.recordId)));
        const ids = [...new Set(found.hits.map((h) => h.integrationId))];
        const rows = ids.length ? (await client.query<{ id: string; name: string }>('SELECT id, name FROM integrations WHERE id = ANY($1::bigint[])', [ids])).rows : [];
        return { live: byEntity, names: new Map(rows.map((r) => [Number(r.id), r.name])) };
      });
      return {
        hits: found.hits
          .filter((h) => live.get(h.entity)?.has(h.recordId))
          .map((h) => ({ entity: h.entity, id: h.recordId, integrationId: h.integrationId, integrationName: names.get(h.integrationId) ?? null, key: h.key, title: h.title, score: h.score })),
        embedder: describeEmbedder(settings.embeddings),
        tookMs: Date.now() - started,
      };
    },

    'vectors.item': ({ entity, id }, ctx) =>
      scoped(deps, ctx, async (client, tenantId) => {
        const item = await readItem(client, tenantId, entity, id, deps.vectors);
        if (!item) throw new ApiError('not_found', `${ENTITY_INFO[entity].label} ${id} does not exist in this tenant (deleted since the search?); search again.`);
        return item;
      }),
  };
};
