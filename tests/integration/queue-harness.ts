import { randomBytes } from 'node:crypto';

import { createTopology, type Topology, type TopologyOptions } from '../../shared/queue/topology';
import { QueueConnection } from '../../workers/queue/connection';
import { RabbitManagement } from '../../workers/queue/management';
import { Publisher } from '../../workers/queue/publisher';
import { requireEnv } from './support/env';

/**
 * Shared setup for the queue-*.test.ts files: each file gets its own queue namespace (random prefix)
 * on the shared broker, so files run in parallel, and deletes it afterwards.
 */
export interface QueueHarness {
  readonly topology: Topology;
  readonly management: RabbitManagement;
  /** A started connection (closed by `cleanup`). */
  connect(name?: string): Promise<QueueConnection>;
  publisher(connection: QueueConnection): Publisher;
  /** Ready (not unacked) messages in a queue, read over AMQP (the management API lags by seconds). */
  ready(queue: string): Promise<number>;
  cleanup(): Promise<void>;
}

export const createQueueHarness = (label: string, options: Omit<TopologyOptions, 'prefix'> = {}): QueueHarness => {
  const url = requireEnv('RABBITMQ_URL');
  const management = new RabbitManagement(requireEnv('RABBITMQ_MANAGEMENT_URL'));
  const prefix = `it-${label}-${randomBytes(3).toString('hex')}.`;
  const topology = createTopology({ prefix, ...options });
  const connections: QueueConnection[] = [];
  const publishers: Publisher[] = [];
  let probe: QueueConnection | null = null;

  const connect = async (name = `${prefix}conn-${connections.length}`): Promise<QueueConnection> => {
    const c = new QueueConnection({ url, topology, name, backoff: { initialMs: 50, maxMs: 500 } });
    connections.push(c);
    await c.start();
    return c;
  };

  return {
    topology,
    management,
    connect,
    publisher: (connection) => {
      const p = new Publisher(connection, { connectTimeoutMs: 10_000, confirmTimeoutMs: 10_000 });
      publishers.push(p);
      return p;
    },
    ready: async (queue) => {
      probe ??= await connect(`${prefix}probe`);
      const model = await probe.whenConnected(5_000);
      const ch = await model.createChannel();
      try {
        return (await ch.checkQueue(queue)).messageCount;
      } finally {
        await ch.close().catch(() => undefined);
      }
    },
    cleanup: async () => {
      for (const p of publishers) await p.close();
      for (const c of connections) await c.close();
      await management.deleteByPrefix(prefix);
    },
  };
};

/** Polls `condition` until it holds; fails with `what` after `timeoutMs`. No fixed sleeps in tests. */
export const waitFor = async (what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

/** A valid transform message for tests. */
export const transformMessage = (rawId: number, overrides: Record<string, unknown> = {}) => ({
  v: 1 as const,
  kind: 'transform' as const,
  tenantId: 1,
  integrationId: 2,
  runId: 3,
  stepKey: 'issues',
  rawId,
  attempt: 1,
  ...overrides,
});
