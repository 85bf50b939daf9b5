import { createTopology } from '../../shared/queue/topology';
import type { HandlerOptions } from '../../shared/worker-protocol/protocol';
import type { HandlerContext } from '../queue/consumer';
import { createPipelineHandler, type PipelineHooks } from '../pipeline/handlers';
import { ExtractCache } from '../pipeline/extract-cache';
import { createExtractServices } from '../pipeline/extract-services';
import { OutboxRelay } from '../pipeline/outbox-relay';
import { threadPool } from '../pipeline/units';
import { createProgress } from './progress';
import type { HandlerDefinition, HandlerDeps } from './types';

/**
 * `pipeline`: the real extract, transform and load handlers (workers/pipeline/handlers.ts), which
 * store raw pages, transform and load them through the integration's connector and keep the run's
 * accounting. They need Postgres: the thread's `databaseUrl` (one pool per thread).
 *
 * `test-pipeline-crash` is the same handler that kills its thread on purpose right after a commit and
 * before the publish that should follow it (the worst moment), on every `crashAfter`-th first delivery
 * (default 15). Tests use it to prove that a killed worker loses and duplicates nothing.
 */

const STAGES = ['extract', 'transform', 'load'] as const;

const build = (deps: HandlerDeps, hooks?: PipelineHooks) => {
  const { settings, publisher, onDispose } = deps;
  if (!settings.databaseUrl) {
    throw new Error(`The pipeline handler needs Postgres but the ${settings.stage} worker got no databaseUrl; pass it in the supervisor settings.`);
  }
  const pool = threadPool(settings.databaseUrl, Math.min(settings.prefetch + 2, 20));
  onDispose(() => pool.end());
  const maxAttempts = createTopology(settings.topology).maxAttempts;
  // Extract also gets the shared rate-limit budget and the local raw cache (see extract-services.ts).
  const extract = settings.stage === 'extract' ? createExtractServices(settings) : undefined;
  if (extract) onDispose(() => extract.close());
  // Extract threads also relay the queue outbox (run starts, resumes, re-transforms) to RabbitMQ.
  if (settings.stage === 'extract') {
    const relay = new OutboxRelay({ databaseUrl: settings.databaseUrl, publisher, onError: (error) => console.warn(`[sluice outbox] ${error.message}`) });
    relay.start();
    onDispose(() => relay.stop());
  }
  // Transform and load threads mirror unit statuses into the host's raw cache (extract writes the pages).
  const cache = settings.stage !== 'extract' && settings.rawCachePath ? new ExtractCache({ path: settings.rawCachePath, ...(settings.rawCacheBudgetBytes !== undefined ? { budgetBytes: settings.rawCacheBudgetBytes } : {}) }) : extract?.cache ?? null;
  if (cache && settings.stage !== 'extract') onDispose(() => cache.close());
  const progress = createProgress(deps);
  return createPipelineHandler({ pool, publisher, maxAttempts, cache, vectorize: settings.stage === 'load' && settings.vectorsEnabled, onActivity: (runId, stage) => progress.touch(runId, stage), ...(hooks ? { hooks } : {}), ...(extract ? { extract } : {}) });
};

export const pipeline: HandlerDefinition = {
  stages: STAGES,
  description: 'extract → transform → load through the integration connector, with raw store and run accounting',
  create: (_stage, deps) => {
    const handle = build(deps);
    return (message, ctx) => handle(message, ctx);
  },
};

const num = (options: HandlerOptions, key: string, fallback: number): number => {
  const value = options[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
};

export const testPipelineCrash: HandlerDefinition = {
  stages: STAGES,
  description: 'test only: pipeline that kills its thread between a commit and its publish (handlerOptions.crashAfter)',
  create: (_stage, deps) => {
    const crashAfter = num(deps.settings.handlerOptions, 'crashAfter', 15);
    let seen = 0;
    const afterCommit = async (_s: string, ctx: HandlerContext): Promise<void> => {
      if (ctx.redelivered) return;
      seen += 1;
      if (seen % crashAfter !== 0) return;
      // Thrown outside the handler's promise, so the consumer cannot catch it: the thread dies.
      setImmediate(() => {
        throw new Error(`test-pipeline-crash: killed on purpose after commit ${seen}`);
      });
      await new Promise(() => undefined); // never settles: the message stays unacked and is redelivered
    };
    const handle = build(deps, { afterCommit });
    return (message, ctx) => handle(message, ctx);
  },
};

/** Spread into the registry (workers/stages/registry.ts). */
export const pipelineHandlers = { pipeline, 'test-pipeline-crash': testPipelineCrash } as const;
