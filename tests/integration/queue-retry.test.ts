import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { HEADER } from '../../shared/queue/messages';
import type { QueueConnection } from '../../workers/queue/connection';
import { StageConsumer, type HandlerContext } from '../../workers/queue/consumer';
import { DeadLetters } from '../../workers/queue/dead-letters';
import { PermanentError, RetryableError } from '../../workers/queue/errors';
import type { Publisher } from '../../workers/queue/publisher';
import { createQueueHarness, transformMessage, waitFor, type QueueHarness } from './queue-harness';

describe('retries through delay tiers, dead letters and requeue', () => {
  let h: QueueHarness;
  let connection: QueueConnection;
  let publisher: Publisher;

  beforeAll(async () => {
    // Short tiers so the test runs in about a second; maxAttempts 3 = first try + 2 retries.
    h = createQueueHarness('retry', { delayTiersMs: [150, 400], maxAttempts: 3 });
    connection = await h.connect();
    publisher = h.publisher(connection);
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it('retries a failing handler with increasing delays, then dead-letters it with attempts and times', async () => {
    const calls: { at: number; ctx: HandlerContext; attempt: number }[] = [];
    const consumer = new StageConsumer(connection, publisher, {
      stage: 'transform',
      handler: async (m, ctx) => {
        calls.push({ at: Date.now(), ctx, attempt: m.attempt });
        throw new RetryableError(`upstream 503 on try ${m.attempt}`);
      },
    });
    await consumer.start();
    const id = await publisher.publishStage('transform', transformMessage(7));
    await waitFor('dead-lettered after the budget', () => consumer.stats().deadLettered === 1);
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(calls.every((c) => c.ctx.messageId === id)).toBe(true);
    // The waits follow the tiers (expiry is checked lazily, so allow slack above, none below).
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(140);
    expect(calls[2]!.at - calls[1]!.at).toBeGreaterThanOrEqual(390);
    expect(calls[2]!.ctx.headers[HEADER.lastError]).toBe('upstream 503 on try 2');
    expect(consumer.stats()).toMatchObject({ failed: 3, retried: 2, deadLettered: 1, processed: 0, inFlight: 0 });
    expect(consumer.stats().lastError?.message).toBe('upstream 503 on try 3');
    await consumer.stop();

    const dl = new DeadLetters(connection, publisher);
    const { items } = await dl.list();
    expect(items).toHaveLength(1);
    const letter = items[0]!;
    expect(letter).toMatchObject({
      reason: 'retries_exhausted',
      stage: 'transform',
      attempts: 3,
      error: { name: 'RetryableError', message: 'upstream 503 on try 3' },
      original: { messageId: id },
    });
    expect(JSON.parse(letter.original.body)).toMatchObject({ rawId: 7, attempt: 3 });
    expect(Date.parse(letter.lastFailureAt) - Date.parse(letter.firstFailureAt)).toBeGreaterThanOrEqual(500);
    await dl.discard('all');
  });

  it('a PermanentError is dead-lettered at once, and a requeued dead letter is processed after the fix', async () => {
    let fixed = false;
    const done: number[] = [];
    const consumer = new StageConsumer(connection, publisher, {
      stage: 'load',
      handler: async (m) => {
        if (!fixed) throw new PermanentError(`raw row ${m.rawId} has no payload`);
        done.push(m.attempt);
      },
    });
    await consumer.start();
    await publisher.publishStage('load', { ...transformMessage(9), kind: 'load' });
    await waitFor('dead-lettered', () => consumer.stats().deadLettered === 1);
    expect(consumer.stats()).toMatchObject({ failed: 1, retried: 0 });

    const dl = new DeadLetters(connection, publisher);
    const [letter] = (await dl.list()).items;
    expect(letter).toMatchObject({ reason: 'permanent_error', attempts: 1, stage: 'load' });
    fixed = true;
    const result = await dl.requeue([letter!.id]);
    expect(result).toMatchObject({ requeued: 1, notFound: [], skipped: [] });
    await waitFor('requeued message processed', () => done.length === 1);
    expect(done).toEqual([1]); // attempt reset
    await waitFor('dead-letter queue empty', async () => (await dl.count()) === 0);
    await consumer.stop();
  });

  it('unknown errors are retried like RetryableError and succeed on a later attempt', async () => {
    const attempts: number[] = [];
    const consumer = new StageConsumer(connection, publisher, {
      stage: 'vectorize',
      prefetch: 20,
      handler: async (m) => {
        attempts.push(m.attempt);
        if (m.attempt === 1) throw new TypeError('boom');
      },
    });
    await consumer.start();
    for (let i = 1; i <= 10; i += 1) {
      await publisher.publishStage('vectorize', { v: 1, kind: 'vectorize', tenantId: 1, integrationId: 2, runId: 3, stepKey: 'issues', attempt: 1, entity: 'work_items', ids: [i], rawId: i });
    }
    await waitFor('all processed on attempt 2', () => consumer.stats().processed === 10);
    expect(attempts.filter((a) => a === 1)).toHaveLength(10);
    expect(attempts.filter((a) => a === 2)).toHaveLength(10);
    expect(consumer.stats()).toMatchObject({ retried: 10, deadLettered: 0 });
    await consumer.stop();
  });
});
