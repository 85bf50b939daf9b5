import { GithubSettings } from '../../../shared/connectors/settings';
import type { IntegrationInfo } from '../../pipeline/connector';
import { backoffResetAt, RateLimitedError } from '../../pipeline/rate-limited';
import { PermanentError } from '../../queue/errors';
import { sourceRequest, type SourceResponse } from '../http/request';
import { describeRequest, hintFor, SourceRejectedError } from '../http/source-errors';

/**
 * GitHub REST and GraphQL calls for extract, with GitHub's rate-limit rules
 * (reference/api-contracts.md 3.2-3.3):
 * - primary: 403 or 429 with `x-ratelimit-remaining: 0` → wait until `x-ratelimit-reset`;
 * - secondary: 403 or 429 whose message names a secondary limit → `retry-after` when given, else at
 *   least 60 s (then the pipeline's backoff grows);
 * - GraphQL `RATE_LIMITED` arrives as HTTP 200 with an error → wait until the reset of the points budget;
 * - a 403 with none of these signs is a permission error: never retried.
 */

export const githubErrorMessage = (body: unknown): string => {
  if (body && typeof body === 'object') {
    const b = body as { message?: unknown; errors?: unknown };
    const details = Array.isArray(b.errors) ? b.errors.map((e) => (e && typeof e === 'object' && 'message' in e ? String((e as { message: unknown }).message) : JSON.stringify(e))).join('; ') : '';
    if (typeof b.message === 'string') return `${b.message}${details ? ` (${details})` : ''}`.slice(0, 1000);
  }
  return typeof body === 'string' ? body.slice(0, 500) : '';
};

const SECONDARY = /secondary rate limit|abuse detection|You have exceeded a secondary rate limit/i;

/** GitHub's rate-limit answer → when to resume; undefined for any other answer. */
export const githubRateLimit = (status: number, headers: Headers, body: unknown, now = Date.now(), previousHits = 0): number | undefined => {
  if (status !== 403 && status !== 429) return undefined;
  const retryAfter = headers.get('retry-after');
  if (retryAfter && /^\d+$/.test(retryAfter.trim())) return now + Number(retryAfter.trim()) * 1000;
  if (headers.get('x-ratelimit-remaining') === '0') {
    const reset = Number(headers.get('x-ratelimit-reset'));
    return Number.isFinite(reset) && reset > 0 ? Math.max(now, reset * 1000) : backoffResetAt(previousHits, now);
  }
  if (SECONDARY.test(githubErrorMessage(body))) return Math.max(now + 60_000, backoffResetAt(previousHits, now));
  if (status === 429) return backoffResetAt(previousHits, now);
  return undefined; // a 403 without rate-limit signs: permission
};

export const githubSettingsOf = (integration: IntegrationInfo): GithubSettings => {
  const parsed = GithubSettings.safeParse(integration.settings);
  if (!parsed.success) {
    throw new PermanentError(`Integration ${integration.id} has invalid GitHub settings (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}); fix them on the Integrations screen.`);
  }
  return parsed.data;
};

/** GraphQL endpoint of an API base URL: api.github.com/graphql, or <host>/api/graphql for Enterprise. */
export const graphqlUrlOf = (baseUrl: string): string => {
  const base = baseUrl.replace(/\/+$/, '');
  return /\/api\/v3$/.test(base) ? base.replace(/\/v3$/, '/graphql') : `${base}/graphql`;
};

export interface GraphqlResult {
  readonly url: string;
  /** The whole response body: `{ data, errors? }`, kept verbatim as the raw payload. */
  readonly body: { data?: unknown; errors?: unknown[] } & Record<string, unknown>;
}

const GraphqlError = (e: unknown): { type?: string; message?: string } => (e && typeof e === 'object' ? (e as { type?: string; message?: string }) : {});

export class GithubClient {
  private readonly base: string;
  private readonly headers: Record<string, string>;

  constructor(
    integration: IntegrationInfo,
    secret: string | null,
    private readonly signal: AbortSignal,
    private readonly previousRateLimits: number,
  ) {
    if (!secret) throw new PermanentError(`Integration ${integration.id} has no GitHub token; set one on the Integrations screen.`);
    this.base = integration.baseUrl.replace(/\/+$/, '');
    this.headers = { authorization: `Bearer ${secret}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' };
  }

  url(path: string, query: Record<string, string | number | undefined> = {}): string {
    const u = new URL(`${this.base}${path}`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  async get(path: string, query: Record<string, string | number | undefined> = {}, emptyOn?: readonly number[]): Promise<{ url: string; response: SourceResponse | null }> {
    return this.getUrl(this.url(path, query), emptyOn);
  }

  /**
   * GET an absolute URL, as GitHub's Link headers give them (followed verbatim: they may use another
   * path shape). Only on the integration's own host: the token never goes anywhere else.
   */
  async getUrl(url: string, emptyOn?: readonly number[]): Promise<{ url: string; response: SourceResponse | null }> {
    if (new URL(url).origin !== new URL(this.base).origin) throw new PermanentError(`Refusing to follow ${describeRequest(url)}: it is not on the integration's host ${new URL(this.base).origin}.`);
    const response = await sourceRequest({
      url,
      headers: this.headers,
      signal: this.signal,
      previousRateLimits: this.previousRateLimits,
      errorMessage: githubErrorMessage,
      rateLimit: (status, headers, body) => githubRateLimit(status, headers, body, Date.now(), this.previousRateLimits),
      ...(emptyOn ? { emptyOn } : {}),
    });
    return { url, response };
  }

  /** A GraphQL query; `RATE_LIMITED` becomes a RateLimitedError, errors without data a PermanentError, partial errors are kept. */
  async graphql(query: string, variables: Record<string, unknown>): Promise<GraphqlResult> {
    const url = graphqlUrlOf(this.base);
    const response = await sourceRequest<GraphqlResult['body']>({
      url,
      method: 'POST',
      body: { query, variables },
      headers: this.headers,
      signal: this.signal,
      previousRateLimits: this.previousRateLimits,
      errorMessage: githubErrorMessage,
      rateLimit: (status, headers, body) => githubRateLimit(status, headers, body, Date.now(), this.previousRateLimits),
    });
    const body = response!.body;
    const errors = Array.isArray(body.errors) ? body.errors.map(GraphqlError) : [];
    if (errors.some((e) => e.type === 'RATE_LIMITED')) {
      const reset = Number(response!.headers.get('x-ratelimit-reset'));
      const resetAt = Number.isFinite(reset) && reset > 0 ? Math.max(Date.now(), reset * 1000) : backoffResetAt(this.previousRateLimits);
      throw new RateLimitedError(resetAt, `${describeRequest(url)} answered RATE_LIMITED (the GraphQL points budget is spent)`);
    }
    if (errors.length > 0 && (body.data === null || body.data === undefined)) {
      const message = errors.map((e) => `${e.type ?? 'ERROR'}: ${e.message ?? ''}`).join('; ');
      throw new SourceRejectedError(200, url, message, hintFor(errors.some((e) => e.type === 'NOT_FOUND') ? 404 : 400));
    }
    return { url, body };
  }
}
