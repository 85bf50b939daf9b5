import pino from 'pino';

import type { JobInput } from '../../shared/contract/jobs';
import type { EventName, EventPayload } from '../../shared/contract/api';
import { EventHub } from '../../main/engine/events';
import { jobHandlers } from '../../main/engine/handlers/jobs';
import { runHandlers } from '../../main/engine/handlers/runs';
import { JobCoordinator, type CoordinatorTiming } from '../../main/engine/jobs/coordinator';
import { inProcessLeadership, type Leadership } from '../../main/engine/jobs/leader';
import { ProgressFeed } from '../../main/engine/runs/progress-feed';
import type { CallContext } from '../../main/engine/types';
import { Supervisor } from '../../main/supervisor/supervisor';
import type { Stage, TopologySettings } from '../../shared/worker-protocol/protocol';
import type { SyntheticSettings } from '../../workers/pipeline/synthetic';
import { createPipelineHarness, type PipelineHarness } from './pipeline-harness';
import { waitFor } from './queue-harness';
import { FAST_TIMING } from './supervisor-harness';
import { requireEnv } from './support/env';
import { testWorkerEntries } from './support/entries';

/**
 * Shared setup for jobs-*.test.ts and runs-*.test.ts: the pipeline harness (fresh database, private
 * queue namespace, synthetic connector) plus the engine's jobs side wired as the engine wires it —
 * the API handlers, the progress feed and its events, and run coordinators with test timings — and
 * worker pools whose progress signals reach the feed (through the supervisor, or Redis).
 */

export interface JobsHarness {
  readonly h: PipelineHarness;
  readonly databaseUrl: string;
  readonly ctx: CallContext;
  readonly feed: ProgressFeed;
  readonly jobs: ReturnType<typeof jobHandlers>;
  readonly runs: ReturnType<typeof runHandlers>;
  /** Every event the engine pushed, in order. */
  readonly events: { event: EventName; payload: unknown; at: number }[];
  progressOf(runId: number): (EventPayload<'runs.progress'> & { receivedAt: number })[];
  /** Worker pools running the real pipeline handlers; `redis` makes them signal progress through Redis. */
  workers(counts?: Partial<Record<Stage, number>>, options?: { redis?: boolean; topology?: Omit<TopologySettings, 'prefix'> }): Promise<Supervisor>;
  coordinator(timing?: Partial<CoordinatorTiming>, leadership?: Leadership): JobCoordinator;
  integration(settings: SyntheticSettings, connector?: 'synthetic' | 'synthetic_tree', name?: string): Promise<number>;
  job(integrationId: number, input?: Partial<JobInput>): Promise<number>;
  state(runId: number): Promise<string>;
  cleanup(): Promise<void>;
}

let integrations = 0;

export const createJobsHarness = async (label: string, options: { redisFeed?: boolean } = {}): Promise<JobsHarness> => {
  const h = await createPipelineHarness(label);
  const databaseUrl = h.pool.options.connectionString!;
  const logger = pino({ level: 'silent' });
  const hub = new EventHub();
  const events: JobsHarness['events'] = [];
  hub.subscribe((event, payload) => events.push({ event, payload, at: Date.now() }));
  const feed = new ProgressFeed(h.pool, hub, { logger, redisUrl: options.redisFeed ? requireEnv('REDIS_URL') : null, keyPrefix: h.queues.prefix });
  await feed.start();
  const ctx: CallContext = { transport: 'test', tenantId: h.tenantId, principal: 'test-operator' };
  const supervisors: Supervisor[] = [];
  const coordinators: JobCoordinator[] = [];

  return {
    h,
    databaseUrl,
    ctx,
    feed,
    jobs: jobHandlers({ pool: h.pool, feed }),
    runs: runHandlers({ pool: h.pool, feed }),
    events,
    progressOf: (runId) =>
      events.filter((e) => e.event === 'runs.progress' && (e.payload as { runId: number }).runId === runId).map((e) => ({ ...(e.payload as EventPayload<'runs.progress'>), receivedAt: e.at })),
    workers: async (counts = { extract: 1, transform: 2, load: 2 }, opts = {}) => {
      const supervisor = new Supervisor({
        entries: testWorkerEntries(),
        counts,
        timing: FAST_TIMING,
        settings: {
          hostId: `it-${label}`,
          rabbitmqUrl: requireEnv('RABBITMQ_URL'),
          databaseUrl,
          redisUrl: opts.redis ? requireEnv('REDIS_URL') : null,
          topology: { prefix: h.queues.prefix, ...opts.topology },
          prefetch: 10,
          statsIntervalMs: 100,
          handlers: { extract: 'pipeline', transform: 'pipeline', load: 'pipeline' },
        },
        onProgress: (event) => feed.signal(event),
      });
      supervisors.push(supervisor);
      supervisor.start();
      await supervisor.waitUntilReady(60_000);
      return supervisor;
    },
    coordinator: (timing = {}, leadership = inProcessLeadership()) => {
      const c = new JobCoordinator(h.pool, feed, leadership, logger, { tickMs: 0, recoverOnStart: false, sweepEveryMs: 0, retentionEveryMs: 3_600_000, ...timing });
      coordinators.push(c);
      return c;
    },
    integration: async (settings, connector = 'synthetic', name) => {
      integrations += 1;
      const res = await h.pool.query<{ id: string }>(
        "INSERT INTO integrations (tenant_id, provider, name, base_url, settings) VALUES ($1, 'github', $2, 'https://synthetic.invalid', $3) RETURNING id",
        [h.tenantId, name ?? `synthetic ${label} ${integrations}`, { connector, synthetic: settings }],
      );
      return Number(res.rows[0]!.id);
    },
    job: async (integrationId, input = {}) => (await jobHandlers({ pool: h.pool, feed })['jobs.create']({ integrationId, name: 'sync', runKind: 'full_refresh', schedule: null, retryPolicy: { maxRetries: 0, backoffMinutes: 0 }, active: true, ...input }, ctx)).id,
    state: async (runId) => (await h.pool.query<{ state: string }>('SELECT state FROM runs WHERE id = $1', [runId])).rows[0]!.state,
    cleanup: async () => {
      for (const c of coordinators) await c.stop();
      for (const s of supervisors) await s.stop(5_000);
      await feed.close();
      await h.cleanup();
    },
  };
};

/** Polls a SQL count until it stops changing for `quietMs` (a drained pipeline), and returns it. */
export const settled = async (read: () => Promise<number>, quietMs = 800, timeoutMs = 30_000): Promise<number> => {
  let last = await read();
  let since = Date.now();
  await waitFor('the count to settle', async () => {
    const now = await read();
    if (now !== last) {
      last = now;
      since = Date.now();
    }
    return Date.now() - since >= quietMs;
  }, timeoutMs);
  return last;
};
