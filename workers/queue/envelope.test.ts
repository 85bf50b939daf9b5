import type { Message } from 'amqplib';
import { describe, expect, it } from 'vitest';

import { createTopology } from '../../shared/queue/topology';
import { backoffDelay } from './connection';
import { buildDeadLetter, originalBody, readDeadLetter } from './envelope';

const message = (content: Buffer, headers: Record<string, unknown> = {}, messageId: string | undefined = 'm-1'): Message =>
  ({
    content,
    fields: { deliveryTag: 1, redelivered: false, exchange: 'x', routingKey: 'transform' },
    properties: { headers, messageId },
  }) as unknown as Message;

describe('dead-letter envelopes', () => {
  const topology = createTopology({ prefix: 'u.' });

  it('wraps the original byte for byte and keeps the first failure time across retries', () => {
    const msg = message(Buffer.from('{"rawId":1}'), { 'x-sluice-first-failure-at': '2024-01-01T00:00:00.000Z' });
    const env = buildDeadLetter(msg, { reason: 'retries_exhausted', stage: 'transform', attempts: 4, error: new Error('db down'), now: new Date('2024-01-01T00:06:00.000Z') });
    expect(env).toMatchObject({ reason: 'retries_exhausted', attempts: 4, firstFailureAt: '2024-01-01T00:00:00.000Z', lastFailureAt: '2024-01-01T00:06:00.000Z', error: { message: 'db down' } });
    expect(originalBody(env).toString()).toBe('{"rawId":1}');
    // Round-trips through the queue as itself.
    expect(readDeadLetter(message(Buffer.from(JSON.stringify(env))), topology)).toEqual(env);
  });

  it('keeps a non-UTF-8 body exactly, as base64', () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x41]);
    const env = buildDeadLetter(message(bytes), { reason: 'invalid_message', stage: 'load', attempts: 0, error: null });
    expect(env.original.bodyEncoding).toBe('base64');
    expect(originalBody(env).equals(bytes)).toBe(true);
  });

  it('describes a message the broker dead-lettered itself from its x-death headers', () => {
    const body = Buffer.from('{"kind":"load","attempt":2}');
    const env = readDeadLetter(
      message(body, {
        'x-first-death-queue': topology.stageQueue('load'),
        'x-first-death-reason': 'delivery_limit',
        'x-death': [{ queue: topology.stageQueue('load'), reason: 'delivery_limit', count: 1, time: { '!': 'timestamp', value: 1_700_000_000 }, 'routing-keys': ['load'] }],
      }),
      topology,
    );
    expect(env).toMatchObject({ id: 'm-1', reason: 'delivery_limit', stage: 'load', attempts: 2, lastFailureAt: '2023-11-14T22:13:20.000Z', original: { routingKey: 'load' } });
  });
});

describe('reconnect backoff', () => {
  it('grows exponentially, is capped, and is jittered within [base/2, base]', () => {
    const b = { initialMs: 100, maxMs: 1000, factor: 2 };
    expect([1, 2, 3, 4, 5, 10].map((a) => backoffDelay(a, b, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelay(3, b, () => 0)).toBe(200);
  });
});
