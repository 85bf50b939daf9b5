import type pg from 'pg';

import type { ExtractMessage } from '../../shared/queue/messages';
import { createTopology, type Topology } from '../../shared/queue/topology';
import type { WorkerSettings } from '../../shared/worker-protocol/protocol';
import { RateLimitWaitError } from '../coordination';
import { standardHeaders, type Publisher } from '../queue/publisher';
import type { Connector, ExtractedPage, ExtractRequest } from './connector';
import { ExtractCache, type CachedPage } from './extract-cache';
import { ExtractLimits, integrationKey } from './extract-limits';
import { IntegrationSecrets, secretKeysFrom } from './secrets';

/**
 * What the extract handler uses besides Postgres and RabbitMQ: the shared rate-limit budget and the
 * local raw cache, built from the thread's settings. The handler works without them (tests, tools).
 */
export interface ExtractServices {
  readonly limits: ExtractLimits;
  readonly cache: ExtractCache | null;
  /** The thread's queue topology, to park a page in a delay queue while its integration is paused. */
  readonly topology: Topology;
  /** Opens the integrations' sealed API tokens (null: this thread has no keys, so only connectors without tokens work). */
  readonly secrets: IntegrationSecrets | null;
  /** Closes the cache file and the Redis connections; for the thread to call when it drains (no runtime hook calls it yet). */
  close(): Promise<void>;
}

export type ExtractServiceSettings = Pick<WorkerSettings, 'redisUrl' | 'rawCachePath' | 'rawCacheBudgetBytes' | 'rateLimitDefault' | 'sharedBudgets' | 'topology'> & Partial<Pick<WorkerSettings, 'secretKeys'>>;

/** Cache failures would repeat for every page: report the first and then one in a hundred. */
const throttledWarn = (): ((error: Error) => void) => {
  let seen = 0;
  return (error) => {
    if (seen++ % 100 === 0) console.warn(`[sluice extract] ${error.message}${seen > 1 ? ` (${seen} cache failures so far)` : ''}`);
  };
};

export interface ExtractServiceOptions {
  readonly onCacheError?: (error: Error) => void;
  /** Longest in-handler wait for the budget or a pause before the page is parked (default 30 s). */
  readonly maxWaitMs?: number;
}

export const createExtractServices = (settings: ExtractServiceSettings, options: ExtractServiceOptions = {}): ExtractServices => {
  const onCacheError = options.onCacheError ?? throttledWarn();
  // The Redis keys live in the deployment's namespace, the same one that prefixes its queues.
  const limits = new ExtractLimits({
    redisUrl: settings.redisUrl,
    keyPrefix: settings.topology.prefix,
    ...(settings.sharedBudgets ? { sharedBudgets: settings.sharedBudgets } : {}),
    ...(settings.rateLimitDefault ? { fallback: settings.rateLimitDefault } : {}),
    ...(options.maxWaitMs !== undefined ? { maxWaitMs: options.maxWaitMs } : {}),
  });
  const cache = settings.rawCachePath
    ? new ExtractCache({ path: settings.rawCachePath, onError: onCacheError, ...(settings.rawCacheBudgetBytes !== undefined ? { budgetBytes: settings.rawCacheBudgetBytes } : {}) })
    : null;
  return {
    limits,
    cache,
    topology: createTopology(settings.topology),
    secrets: new IntegrationSecrets(secretKeysFrom(settings.secretKeys ?? [])),
    close: async () => {
      cache?.close();
      await limits.close();
    },
  };
};

type Queryable = Pick<pg.ClientBase, 'query'>;

/** running|rate_limited → rate_limited until `untilMs` (never shortened); false when the run is paused, cancelled or over. */
export const markRunRateLimited = async (db: Queryable, runId: number, untilMs: number): Promise<boolean> => {
  const res = await db.query(
    `UPDATE runs SET state = 'rate_limited', updated_at = now(),
            rate_limited_until = GREATEST(coalesce(rate_limited_until, to_timestamp($2 / 1000.0)), to_timestamp($2 / 1000.0))
      WHERE id = $1 AND state IN ('running', 'rate_limited')`,
    [runId, untilMs],
  );
  return res.rowCount === 1;
};

/**
 * rate_limited → running once a page came back after the pause. A page that was in flight before
 * another worker's pause (its `until` still ahead) does not end the pause.
 */
export const markRunResumed = async (db: Queryable, runId: number, nowMs: number): Promise<boolean> => {
  const res = await db.query(
    `UPDATE runs SET state = 'running', rate_limited_until = NULL, updated_at = now()
      WHERE id = $1 AND state = 'rate_limited' AND (rate_limited_until IS NULL OR rate_limited_until <= to_timestamp($2 / 1000.0))`,
    [runId, nowMs],
  );
  return res.rowCount === 1;
};

/**
 * One page through the budget: without services, a plain fetch; with them, a token first, rate limits
 * pause the integration and mark the run, and a run that was `rate_limited` is `running` again after.
 * Null when the page was parked (a pause too long to wait for here): the message is already republished.
 */
export const fetchExtractPage = async (
  pool: pg.Pool,
  services: ExtractServices | undefined,
  connector: Connector,
  request: ExtractRequest,
  run: { id: number; state: string },
  /** Where a page goes when the pause outlasts the handler's wait (see parkExtract). */
  parking: { readonly publisher: Publisher; readonly message: ExtractMessage; readonly messageId: string | null },
): Promise<ExtractedPage | null> => {
  if (!services) return connector.extractPage(request);
  let fetched;
  try {
    fetched = await services.limits.fetch(
      request.integration,
      request.signal,
      (previousRateLimits) =>
        connector.extractPage({
          ...request,
          previousRateLimits,
          // Pages that need several requests take one more token per extra request.
          acquire: async () => {
            await services.limits.limiter.acquire(integrationKey(request.integration), 1, { signal: request.signal, maxWaitMs: 60_000 });
          },
          pauseUntil: async (resetAt) => {
            await services.limits.limiter.pauseUntil(integrationKey(request.integration), resetAt);
          },
        }),
      async (resetAt) => {
        await markRunRateLimited(pool, run.id, resetAt);
      },
    );
  } catch (error) {
    if (!(error instanceof RateLimitWaitError)) throw error;
    await parkExtract(parking.publisher, services.topology, parking.message, parking.messageId, error.retryAt);
    return null;
  }
  const { page, rateLimited } = fetched;
  if (rateLimited > 0 || run.state === 'rate_limited') await markRunResumed(pool, run.id, Date.now());
  return page;
};

/** The cache copy of a page just committed to Postgres (never throws: see ExtractCache.write). */
export const cachePage = async (services: ExtractServices | undefined, page: CachedPage): Promise<void> => {
  await services?.cache?.write(page);
};

/**
 * A pause longer than the handler may wait: the page goes to the delay tier that ends closest before
 * the pause does (the shortest if none), with the same attempt number, and the thread is free. When it
 * comes back it waits out the rest, or parks again. A pause is not a failure, so no retry is spent.
 */
export const parkExtract = async (publisher: Publisher, topology: Topology, message: ExtractMessage, messageId: string | null, retryAt: number): Promise<void> => {
  const waitMs = retryAt - Date.now();
  const tier = topology.delayTiersMs.reduce((best, ms, i) => (ms <= waitMs ? i : best), 0);
  const delay = topology.delayFor('extract', tier + 1);
  await publisher.publishRaw(topology.exchanges.delay.name, delay.routingKey, Buffer.from(JSON.stringify(message)), {
    messageId: messageId ?? `extract-${message.runId}-${message.stepKey}-${message.stream}-parked-${Date.now()}`.slice(0, 200),
    headers: standardHeaders(),
  });
};
