import { z } from 'zod';

import { CollectionPrefix, DEFAULT_COLLECTION_PREFIX } from './entities';

/**
 * How Sluice embeds text and where the vectors go. Built once by the engine from the environment
 * (main/engine/vectors/config.ts) and handed to vectorize threads and search tasks through
 * `workerData` only: it may carry the embedding API key and the Qdrant API key, so it never goes into
 * a log, a queue message or the renderer (the console gets `describeEmbedder` instead).
 */

/** The built-in embedder: hashed words and character trigrams, no model download, lexical only. */
export const OfflineEmbeddings = z.strictObject({
  provider: z.literal('offline'),
  dimensions: z.number().int().min(32).max(4096).default(384),
});

/** Any OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, Azure-style gateways, Ollama, vLLM...). */
export const OpenAiEmbeddings = z.strictObject({
  provider: z.literal('openai'),
  /** The base URL up to `/v1`, as OpenAI SDKs take it, e.g. https://api.openai.com/v1. */
  url: z.string().url(),
  model: z.string().min(1).max(200),
  /** Sent as `Authorization: Bearer`; null for local servers that need none. */
  key: z.string().min(1).nullable().default(null),
  /** Asked of the model (`dimensions`) and checked on every answer; null = the model's own size. */
  dimensions: z.number().int().min(1).max(65_536).nullable().default(null),
  /** Texts per request. */
  batchSize: z.number().int().min(1).max(2048).default(64),
  /** Client-side cap per worker thread, on top of honouring 429 answers; null = none. */
  requestsPerMinute: z.number().int().min(1).max(100_000).nullable().default(null),
  /** Retries of one request after a 429, a 5xx or a network failure, before the message is retried later. */
  maxRetries: z.number().int().min(0).max(20).default(5),
  timeoutMs: z.number().int().min(1000).max(600_000).default(60_000),
});

export const EmbeddingSettings = z.discriminatedUnion('provider', [OfflineEmbeddings, OpenAiEmbeddings]);
export type EmbeddingSettings = z.infer<typeof EmbeddingSettings>;
export type EmbeddingSettingsInput = z.input<typeof EmbeddingSettings>;

export const VectorSettings = z.strictObject({
  qdrantUrl: z.string().url(),
  qdrantApiKey: z.string().min(1).nullable().default(null),
  collectionPrefix: CollectionPrefix.default(DEFAULT_COLLECTION_PREFIX),
  embeddings: EmbeddingSettings,
  /** How often a vectorize thread deletes the points of deleted entities (tombstones in qdrant_vectors). */
  sweepIntervalMs: z.number().int().min(100).max(3_600_000).default(5_000),
});
export type VectorSettings = z.infer<typeof VectorSettings>;
export type VectorSettingsInput = z.input<typeof VectorSettings>;

/**
 * Names the embedder a vector was made with (stored in qdrant_vectors.embedder): a vector made by
 * another embedder is out of date even when the text is the same, and vectors of two embedders must
 * never meet in one collection.
 */
export const embedderId = (e: EmbeddingSettings): string =>
  e.provider === 'offline' ? `offline-lexical-v1/${e.dimensions}` : `openai:${e.model}/${e.dimensions ?? 'native'}`;

/** What the console may show about the embedder (no URL credentials, no key). */
export interface EmbedderDescription {
  readonly id: string;
  readonly provider: EmbeddingSettings['provider'];
  readonly lexical: boolean;
  readonly summary: string;
}

export const describeEmbedder = (e: EmbeddingSettings): EmbedderDescription => {
  if (e.provider === 'offline') {
    return {
      id: embedderId(e),
      provider: 'offline',
      lexical: true,
      summary: `Built-in offline embedder (${e.dimensions} dimensions): hashed words and character trigrams. It is lexical, not semantic: it finds texts that share words with the query, not texts that mean the same. Set SLUICE_EMBEDDINGS=openai with a model for semantic search.`,
    };
  }
  let host = e.url;
  try {
    const u = new URL(e.url);
    host = `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    // validated as a URL already; keep it as is
  }
  return {
    id: embedderId(e),
    provider: 'openai',
    lexical: false,
    summary: `OpenAI-compatible embeddings: model ${e.model}${e.dimensions ? ` at ${e.dimensions} dimensions` : ''} from ${host}.`,
  };
};
