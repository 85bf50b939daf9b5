import { describe, expect, it } from 'vitest';

import { DeadLetterEnvelope, MessageHeaders, StageMessage, stageMessageSchemas } from './messages';

const base = { v: 1, tenantId: 1, integrationId: 2, runId: 3, stepKey: 'issues', attempt: 1 };

describe('stage messages', () => {
  it('accepts ids-only messages of each stage', () => {
    expect(stageMessageSchemas.extract.safeParse({ ...base, kind: 'extract', stream: 'issues', partition: null, cursor: null }).success).toBe(true);
    expect(stageMessageSchemas.transform.safeParse({ ...base, kind: 'transform', rawId: 9 }).success).toBe(true);
    expect(stageMessageSchemas.load.safeParse({ ...base, kind: 'load', rawId: 9 }).success).toBe(true);
    expect(stageMessageSchemas.vectorize.safeParse({ ...base, kind: 'vectorize', entity: 'work_items', ids: [1, 2], rawId: null }).success).toBe(true);
    expect(StageMessage.parse({ ...base, kind: 'load', rawId: 9 }).kind).toBe('load');
  });

  it('refuses payloads, unknown versions, wrong kinds and bad ids', () => {
    const t = stageMessageSchemas.transform;
    expect(t.safeParse({ ...base, kind: 'transform', rawId: 9, payload: { issues: [] } }).success).toBe(false);
    expect(t.safeParse({ ...base, v: 2, kind: 'transform', rawId: 9 }).success).toBe(false);
    expect(t.safeParse({ ...base, kind: 'load', rawId: 9 }).success).toBe(false);
    expect(t.safeParse({ ...base, kind: 'transform', rawId: -1 }).success).toBe(false);
    expect(t.safeParse({ ...base, kind: 'transform', rawId: 1, attempt: 0 }).success).toBe(false);
    expect(stageMessageSchemas.vectorize.safeParse({ ...base, kind: 'vectorize', entity: 'DROP TABLE x', ids: [1], rawId: null }).success).toBe(false);
  });

  it('headers: requires version and publish time, keeps unknown broker headers', () => {
    const h = MessageHeaders.parse({ 'x-sluice-v': 1, 'x-sluice-published-at': '2024-01-01T00:00:00.000Z', 'x-death': [{ count: 1 }] });
    expect(h['x-death']).toEqual([{ count: 1 }]);
    expect(MessageHeaders.safeParse({ 'x-sluice-v': 1 }).success).toBe(false);
  });

  it('dead-letter envelope keeps the original and the failure facts', () => {
    const env = {
      v: 1,
      kind: 'dead_letter',
      id: 'x',
      reason: 'retries_exhausted',
      stage: 'load',
      attempts: 4,
      firstFailureAt: '2024-01-01T00:00:00.000Z',
      lastFailureAt: '2024-01-01T00:05:35.000Z',
      error: { name: 'RetryableError', message: 'db down' },
      issues: [],
      original: { messageId: 'm', routingKey: 'load', headers: {}, body: '{}', bodyEncoding: 'utf8' },
    };
    expect(DeadLetterEnvelope.parse(env)).toEqual(env);
    expect(DeadLetterEnvelope.safeParse({ ...env, reason: 'whatever' }).success).toBe(false);
  });
});
