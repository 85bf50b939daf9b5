/**
 * Benchmark (not a test): messages/s through extract → transform → load with `noop` handlers and the
 * real supervisor (worker threads, RabbitMQ with confirms, ack after the handler). Each `load`
 * forwards to `vectorize`, which no pool consumes here, so "N messages in the vectorize queue" is an
 * exact end-to-end count with nothing peeking into the stages under test.
 *
 *   RABBITMQ_URL=amqp://... RABBITMQ_MANAGEMENT_URL=http://... npx tsx scripts/bench-runtime.ts [--messages 20000] [--threads 1,2] [--prefetch 50]
 *
 * Each round uses its own random namespace and deletes its queues afterwards.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { sourceWorkerEntries } from '../main/supervisor/entries';
import { Supervisor } from '../main/supervisor/supervisor';
import { createTopology } from '../shared/queue/topology';
import { QueueConnection } from '../workers/queue/connection';
import { RabbitManagement } from '../workers/queue/management';
import { Publisher } from '../workers/queue/publisher';

const { values: args } = parseArgs({
  options: { messages: { type: 'string', default: '20000' }, threads: { type: 'string', default: '1,2' }, prefetch: { type: 'string', default: '50' } },
});
const N = Number(args.messages);
const PREFETCH = Number(args.prefetch);
const url = process.env.RABBITMQ_URL;
const managementUrl = process.env.RABBITMQ_MANAGEMENT_URL;
if (!url || !managementUrl) {
  console.error('bench-runtime: set RABBITMQ_URL and RABBITMQ_MANAGEMENT_URL (e.g. `. /tmp/devenv.sh` or `sluice stack up`).');
  process.exit(1);
}
const root = fileURLToPath(new URL('..', import.meta.url));

const round = async (threads: number): Promise<void> => {
  const prefix = `bench-rt-${randomBytes(3).toString('hex')}.`;
  const topology = createTopology({ prefix });
  const connection = new QueueConnection({ url, topology, name: `${prefix} bench` });
  await connection.start();
  const publisher = new Publisher(connection);
  const supervisor = new Supervisor({
    entries: sourceWorkerEntries(root),
    counts: { extract: threads, transform: threads, load: threads },
    settings: { hostId: 'bench', rabbitmqUrl: url, topology: { prefix }, prefetch: PREFETCH },
  });
  try {
    supervisor.start();
    await supervisor.waitUntilReady(60_000);
    const channel = await (await connection.whenConnected()).createChannel();
    const vectorized = async () => (await channel.checkQueue(topology.stageQueue('vectorize'))).messageCount;

    const started = performance.now();
    let next = 0;
    // 8 lanes × confirms in flight: the publisher is not the bottleneck being measured.
    const lane = async (): Promise<void> => {
      while (next < N) {
        const batch = Array.from({ length: Math.min(100, N - next) }, () => ++next);
        await Promise.all(
          batch.map((i) =>
            publisher.publishStage('extract', { v: 1, kind: 'extract', tenantId: 1, integrationId: 1, runId: 1, stepKey: 'bench', stream: 'issues', partition: null, cursor: String(i), attempt: 1 }, { messageId: `u-${i}` }),
          ),
        );
      }
    };
    await Promise.all(Array.from({ length: 8 }, lane));
    const published = performance.now();
    while ((await vectorized()) < N) await new Promise((r) => setTimeout(r, 50));
    const done = performance.now();
    await channel.close();

    const pools = supervisor.pools();
    const seconds = (done - started) / 1000;
    console.log(
      `threads/stage ${threads}, prefetch ${PREFETCH}: ${N} messages extract→transform→load in ${seconds.toFixed(2)} s = ${Math.round(N / seconds)} msg/s end to end ` +
        `(${Math.round((N * 3) / seconds)} stage deliveries/s; publishing alone took ${((published - started) / 1000).toFixed(2)} s) ` +
        `processed ${pools.map((p) => `${p.stage}=${p.processed}`).join(' ')}`,
    );
  } finally {
    await supervisor.stop(10_000);
    await publisher.close();
    await connection.close();
    await new RabbitManagement(managementUrl).deleteByPrefix(prefix);
  }
};

for (const t of args.threads.split(',').map(Number)) await round(t);
