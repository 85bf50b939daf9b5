import { collectionName, type LoadedEntity } from '../../shared/vectors/entities';
import type { VectorSettings } from '../../shared/vectors/settings';
import { createEmbedder, type Embedder } from './embedders';
import { VectorStore } from './qdrant';

/**
 * Semantic search over a tenant's vectors: the query is embedded by the same embedder as the entities,
 * then each kind's collection is asked for its nearest points, filtered to the tenant (and integration,
 * if given) by payload as well as by collection, and the hits are merged by score.
 */
export interface SearchInput {
  readonly vectors: VectorSettings;
  readonly tenantId: number;
  readonly query: string;
  readonly entities: readonly LoadedEntity[];
  readonly integrationId: number | null;
  readonly limit: number;
}

export interface SearchHit {
  readonly entity: LoadedEntity;
  readonly recordId: number;
  readonly integrationId: number;
  readonly key: string;
  readonly title: string;
  readonly score: number;
}

export const searchVectors = async (input: SearchInput, deps: { embedder?: Embedder; store?: VectorStore } = {}): Promise<{ hits: SearchHit[]; embedder: string }> => {
  const embedder = deps.embedder ?? createEmbedder(input.vectors.embeddings);
  const store = deps.store ?? new VectorStore({ url: input.vectors.qdrantUrl, apiKey: input.vectors.qdrantApiKey });
  const [vector] = await embedder.embed([input.query]);
  const must = [
    { key: 'tenant_id', match: { value: input.tenantId } },
    ...(input.integrationId !== null ? [{ key: 'integration_id', match: { value: input.integrationId } }] : []),
  ];
  const perKind = await Promise.all(
    input.entities.map(async (entity) => {
      const hits = await store.query(collectionName(input.vectors.collectionPrefix, input.tenantId, entity), vector!, { filter: { must }, limit: input.limit });
      return hits.map((h) => ({ entity, recordId: h.id, integrationId: h.payload.integration_id, key: h.payload.key, title: h.payload.title, score: h.score }));
    }),
  );
  const hits = perKind.flat().sort((a, b) => b.score - a.score || a.key.localeCompare(b.key)).slice(0, input.limit);
  return { hits, embedder: embedder.id };
};
