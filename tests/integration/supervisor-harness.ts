import { fileURLToPath } from 'node:url';

import type { Stage } from '../../shared/worker-protocol/protocol';
import { Supervisor, type SupervisorOptions, type SupervisorSettings } from '../../main/supervisor/supervisor';
import type { QueueConnection } from '../../workers/queue/connection';
import { StageConsumer } from '../../workers/queue/consumer';
import type { Publisher } from '../../workers/queue/publisher';
import { createQueueHarness, transformMessage, type QueueHarness } from './queue-harness';
import { requireEnv } from './support/env';
import { testWorkerEntries } from './support/entries';

/**
 * Shared setup for supervisor-*.test.ts and worker-*.test.ts: a private queue namespace (see
 * queue-harness.ts), supervisors whose threads run the TypeScript entries through tsx, and a
 * "downstream" consumer on the next stage that counts what the pool under test forwarded, by message id.
 */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Short timings so crash/restart tests take seconds; the production defaults are in thread.ts/backoff.ts. */
export const FAST_TIMING: SupervisorOptions['timing'] = {
  pingIntervalMs: 500,
  pingTimeoutMs: 5_000,
  readyTimeoutMs: 30_000,
  exitTimeoutMs: 2_000,
  drainGraceMs: 10_000,
  restart: { initialMs: 50, maxMs: 400, factor: 2, healthyAfterMs: 60_000 },
};

export interface SupervisorHarness {
  readonly queues: QueueHarness;
  /** The prefix the threads must use so they share the harness's topology. */
  readonly prefix: string;
  supervisor(counts: Partial<Record<Stage, number>>, settings?: Partial<SupervisorSettings>): Supervisor;
  /** Publishes `n` transform messages with ids `m-1 … m-n` (confirmed). */
  publishTransforms(n: number): Promise<string[]>;
  /** Counts deliveries per message id on a stage (acks each one). */
  countDownstream(stage: Stage): Promise<Downstream>;
  cleanup(): Promise<void>;
}

export interface Downstream {
  readonly seen: Map<string, number>;
  stop(): Promise<void>;
}

export const createSupervisorHarness = (label: string): SupervisorHarness => {
  const queues = createQueueHarness(label);
  const prefix = queues.topology.namespace.replace(/sluice\.v\d+$/, '');
  const supervisors: Supervisor[] = [];
  const downstreams: Downstream[] = [];
  let connection: QueueConnection | null = null;
  let publisher: Publisher | null = null;
  const ensure = async (): Promise<{ connection: QueueConnection; publisher: Publisher }> => {
    connection ??= await queues.connect();
    publisher ??= queues.publisher(connection);
    return { connection, publisher };
  };

  return {
    queues,
    prefix,
    supervisor: (counts, settings = {}) => {
      const s = new Supervisor({
        entries: testWorkerEntries(),
        counts,
        timing: FAST_TIMING,
        settings: { hostId: `it-${label}`, rabbitmqUrl: requireEnv('RABBITMQ_URL'), topology: { prefix }, statsIntervalMs: 100, ...settings },
      });
      supervisors.push(s);
      return s;
    },
    publishTransforms: async (n) => {
      const { publisher: p } = await ensure();
      const ids = Array.from({ length: n }, (_, i) => `m-${i + 1}`);
      // A window of confirms in flight: serial awaits would measure round trips, not the pool.
      for (let i = 0; i < n; i += 200) {
        await Promise.all(ids.slice(i, i + 200).map((id, j) => p.publishStage('transform', transformMessage(i + j + 1), { messageId: id })));
      }
      return ids;
    },
    countDownstream: async (stage) => {
      const { connection: c, publisher: p } = await ensure();
      const seen = new Map<string, number>();
      const consumer = new StageConsumer(c, p, {
        stage,
        prefetch: 200,
        handler: async (_m, ctx) => {
          const id = ctx.messageId ?? 'missing-id';
          seen.set(id, (seen.get(id) ?? 0) + 1);
        },
      });
      await consumer.start();
      const d = { seen, stop: async () => void (await consumer.stop()) };
      downstreams.push(d);
      return d;
    },
    cleanup: async () => {
      await Promise.all(supervisors.map((s) => s.stop(2_000)));
      for (const d of downstreams) await d.stop();
      await queues.cleanup();
    },
  };
};

/** Every id seen exactly once, and nothing else. */
export const exactlyOnce = (seen: Map<string, number>, ids: readonly string[]): { missing: string[]; duplicated: string[]; unexpected: string[] } => {
  const expected = new Set(ids);
  return {
    missing: ids.filter((id) => !seen.has(id)),
    duplicated: [...seen].filter(([, n]) => n > 1).map(([id]) => id),
    unexpected: [...seen.keys()].filter((id) => !expected.has(id)),
  };
};
