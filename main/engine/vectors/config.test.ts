import { describe, expect, it } from 'vitest';

import { ConfigError, loadConfig } from '../config';
import { parseVectorEnv, vectorSettingsOf } from './config';

describe('embedding configuration from the environment', () => {
  it('defaults to the offline embedder at 384 dimensions and the sluice prefix', () => {
    expect(parseVectorEnv({})).toEqual({ ok: true, value: { embeddings: { provider: 'offline', dimensions: 384 }, collectionPrefix: 'sluice' } });
    expect(parseVectorEnv({ SLUICE_EMBEDDINGS_DIMENSIONS: '128', SLUICE_QDRANT_PREFIX: 'staging_1' })).toEqual({ ok: true, value: { embeddings: { provider: 'offline', dimensions: 128 }, collectionPrefix: 'staging_1' } });
  });

  it('reads an OpenAI-compatible endpoint with its model, key, size, batch and rate', () => {
    const r = parseVectorEnv({ SLUICE_EMBEDDINGS: 'openai', SLUICE_EMBEDDINGS_URL: 'https://api.openai.com/v1', SLUICE_EMBEDDINGS_MODEL: 'text-embedding-3-small', SLUICE_EMBEDDINGS_KEY: 'sk-x', SLUICE_EMBEDDINGS_DIMENSIONS: '512', SLUICE_EMBEDDINGS_BATCH: '32', SLUICE_EMBEDDINGS_RPM: '600' });
    expect(r).toEqual({
      ok: true,
      value: {
        collectionPrefix: 'sluice',
        embeddings: { provider: 'openai', url: 'https://api.openai.com/v1', model: 'text-embedding-3-small', key: 'sk-x', dimensions: 512, batchSize: 32, requestsPerMinute: 600, maxRetries: 5, timeoutMs: 60_000 },
      },
    });
  });

  it('names the variable and gives an example for every mistake', () => {
    expect(parseVectorEnv({ SLUICE_EMBEDDINGS: 'openai' })).toEqual({
      ok: false,
      issues: ['SLUICE_EMBEDDINGS_URL is required with SLUICE_EMBEDDINGS=openai, e.g. https://api.openai.com/v1', 'SLUICE_EMBEDDINGS_MODEL is required with SLUICE_EMBEDDINGS=openai, e.g. text-embedding-3-small'],
    });
    expect(parseVectorEnv({ SLUICE_EMBEDDINGS: 'bert' })).toEqual({ ok: false, issues: ['SLUICE_EMBEDDINGS must be "offline" or "openai", got "bert"'] });
    expect(parseVectorEnv({ SLUICE_EMBEDDINGS_DIMENSIONS: 'big' })).toMatchObject({ ok: false, issues: ['SLUICE_EMBEDDINGS_DIMENSIONS must be a positive whole number, e.g. 1536'] });
    expect(parseVectorEnv({ SLUICE_EMBEDDINGS_DIMENSIONS: '8' })).toMatchObject({ ok: false, issues: [expect.stringMatching(/^SLUICE_EMBEDDINGS_DIMENSIONS /)] });
    expect(parseVectorEnv({ SLUICE_EMBEDDINGS_MODEL: 'm' })).toMatchObject({ ok: false, issues: [expect.stringContaining('SLUICE_EMBEDDINGS_MODEL is set but SLUICE_EMBEDDINGS is offline')] });
    expect(parseVectorEnv({ SLUICE_QDRANT_PREFIX: 'Bad/Prefix' })).toMatchObject({ ok: false, issues: [expect.stringContaining('SLUICE_QDRANT_PREFIX')] });
    expect(() => loadConfig({ SLUICE_EMBEDDINGS: 'openai', SLUICE_EMBEDDINGS_MODEL: 'm' })).toThrow(ConfigError);
    expect(() => loadConfig({ SLUICE_EMBEDDINGS: 'openai', SLUICE_EMBEDDINGS_MODEL: 'm' })).toThrow(/SLUICE_EMBEDDINGS_URL is required/);
  });

  it('vectors are off without QDRANT_URL, and on with it (keys included, for the worker threads only)', () => {
    expect(vectorSettingsOf(loadConfig({}))).toBeNull();
    expect(vectorSettingsOf(loadConfig({ QDRANT_URL: 'http://127.0.0.1:6333', QDRANT_API_KEY: 'qk' }))).toEqual({
      qdrantUrl: 'http://127.0.0.1:6333',
      qdrantApiKey: 'qk',
      collectionPrefix: 'sluice',
      embeddings: { provider: 'offline', dimensions: 384 },
      sweepIntervalMs: 5_000,
    });
  });
});
