import { describe, expect, it } from 'vitest';

import { StageMessage, stageMessageSchemas } from '../queue/messages';
import { describeEmbedder, embedderId } from './settings';

const v2 = { v: 2, kind: 'vectorize', tenantId: 1, attempt: 1 } as const;

describe('vectorize messages (v2, v1 still accepted)', () => {
  it('accepts the three v2 jobs and the v1 shape', () => {
    expect(stageMessageSchemas.vectorize.parse({ ...v2, op: 'unit', integrationId: 2, runId: 3, stepKey: 'issues', rawId: 4 })).toMatchObject({ op: 'unit', rawId: 4 });
    expect(stageMessageSchemas.vectorize.parse({ ...v2, op: 'entities', entity: 'prs', ids: [1, 2], force: true })).toMatchObject({ op: 'entities' });
    expect(stageMessageSchemas.vectorize.parse({ ...v2, op: 'reembed', entity: 'work_items', scope: 'missing', integrationId: null, requestId: 'r-1' })).toMatchObject({ op: 'reembed' });
    const v1 = { v: 1, kind: 'vectorize', tenantId: 1, integrationId: 2, runId: 3, stepKey: 's', attempt: 1, entity: 'noop', ids: [9], rawId: 9 };
    expect(StageMessage.parse(v1)).toEqual(v1);
  });

  it('refuses what would fail in the handler: unknown kinds, too many ids, a v2 job with v1 fields', () => {
    expect(stageMessageSchemas.vectorize.safeParse({ ...v2, op: 'entities', entity: 'sprints', ids: [1], force: false }).success).toBe(false);
    expect(stageMessageSchemas.vectorize.safeParse({ ...v2, op: 'entities', entity: 'prs', ids: Array.from({ length: 501 }, (_, i) => i + 1), force: false }).success).toBe(false);
    expect(stageMessageSchemas.vectorize.safeParse({ ...v2, op: 'unit', integrationId: 2, runId: 3, stepKey: 'issues', rawId: 4, payload: {} }).success).toBe(false);
    expect(stageMessageSchemas.vectorize.safeParse({ ...v2, op: 'purge' }).success).toBe(false);
  });
});

describe('embedder identity', () => {
  it('names the provider, model and size, and never shows a key', () => {
    expect(embedderId({ provider: 'offline', dimensions: 384 })).toBe('offline-lexical-v1/384');
    const openai = { provider: 'openai', url: 'https://user:pw@gateway.example/v1?x=1', model: 'text-embedding-3-small', key: 'sk-secret', dimensions: null, batchSize: 64, requestsPerMinute: null, maxRetries: 5, timeoutMs: 60_000 } as const;
    expect(embedderId(openai)).toBe('openai:text-embedding-3-small/native');
    const d = describeEmbedder(openai);
    expect(d).toMatchObject({ provider: 'openai', lexical: false });
    expect(JSON.stringify(d)).not.toMatch(/sk-secret|user:pw|x=1/);
    expect(describeEmbedder({ provider: 'offline', dimensions: 384 }).summary).toMatch(/lexical, not semantic/);
  });
});
