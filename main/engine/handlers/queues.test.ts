import { describe, expect, it } from 'vitest';

import { describeAction } from './queues';

describe('queues handlers', () => {
  it('says what a requeue or discard did in one sentence', () => {
    expect(describeAction('requeue', { requeued: 2, discarded: 0, notFound: [], skipped: [] })).toBe('2 dead letters requeued to their stages with a fresh retry budget.');
    expect(describeAction('discard', { requeued: 0, discarded: 1, notFound: ['a'], skipped: ['b', 'c'] })).toBe("1 dead letter discarded; 1 no longer in the queue (handled elsewhere), 2 left alone (another tenant's).");
  });
});
