import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { StateChange } from '../../workers/queue/connection';
import { StageConsumer } from '../../workers/queue/consumer';
import { DeadLetters } from '../../workers/queue/dead-letters';
import { PublishNotConfirmedError } from '../../workers/queue/publisher';
import { createQueueHarness, transformMessage, waitFor, type QueueHarness } from './queue-harness';

/** The management API lists a new connection only after its next stats tick (up to ~5 s). */
const visible = async (h: QueueHarness, name: string): Promise<void> =>
  waitFor(`connection ${name} listed by the management API`, async () => (await h.management.connections()).some((c) => c.client_properties?.connection_name === name), 20_000);

describe('connection loss and crash loops', () => {
  let h: QueueHarness;

  beforeAll(() => {
    h = createQueueHarness('reconn', { deliveryLimit: 2 });
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it('a connection closed by the broker: the consumer reconnects and every message is processed', async () => {
    const connection = await h.connect(`${h.topology.namespace}.worker`);
    const states: StateChange['state'][] = [];
    connection.onState((c) => states.push(c.state));
    const publisher = h.publisher(connection);
    const committed = new Map<number, number>();
    const consumer = new StageConsumer(connection, publisher, {
      stage: 'transform',
      prefetch: 10,
      handler: async (m) => {
        await new Promise((r) => setTimeout(r, 10)); // ~1000 msg/s, so the cut lands mid-stream
        committed.set(m.rawId, (committed.get(m.rawId) ?? 0) + 1); // idempotent: a map keyed by unit
      },
    });
    await consumer.start();
    await visible(h, `${h.topology.namespace}.worker`);
    const total = 400;
    await Promise.all(Array.from({ length: total }, (_, i) => publisher.publishStage('transform', transformMessage(i + 1))));
    await waitFor('some progress before the cut', () => committed.size >= 50);
    const closed = await h.management.closeConnectionsNamed(`${h.topology.namespace}.worker`, 'test: broker drops the worker');
    expect(closed).toBe(1);
    expect(committed.size).toBeLessThan(total);
    await waitFor('every unit committed after the reconnect', () => committed.size === total);
    expect(states).toContain('reconnecting');
    expect(states.at(-1)).toBe('connected');
    // Nothing lost; the in-flight ones at the cut may have been delivered twice, never more often.
    expect([...committed.values()].every((n) => n >= 1 && n <= 2)).toBe(true);
    // Messages unacked at the cut came back from the broker on the new channel.
    expect(consumer.stats().redelivered).toBeGreaterThan(0);
    await waitFor('queue drained', async () => (await h.ready(h.topology.stageQueue('transform'))) === 0 && consumer.stats().inFlight === 0);
    await consumer.stop();
  });

  it('publishes in flight when the connection drops fail with PublishNotConfirmedError; later ones go through', async () => {
    const name = `${h.topology.namespace}.publisher`;
    const connection = await h.connect(name);
    const publisher = h.publisher(connection);
    await visible(h, name);
    // The cut is triggered by progress, not by a timer: once 1,000 of 20,000 are confirmed, thousands
    // are written and awaiting their confirm, so some must fail.
    let confirmedSoFar = 0;
    let cut: Promise<number> | null = null;
    const outcomes = Array.from({ length: 20_000 }, (_, i) =>
      publisher.publishStage('extract', { v: 1, kind: 'extract', tenantId: 1, integrationId: 1, runId: 1, stepKey: 's', stream: 'issues', partition: null, cursor: String(i), attempt: 1 }).then(
        () => {
          confirmedSoFar += 1;
          if (confirmedSoFar === 1000) cut = h.management.closeConnectionsNamed(name);
          return 'ok' as const;
        },
        (e: unknown) => e,
      ),
    );
    const settled = await Promise.all(outcomes);
    expect(await cut).toBe(1);
    const failures = settled.filter((s) => s !== 'ok');
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((f) => f instanceof PublishNotConfirmedError)).toBe(true);
    expect(String((failures[0] as Error).message)).toMatch(/was not confirmed by RabbitMQ .*publish it again/);
    // Every confirmed publish is in the queue (unconfirmed ones may or may not be).
    const confirmed = settled.filter((s) => s === 'ok').length;
    expect(await h.ready(h.topology.stageQueue('extract'))).toBeGreaterThanOrEqual(confirmed);
    // After the reconnect the same publisher works again.
    await publisher.publishStage('extract', { v: 1, kind: 'extract', tenantId: 1, integrationId: 1, runId: 1, stepKey: 's', stream: 'issues', partition: null, cursor: 'after', attempt: 1 });
  });

  it('a message that keeps killing its worker is dead-lettered by the broker after the delivery limit', async () => {
    const connection = await h.connect();
    const publisher = h.publisher(connection);
    await publisher.publishStage('load', { ...transformMessage(99), kind: 'load' });
    let deliveries = 0;
    // Each round: a worker takes the message and dies before acking (simulated by a stop that times out).
    for (let round = 0; round < 3; round += 1) {
      const before = deliveries;
      const doomed = new StageConsumer(connection, publisher, {
        stage: 'load',
        stopTimeoutMs: 50,
        handler: async () => {
          deliveries += 1;
          await new Promise<never>(() => undefined);
        },
      });
      await doomed.start();
      const got = await waitFor('a delivery', () => deliveries > before, 3000).then(
        () => true,
        () => false,
      );
      await doomed.stop();
      if (!got) break; // the broker dead-lettered it
    }
    expect(deliveries).toBe(3); // 1 delivery + 2 redeliveries = the limit of 2, then dead-lettered
    const dl = new DeadLetters(connection, publisher);
    await waitFor('broker dead letter', async () => (await dl.count()) === 1);
    const [letter] = (await dl.list()).items;
    expect(letter).toMatchObject({ reason: 'delivery_limit', stage: 'load', original: { routingKey: 'load' } });
    expect(JSON.parse(letter!.original.body)).toMatchObject({ rawId: 99 });
  });
});
