/**
 * Benchmark (not a test): messages/s through one stage queue with the real runtime: `Publisher`
 * (persistent, confirmed, schema-validated) and `StageConsumer` (prefetch, ack after a no-op handler).
 *
 *   RABBITMQ_URL=amqp://... npx tsx scripts/bench-queue.ts [--messages 50000] [--window 1000] [--prefetch 100]
 *
 * Uses its own random namespace and deletes its queues afterwards.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

import { createTopology } from '../shared/queue/topology';
import { QueueConnection } from '../workers/queue/connection';
import { StageConsumer } from '../workers/queue/consumer';
import { Publisher } from '../workers/queue/publisher';

const { values: args } = parseArgs({
  options: { messages: { type: 'string', default: '50000' }, window: { type: 'string', default: '1000' }, prefetch: { type: 'string', default: '100' } },
});
const N = Number(args.messages);
const WINDOW = Number(args.window);
const PREFETCH = Number(args.prefetch);
const url = process.env.RABBITMQ_URL;
if (!url) {
  console.error('bench-queue: set RABBITMQ_URL to a RabbitMQ server.');
  process.exit(1);
}

const main = async (): Promise<void> => {
  const topology = createTopology({ prefix: `bench-${randomBytes(3).toString('hex')}.` });
  const connection = new QueueConnection({ url, topology, name: `${topology.namespace} bench` });
  await connection.start();
  const publisher = new Publisher(connection);
  try {
    // Publish: keep WINDOW confirms outstanding (awaiting each one serially would measure round trips).
    const started = performance.now();
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < N) {
        const i = next++;
        await publisher.publishStage('transform', { v: 1, kind: 'transform', tenantId: 1, integrationId: 1, runId: 1, stepKey: 'issues', rawId: i + 1, attempt: 1 });
      }
    };
    await Promise.all(Array.from({ length: WINDOW }, lane));
    const publishMs = performance.now() - started;

    let processed = 0;
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    const consumer = new StageConsumer(connection, publisher, {
      stage: 'transform',
      prefetch: PREFETCH,
      handler: async () => {
        processed += 1;
        if (processed === N) resolveDone();
      },
    });
    const consumeStarted = performance.now();
    await consumer.start();
    await done;
    // The last ack is sent right after the last handler resolves; stop() waits for in-flight ones.
    await consumer.stop();
    const consumeMs = performance.now() - consumeStarted;
    const stats = consumer.stats();
    if (stats.processed !== N) throw new Error(`expected ${N} processed, got ${stats.processed}`);

    console.log(`\n${N} transform messages (~${JSON.stringify({ v: 1, kind: 'transform', tenantId: 1, integrationId: 1, runId: 1, stepKey: 'issues', rawId: N, attempt: 1 }).length} B), quorum stage queue`);
    console.log(`publish, confirms, ${WINDOW} in flight   ${(publishMs / 1000).toFixed(2).padStart(6)} s  ${Math.round(N / (publishMs / 1000)).toLocaleString('en-US').padStart(8)} msg/s`);
    console.log(`consume, prefetch ${PREFETCH}, ack, no-op    ${(consumeMs / 1000).toFixed(2).padStart(6)} s  ${Math.round(N / (consumeMs / 1000)).toLocaleString('en-US').padStart(8)} msg/s`);
  } finally {
    const model = await connection.whenConnected(10_000);
    const ch = await model.createChannel();
    for (const q of topology.queues) await ch.deleteQueue(q.name);
    for (const ex of Object.values(topology.exchanges)) await ch.deleteExchange(ex.name);
    await ch.close();
    await publisher.close();
    await connection.close();
  }
};

main().catch((error: unknown) => {
  console.error(`bench-queue: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
