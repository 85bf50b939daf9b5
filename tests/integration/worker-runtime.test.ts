import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { spawnWorker } from '../../main/supervisor/entries';
import { WorkerMessage, WORKER_PROTOCOL_VERSION, type WorkerSettingsInput } from '../../shared/worker-protocol/protocol';
import { waitFor } from './queue-harness';
import { createSupervisorHarness, type SupervisorHarness } from './supervisor-harness';
import { requireEnv } from './support/env';
import { testWorkerEntries } from './support/entries';

/** One worker thread driven by hand through the protocol (no supervisor): the thread's side of the contract. */
describe('worker runtime protocol against RabbitMQ', () => {
  let h: SupervisorHarness;

  beforeAll(() => {
    h = createSupervisorHarness('runtime');
  });
  afterAll(async () => {
    await h.cleanup();
  });

  const start = (over: Partial<WorkerSettingsInput> = {}) => {
    const settings: WorkerSettingsInput = {
      protocol: WORKER_PROTOCOL_VERSION,
      stage: 'transform',
      hostId: 'it-runtime',
      handler: 'noop',
      rabbitmqUrl: requireEnv('RABBITMQ_URL'),
      topology: { prefix: h.prefix },
      prefetch: 50,
      statsIntervalMs: 300,
      ...over,
    };
    const worker = spawnWorker(testWorkerEntries()('transform'), { workerData: settings });
    const messages: WorkerMessage[] = [];
    worker.on('message', (raw: unknown) => messages.push(WorkerMessage.parse(raw)));
    return { worker, messages };
  };
  const exitCode = async (worker: Worker) => ((await once(worker, 'exit')) as [number])[0];

  it('posts ready only once consuming, throttles stats, drains on shutdown and exits 0', async () => {
    const { worker, messages } = start();
    const exited = exitCode(worker);
    await waitFor('ready', () => messages.some((m) => m.type === 'ready'), 30_000);
    expect(messages.find((m) => m.type === 'ready')).toMatchObject({ stage: 'transform', protocol: WORKER_PROTOCOL_VERSION });
    // Ready means subscribed: the broker already counts the consumer.
    const model = await (await h.queues.connect()).whenConnected();
    const channel = await model.createChannel();
    expect((await channel.checkQueue(h.queues.topology.stageQueue('transform'))).consumerCount).toBe(1);
    await channel.close();

    const downstream = await h.countDownstream('load');
    const started = Date.now();
    await h.publishTransforms(500);
    await waitFor('stats show 500 processed', () => messages.some((m) => m.type === 'stats' && m.stats.processed === 500), 20_000);
    const elapsed = Date.now() - started;
    const statsPosts = messages.filter((m) => m.type === 'stats').length;
    // At most one per 300 ms interval (+ the one at ready), however many messages went through.
    expect(statsPosts).toBeLessThanOrEqual(Math.ceil(elapsed / 300) + 2);
    expect(downstream.seen.size).toBe(500);

    worker.postMessage({ type: 'ping', id: 41 });
    await waitFor('pong', () => messages.some((m) => m.type === 'pong' && m.id === 41));
    worker.postMessage({ type: 'shutdown', graceMs: 5_000 });
    expect(await exited).toBe(0);
    expect(messages.at(-1)).toEqual({ type: 'stopped', stage: 'transform', timedOut: false });
  });

  it('reports an invalid message it dead-lettered in its stats', async () => {
    const { worker, messages } = start();
    const exited = exitCode(worker);
    await waitFor('ready', () => messages.some((m) => m.type === 'ready'), 30_000);
    const connection = await h.queues.connect();
    const publisher = h.queues.publisher(connection);
    await publisher.publishRaw(h.queues.topology.exchanges.stages.name, 'transform', Buffer.from('{"not":"a transform message"}'), { messageId: 'bad-1' });
    await waitFor('dead-lettered in stats', () => messages.some((m) => m.type === 'stats' && m.stats.deadLettered === 1), 10_000);
    worker.postMessage({ type: 'shutdown', graceMs: 2_000 });
    expect(await exited).toBe(0);
  });
});
