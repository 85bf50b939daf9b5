import { describe, expect, it } from 'vitest';

import { DeadLetterEnvelope } from '../../shared/queue/messages';
import { payloadRefOf, toDeadLetterItem } from './dead-letters';

const env = (body: string, bodyEncoding: 'utf8' | 'base64' = 'utf8') =>
  DeadLetterEnvelope.parse({
    v: 1,
    kind: 'dead_letter',
    id: 'd-1',
    reason: 'invalid_message',
    stage: 'load',
    attempts: 0,
    firstFailureAt: '2026-01-01T10:00:00.000Z',
    lastFailureAt: '2026-01-01T10:00:00.000Z',
    error: null,
    issues: ['rawId: expected number'],
    original: { messageId: null, routingKey: 'load', headers: {}, body, bodyEncoding },
  });

describe('dead letters as the console shows them', () => {
  it('reads whose message it was even when one field is wrong', () => {
    expect(payloadRefOf(env(JSON.stringify({ tenantId: 4, runId: 8, stepKey: 'issues', rawId: 'x', kind: 'load' })))).toEqual({
      tenantId: 4, integrationId: null, runId: 8, step: 'issues', rawId: null, stream: null, partition: null, cursor: null, entity: null,
    });
    expect(payloadRefOf(env(JSON.stringify({ kind: 'extract', runId: 8 })))).toBeNull();
    expect(payloadRefOf(env('{not json'))).toBeNull();
    expect(payloadRefOf(env(Buffer.from([0xff, 0xfe]).toString('base64'), 'base64'))).toBeNull();
  });

  it('cuts long bodies for the preview and keeps their size', () => {
    const body = JSON.stringify({ tenantId: 1, pad: 'é'.repeat(500) });
    const item = toDeadLetterItem(env(body));
    expect(item.bodyPreview).toHaveLength(401);
    expect(item.bodyPreview.endsWith('…')).toBe(true);
    // Bytes, not characters: the accented padding is two bytes each.
    expect(item.bodyBytes).toBe(body.length + 500);
  });
});
