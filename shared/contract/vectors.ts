import { z } from 'zod';

import { LoadedEntity, VectorEntity } from '../vectors/entities';
import { defineMethod } from './define';

/**
 * Vectors (issue 10): what the vectorize stage stored in Qdrant for the selected tenant (work items,
 * pull requests and the Jira mapping tables), re-embedding, and semantic search over the tenant's work
 * items and pull requests. Everything is scoped to the
 * tenant in the header. Keys (Qdrant's, the embedding API's) never cross this contract.
 */

export { LoadedEntity, VectorEntity };

export const EmbedderInfo = z.object({
  /** Stored with each vector, e.g. `offline-lexical-v1/384`. */
  id: z.string(),
  provider: z.enum(['offline', 'openai']),
  /** The offline embedder matches words, not meaning: the console says so next to the search box. */
  lexical: z.boolean(),
  summary: z.string(),
});
export type EmbedderInfo = z.infer<typeof EmbedderInfo>;

export const QdrantInfo = z.object({
  /** Scheme, host and port only (no credentials). */
  url: z.string(),
  state: z.enum(['up', 'down']),
  version: z.string().nullable(),
  /** The endpoint is Sluice's in-memory contract double (simulators/qdrant), not a real Qdrant. */
  double: z.boolean(),
  /** Why it is down, and what to do. */
  message: z.string().nullable(),
  latencyMs: z.number().nonnegative().nullable(),
});
export type QdrantInfo = z.infer<typeof QdrantInfo>;

const Count = z.number().int().nonnegative();

export const IntegrationCounts = z.object({
  integrationId: z.number().int().positive(),
  /** Null when the integration was deleted and its vectors are still being removed. */
  name: z.string().nullable(),
  database: Count,
  vectorized: Count,
});

export const EntityCounts = z.object({
  entity: VectorEntity,
  label: z.string(),
  /** Rows of the unified table. */
  database: Count,
  /** Rows with a vector from the current embedder in the current collection (the bridge says so). */
  vectorized: Count,
  /** Rows whose vector came from another embedder or collection: "Re-embed missing" renews them. */
  stale: Count,
  /** Deleted entities whose points are still to be removed (the sweep runs every few seconds). */
  pendingDeletes: Count,
  /** Points in the kind's Qdrant collection; null when the collection does not exist or Qdrant is down. */
  points: Count.nullable(),
  /** vectorized / database in percent, 100 when there is nothing to embed. */
  completion: z.number().min(0).max(100),
  byIntegration: z.array(IntegrationCounts),
});
export type EntityCounts = z.infer<typeof EntityCounts>;

export const CollectionInfo = z.object({
  name: z.string(),
  entity: VectorEntity.nullable(),
  points: Count.nullable(),
  dimensions: z.number().int().positive().nullable(),
  /** Qdrant's green / yellow / grey / red. */
  status: z.string().nullable(),
});
export type CollectionInfo = z.infer<typeof CollectionInfo>;

export const VectorsStatus = z.discriminatedUnion('enabled', [
  z.object({ enabled: z.literal(false), reason: z.string() }),
  z.object({
    enabled: z.literal(true),
    qdrant: QdrantInfo,
    embedder: EmbedderInfo,
    collectionPrefix: z.string(),
    entities: z.array(EntityCounts),
    collections: z.array(CollectionInfo),
    checkedAt: z.string(),
  }),
]);
export type VectorsStatus = z.infer<typeof VectorsStatus>;

export const SearchHit = z.object({
  entity: LoadedEntity,
  id: z.number().int().positive(),
  integrationId: z.number().int().positive(),
  integrationName: z.string().nullable(),
  /** PROJ-12, org/repo#34. */
  key: z.string(),
  title: z.string(),
  /** Cosine similarity, 1 = same direction. */
  score: z.number(),
});
export type SearchHit = z.infer<typeof SearchHit>;

const VectorState = z
  .object({ embeddedAt: z.string(), embedder: z.string(), textHash: z.string(), current: z.boolean() })
  .nullable()
  .describe('The entity’s vector as the bridge records it; null when it has none yet.');

const ItemBase = {
  id: z.number().int().positive(),
  integrationId: z.number().int().positive(),
  integrationName: z.string(),
  key: z.string(),
  /** Where the operator can open it in Jira or GitHub. */
  url: z.string().nullable(),
  vector: VectorState,
};

export const WorkItemDetail = z.object({
  entity: z.literal('work_items'),
  ...ItemBase,
  summary: z.string().nullable(),
  description: z.string().nullable(),
  type: z.string(),
  status: z.string(),
  workflowStep: z.string().nullable(),
  category: z.string(),
  priority: z.string().nullable(),
  assignee: z.string().nullable(),
  labels: z.array(z.string()),
  components: z.array(z.string()),
  projectKey: z.string(),
  parentKey: z.string().nullable(),
  created: z.string(),
  updated: z.string(),
});

export const PrDetail = z.object({
  entity: z.literal('prs'),
  ...ItemBase,
  title: z.string(),
  body: z.string(),
  state: z.string(),
  draft: z.boolean(),
  author: z.string().nullable(),
  sourceBranch: z.string(),
  targetBranch: z.string(),
  created: z.string(),
  updated: z.string(),
  mergedAt: z.string().nullable(),
});

export const ItemDetail = z.discriminatedUnion('entity', [WorkItemDetail, PrDetail]);
export type ItemDetail = z.infer<typeof ItemDetail>;

export const vectorsMethods = {
  'vectors.status': defineMethod({
    summary: 'Qdrant health, the embedder, the tenant’s collections, and database vs vector counts per entity kind',
    mutates: false,
    input: z.object({}).strict(),
    output: VectorsStatus,
  }),
  'vectors.reembed': defineMethod({
    summary: 'Queue a re-embed of one entity kind: rows without a current vector (missing) or every row (all)',
    mutates: true,
    // Re-embedding is reprocessing: the operator's job.
    role: 'operator',
    input: z
      .object({
        entity: VectorEntity,
        scope: z.enum(['missing', 'all']),
        /** One integration, or all of the tenant's (null). */
        integrationId: z.number().int().positive().nullable().default(null),
      })
      .strict(),
    output: z.object({ requestId: z.string(), message: z.string() }),
  }),
  'vectors.search': defineMethod({
    summary: 'Semantic search over the tenant’s work items and pull requests (through the configured embedder)',
    mutates: false,
    input: z
      .object({
        query: z.string().trim().min(1, 'type something to search for').max(500, 'at most 500 characters'),
        // Search covers what load wrote; the mapping kinds are embedded for the platform's AI, not searched here.
        entities: z.array(LoadedEntity).min(1).default(['work_items', 'prs']),
        integrationId: z.number().int().positive().nullable().default(null),
        limit: z.number().int().min(1).max(50).default(10),
      })
      .strict(),
    output: z.object({ hits: z.array(SearchHit), embedder: EmbedderInfo, tookMs: z.number().nonnegative() }),
  }),
  'vectors.item': defineMethod({
    summary: 'One work item or pull request of the tenant, for a search result’s detail',
    mutates: false,
    input: z.object({ entity: LoadedEntity, id: z.number().int().positive() }).strict(),
    output: ItemDetail,
  }),
};
