import { CollectionPrefix, DEFAULT_COLLECTION_PREFIX } from '../../../shared/vectors/entities';
import { EmbeddingSettings, VectorSettings, type EmbeddingSettingsInput } from '../../../shared/vectors/settings';

/**
 * The embedding provider from the environment (headless configuration):
 *
 * | variable | meaning |
 * |---|---|
 * | `SLUICE_EMBEDDINGS` | `offline` (default: the built-in lexical embedder) or `openai` |
 * | `SLUICE_EMBEDDINGS_URL` | openai: the base URL up to `/v1`, e.g. https://api.openai.com/v1 |
 * | `SLUICE_EMBEDDINGS_MODEL` | openai: the model, e.g. text-embedding-3-small |
 * | `SLUICE_EMBEDDINGS_KEY` | openai: the API key (optional for local servers) |
 * | `SLUICE_EMBEDDINGS_DIMENSIONS` | vector size (offline: default 384; openai: asked of the model) |
 * | `SLUICE_EMBEDDINGS_BATCH` | openai: texts per request (default 64) |
 * | `SLUICE_EMBEDDINGS_RPM` | openai: requests per minute per worker thread (default: no cap) |
 * | `SLUICE_QDRANT_PREFIX` | collection name prefix (default `sluice`), to share one Qdrant |
 *
 * Returns the settings or one line per problem, each naming the variable and giving an example.
 */
export interface VectorConfig {
  readonly embeddings: EmbeddingSettings;
  readonly collectionPrefix: string;
}

const val = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const v = env[name]?.trim();
  return v ? v : undefined;
};

const positiveInt = (env: NodeJS.ProcessEnv, name: string, issues: string[], example: string): number | undefined => {
  const v = val(env, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1) {
    issues.push(`${name} must be a positive whole number, e.g. ${example}`);
    return undefined;
  }
  return Number(v);
};

export const parseVectorEnv = (env: NodeJS.ProcessEnv): { ok: true; value: VectorConfig } | { ok: false; issues: string[] } => {
  const issues: string[] = [];
  const provider = val(env, 'SLUICE_EMBEDDINGS') ?? 'offline';
  const dimensions = positiveInt(env, 'SLUICE_EMBEDDINGS_DIMENSIONS', issues, '1536');
  const batchSize = positiveInt(env, 'SLUICE_EMBEDDINGS_BATCH', issues, '64');
  const requestsPerMinute = positiveInt(env, 'SLUICE_EMBEDDINGS_RPM', issues, '3000');
  const prefix = val(env, 'SLUICE_QDRANT_PREFIX') ?? DEFAULT_COLLECTION_PREFIX;
  const prefixOk = CollectionPrefix.safeParse(prefix);
  if (!prefixOk.success) issues.push(`SLUICE_QDRANT_PREFIX ${prefixOk.error.issues[0]?.message ?? 'is invalid'}, e.g. sluice_staging`);

  let input: EmbeddingSettingsInput | null = null;
  if (provider === 'offline') {
    for (const name of ['SLUICE_EMBEDDINGS_URL', 'SLUICE_EMBEDDINGS_MODEL', 'SLUICE_EMBEDDINGS_KEY']) {
      if (val(env, name)) issues.push(`${name} is set but SLUICE_EMBEDDINGS is offline; set SLUICE_EMBEDDINGS=openai to use an embeddings API, or unset ${name}`);
    }
    input = { provider: 'offline', ...(dimensions !== undefined ? { dimensions } : {}) };
  } else if (provider === 'openai') {
    const url = val(env, 'SLUICE_EMBEDDINGS_URL');
    const model = val(env, 'SLUICE_EMBEDDINGS_MODEL');
    if (!url) issues.push('SLUICE_EMBEDDINGS_URL is required with SLUICE_EMBEDDINGS=openai, e.g. https://api.openai.com/v1');
    else if (!/^https?:\/\/[^\s]+$/.test(url)) issues.push(`SLUICE_EMBEDDINGS_URL must be an http(s) URL, e.g. https://api.openai.com/v1`);
    if (!model) issues.push('SLUICE_EMBEDDINGS_MODEL is required with SLUICE_EMBEDDINGS=openai, e.g. text-embedding-3-small');
    if (url && model) {
      input = {
        provider: 'openai',
        url,
        model,
        key: val(env, 'SLUICE_EMBEDDINGS_KEY') ?? null,
        dimensions: dimensions ?? null,
        ...(batchSize !== undefined ? { batchSize } : {}),
        requestsPerMinute: requestsPerMinute ?? null,
      };
    }
  } else {
    issues.push(`SLUICE_EMBEDDINGS must be "offline" or "openai", got "${provider}"`);
  }
  if (input) {
    const parsed = EmbeddingSettings.safeParse(input);
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const name = { url: 'SLUICE_EMBEDDINGS_URL', dimensions: 'SLUICE_EMBEDDINGS_DIMENSIONS', batchSize: 'SLUICE_EMBEDDINGS_BATCH', requestsPerMinute: 'SLUICE_EMBEDDINGS_RPM' }[String(i.path[0])] ?? `SLUICE_EMBEDDINGS (${i.path.join('.')})`;
        issues.push(`${name} ${i.message}`);
      }
    } else if (issues.length === 0) {
      return { ok: true, value: { embeddings: parsed.data, collectionPrefix: prefix } };
    }
  }
  return { ok: false, issues };
};

/** What vectorize threads and search tasks get, or null when Qdrant is not configured (the stage is off). */
export const vectorSettingsOf = (config: { readonly qdrantUrl: string | null; readonly qdrantApiKey: string | null; readonly vectors: VectorConfig }): VectorSettings | null =>
  config.qdrantUrl
    ? VectorSettings.parse({ qdrantUrl: config.qdrantUrl, qdrantApiKey: config.qdrantApiKey, collectionPrefix: config.vectors.collectionPrefix, embeddings: config.vectors.embeddings })
    : null;
