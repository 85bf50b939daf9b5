import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { MessageOf } from '../../shared/queue/messages';
import { createTopology } from '../../shared/queue/topology';
import { declareTopology, type QueueConnection } from '../../workers/queue/connection';
import { StageConsumer, type HandlerContext } from '../../workers/queue/consumer';
import { DeadLetters } from '../../workers/queue/dead-letters';
import type { Publisher } from '../../workers/queue/publisher';
import { createQueueHarness, transformMessage, waitFor, type QueueHarness } from './queue-harness';
import { requireEnv } from './support/env';

describe('queue topology, publish and consume', () => {
  let h: QueueHarness;
  let connection: QueueConnection;
  let publisher: Publisher;

  beforeAll(async () => {
    h = createQueueHarness('topo');
    connection = await h.connect();
    publisher = h.publisher(connection);
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it('declares every queue with its type, and declaring again (another connection) changes nothing', async () => {
    const second = await h.connect();
    expect(second.state).toBe('connected');
    const model = await second.whenConnected();
    await declareTopology(model, h.topology);
    const queues = await h.management.queues(h.topology.namespace);
    expect(queues.map((q) => q.name).sort()).toEqual(h.topology.queues.map((q) => q.name).sort());
    // 4 stages + 4 × 3 delay tiers + 1 dead-letter queue
    expect(queues).toHaveLength(17);
    const types = Object.fromEntries(queues.map((q) => [q.name, q.type]));
    expect(types[h.topology.stageQueue('load')]).toBe('quorum');
    expect(types[h.topology.delayFor('load', 1).queue]).toBe('classic');
    expect(types[h.topology.deadLetterQueue]).toBe('quorum');
  });

  it('refuses, with a clear error, a queue that exists with other arguments', async () => {
    const changed = createTopology({ prefix: h.topology.namespace.replace(/sluice\.v1$/, ''), deliveryLimit: 3 });
    const model = await amqp.connect(requireEnv('RABBITMQ_URL'));
    try {
      await expect(declareTopology(model, changed)).rejects.toThrow(/exists with different settings.*drain and delete it/);
    } finally {
      await model.close().catch(() => undefined);
    }
  });

  it('acks only after the handler resolves', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const seen: MessageOf<'transform'>[] = [];
    const consumer = new StageConsumer(connection, publisher, {
      stage: 'transform',
      prefetch: 5,
      handler: async (message) => {
        seen.push(message);
        await gate;
      },
    });
    await consumer.start();
    const id = await publisher.publishStage('transform', transformMessage(11));
    expect(id).toMatch(/[0-9a-f-]{36}/);
    await waitFor('the handler received the message', () => seen.length === 1);
    expect(consumer.stats()).toMatchObject({ inFlight: 1, processed: 0 });
    release();
    await waitFor('the message was acked', () => consumer.stats().processed === 1);
    expect(seen[0]).toMatchObject({ kind: 'transform', rawId: 11, attempt: 1 });
    await consumer.stop();
    // Acked, so closing the channel returned nothing to the queue.
    expect(await h.ready(h.topology.stageQueue('transform'))).toBe(0);
  });

  it('a handler that never resolves before its channel closes: the message is redelivered and counted once', async () => {
    const committed = new Set<string>();
    const deliveries: HandlerContext[] = [];
    const hanging = new StageConsumer(connection, publisher, {
      stage: 'load',
      stopTimeoutMs: 300,
      handler: async (_m, ctx) => {
        deliveries.push(ctx);
        await new Promise<never>(() => undefined); // stuck (e.g. a database that never answers)
      },
    });
    await hanging.start();
    await publisher.publishStage('load', { ...transformMessage(21), kind: 'load' });
    await waitFor('first delivery', () => deliveries.length === 1);
    const stopped = await hanging.stop();
    expect(stopped.timedOut).toBe(true);
    expect(deliveries[0]!.signal.aborted).toBe(true);

    const healthy = new StageConsumer(connection, publisher, {
      stage: 'load',
      handler: async (m, ctx) => {
        deliveries.push(ctx);
        committed.add(`${m.runId}:${m.rawId}`); // an idempotent commit keyed by the unit
      },
    });
    await healthy.start();
    await waitFor('redelivery processed', () => healthy.stats().processed === 1);
    expect(deliveries).toHaveLength(2);
    expect(deliveries[1]!.redelivered).toBe(true);
    expect(deliveries[1]!.messageId).toBe(deliveries[0]!.messageId);
    expect(committed.size).toBe(1);
    expect(healthy.stats().redelivered).toBe(1);
    await healthy.stop();
    expect(await h.ready(h.topology.stageQueue('load'))).toBe(0);
  });

  it('dead-letters an invalid message at once, with the reason and the original body', async () => {
    let calls = 0;
    const consumer = new StageConsumer(connection, publisher, {
      stage: 'transform',
      handler: async () => {
        calls += 1;
      },
    });
    await consumer.start();
    const model = await connection.whenConnected();
    const ch = await model.createConfirmChannel();
    const bad = JSON.stringify({ v: 1, kind: 'transform', tenantId: 1, payload: { huge: 'raw page' } });
    ch.publish(h.topology.exchanges.stages.name, 'transform', Buffer.from(bad), { messageId: 'bad-1', persistent: true });
    ch.publish(h.topology.exchanges.stages.name, 'transform', Buffer.from('not json {'), { messageId: 'bad-2', persistent: true });
    await ch.waitForConfirms();
    await ch.close();
    await waitFor('two dead letters', () => consumer.stats().deadLettered === 2);
    expect(calls).toBe(0);
    expect(consumer.stats()).toMatchObject({ retried: 0, processed: 0 });
    await consumer.stop();

    const dl = new DeadLetters(connection, publisher);
    const list = await dl.list();
    expect(list.total).toBe(2);
    const byId = Object.fromEntries(list.items.map((i) => [i.original.messageId, i]));
    expect(byId['bad-1']).toMatchObject({ reason: 'invalid_message', stage: 'transform', attempts: 0, original: { body: bad, bodyEncoding: 'utf8' } });
    expect(byId['bad-1']!.issues.join('\n')).toMatch(/body\.(rawId|payload)/);
    expect(byId['bad-2']).toMatchObject({ reason: 'invalid_message', issues: ['body: not valid JSON'], original: { body: 'not json {' } });
    // Listing did not consume them (the quorum queue applies the return asynchronously).
    await waitFor('listed dead letters back in the queue', async () => (await dl.count()) === 2);
    const gone = await dl.discard([byId['bad-1']!.id, 'no-such-id']);
    expect(gone).toMatchObject({ discarded: 1, notFound: ['no-such-id'] });
    await waitFor('one dead letter left', async () => (await dl.count()) === 1);
    expect((await dl.discard('all')).discarded).toBe(1);
    expect(await dl.count()).toBe(0);
  });

  it('refuses to publish a message that breaks its schema (never puts a payload on a queue)', async () => {
    const bad = { ...transformMessage(1), payload: { fields: {} } } as unknown as MessageOf<'transform'>;
    await expect(publisher.publishStage('transform', bad)).rejects.toThrow(/Refusing to publish an invalid transform message/);
  });
});
