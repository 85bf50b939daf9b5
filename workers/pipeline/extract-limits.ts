import { budgetOf, FALLBACK_BUDGET } from '../../shared/connectors/budget';
import { createCoordination, type Coordination, type CoordinationOptions, type RateLimiter } from '../coordination';
import type { BucketSettings } from '../coordination/rate-limit';
import { PermanentError } from '../queue/errors';
import type { IntegrationInfo } from './connector';
import { RateLimitedError } from './rate-limited';

/**
 * The shared request budget of extract (issue 5, "Rate limits and errors"): every page fetch first
 * takes a token from the integration's bucket (Redis when the thread has REDIS_URL, so every worker on
 * every host shares it; in-process otherwise), and a rate limit the API answered pauses the whole
 * integration until its reset time, for all workers, before the same page is fetched again.
 * Connectors report rate limits with RateLimitedError (rate-limited.ts).
 */

export { FALLBACK_BUDGET } from '../../shared/connectors/budget';

/** The integration's bucket (shared/connectors/budget.ts, which the engine reads too); invalid settings are a PermanentError. */
export const budgetFor = (integration: IntegrationInfo, fallback: BucketSettings = FALLBACK_BUDGET): BucketSettings => {
  const budget = budgetOf(integration, fallback);
  if ('error' in budget) throw new PermanentError(`Integration ${integration.id} has invalid rate-limit settings (${budget.error}); fix rateLimitPerSecond / rateLimitBurst.`);
  return budget;
};

const DEFAULT_MAX_WAIT_MS = 30_000;

/** The budget's key: integration ids are unique across tenants. */
export const integrationKey = (integration: IntegrationInfo): string => `integration-${integration.id}`;

export interface ExtractLimitsOptions {
  readonly redisUrl: string | null;
  /** Prefix of the Redis keys (the deployment's namespace; tests use one per file). */
  readonly keyPrefix?: string;
  readonly sharedBudgets?: SharedArrayBuffer;
  readonly fallback?: BucketSettings;
  /**
   * Longest wait for a token or a pause before RateLimitWaitError (the handler then parks the page in a
   * delay queue). Default 30 s: a waiting page holds one of the thread's prefetch slots, which pages of
   * other integrations could use.
   */
  readonly maxWaitMs?: number;
  /** Rate-limited answers in a row for one page before the attempt fails (default 8). */
  readonly maxRateLimitedInARow?: number;
  /** Tests inject their own coordination. */
  readonly createCoordination?: (options: CoordinationOptions) => Coordination;
}

export interface LimitedFetch<T> {
  readonly page: T;
  /** How many times the API answered rate limited before this page came. */
  readonly rateLimited: number;
}

/** One per extract handler (i.e. per worker thread); the coordination is opened on first use. */
export class ExtractLimits {
  private coordination: Coordination | null = null;
  private readonly budgets = new Map<string, BucketSettings>();

  constructor(private readonly options: ExtractLimitsOptions) {}

  get limiter(): RateLimiter {
    this.coordination ??= (this.options.createCoordination ?? createCoordination)({
      redisUrl: this.options.redisUrl,
      rateLimits: (key) => this.budgets.get(key) ?? this.options.fallback ?? FALLBACK_BUDGET,
      ...(this.options.sharedBudgets ? { sharedBudgets: this.options.sharedBudgets } : {}),
      ...(this.options.keyPrefix ? { keyPrefix: this.options.keyPrefix } : {}),
    });
    return this.coordination.rateLimiter;
  }

  get mode(): Coordination['mode'] | null {
    return this.coordination?.mode ?? null;
  }

  /**
   * Takes a token, then runs `fetchPage(previousRateLimits)`. A RateLimitedError pauses the integration
   * for every worker until its reset, tells `onRateLimited` (the run goes `rate_limited`), and the same
   * page is fetched again once the pause is over — inside this call, so it costs no retry attempt.
   */
  async fetch<T>(integration: IntegrationInfo, signal: AbortSignal, fetchPage: (previousRateLimits: number) => Promise<T>, onRateLimited: (resetAt: number) => Promise<void>): Promise<LimitedFetch<T>> {
    const key = integrationKey(integration);
    this.budgets.set(key, budgetFor(integration, this.options.fallback));
    const limiter = this.limiter;
    const maxInARow = this.options.maxRateLimitedInARow ?? 8;
    for (let hits = 0; ; ) {
      await limiter.acquire(key, 1, { signal, maxWaitMs: this.options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS });
      try {
        return { page: await fetchPage(hits), rateLimited: hits };
      } catch (error) {
        if (!(error instanceof RateLimitedError)) throw error;
        hits += 1;
        if (hits > maxInARow) {
          throw new Error(`Integration ${integration.id} answered rate limited ${hits} times in a row for the same page; the page will be retried later (check the integration's rate-limit settings).`, { cause: error });
        }
        await limiter.pauseUntil(key, error.resetAt);
        await onRateLimited(error.resetAt);
      }
    }
  }

  async close(): Promise<void> {
    const c = this.coordination;
    this.coordination = null;
    await c?.close();
  }
}
