import { createTopology } from '../../shared/queue/topology';
import type { WorkerSettings, WorkerStats } from '../../shared/worker-protocol/protocol';
import { QueueConnection } from '../queue/connection';
import { StageConsumer } from '../queue/consumer';
import { Publisher } from '../queue/publisher';
import { resolveHandler } from '../stages/registry';

/**
 * One thread's stage pipeline: a RabbitMQ connection, a confirmed publisher, and a consumer of the
 * thread's stage queue running the named handler. Started only when consuming; stopped by draining.
 */
export interface StagePipeline {
  stats(): WorkerStats;
  /** Stops consuming, waits up to `graceMs` for in-flight handlers, then closes everything. */
  stop(graceMs: number): Promise<{ timedOut: boolean }>;
}

export const startStagePipeline = async (settings: WorkerSettings, onError: (error: Error, context: string) => void): Promise<StagePipeline> => {
  // Resolve the handler before connecting: a wrong name fails fast, without touching the broker.
  const definition = resolveHandler(settings.handler, settings.stage);
  const topology = createTopology(settings.topology);
  const connection = new QueueConnection({
    url: settings.rabbitmqUrl,
    topology,
    name: `sluice-worker ${settings.hostId} ${settings.stage}`,
    backoff: { initialMs: 200, maxMs: 5_000 },
  });
  // The connect loop retries forever; the thread gives up after connectTimeoutMs so the supervisor
  // sees a `fatal` with the reason instead of a thread that never becomes ready.
  connection.start().catch(() => undefined);
  try {
    await connection.whenConnected(settings.connectTimeoutMs);
  } catch (error) {
    await connection.close();
    throw error;
  }
  const publisher = new Publisher(connection);
  const disposers: (() => Promise<void> | void)[] = [];
  const handler = definition.create(settings.stage, { settings, publisher, onDispose: (dispose) => disposers.push(dispose) });
  const consumer = new StageConsumer(connection, publisher, {
    stage: settings.stage,
    prefetch: settings.prefetch,
    handler,
    onError,
    // The grace period comes later, with the shutdown command: `stop` enforces it (see below).
    stopTimeoutMs: 24 * 3_600_000,
  });
  await consumer.start();

  return {
    stats: () => {
      const { processed, failed, retried, deadLettered, redelivered, inFlight, lastError } = consumer.stats();
      return { processed, failed, retried, deadLettered, redelivered, inFlight, lastError, connection: connection.state };
    },
    stop: async (graceMs) => {
      // The consumer cancels its subscription at once, then waits for in-flight handlers. If they
      // outlast the grace period we close the connection under them: their channel closes, their
      // results are dropped (no ack) and the broker redelivers those messages to another thread.
      let timer: NodeJS.Timeout | undefined;
      const drained = consumer.stop().then(() => false, () => false);
      const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs)));
      const timedOut = await Promise.race([drained, late]);
      clearTimeout(timer);
      for (const dispose of disposers.reverse()) {
        try {
          await dispose();
        } catch (error) {
          onError(error instanceof Error ? error : new Error(String(error)), 'handler cleanup at shutdown');
        }
      }
      await publisher.close();
      await connection.close();
      return { timedOut };
    },
  };
};
