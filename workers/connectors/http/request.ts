import { backoffResetAt, RateLimitedError, resetAtFromHeaders } from '../../pipeline/rate-limited';
import { describeRequest, hintFor, SourceRejectedError, SourceUnavailableError } from './source-errors';

/**
 * One HTTP request to a source API with the pipeline's error semantics (source-errors.ts): JSON in,
 * JSON out, a timeout, and the answer classified. Plain `fetch` (undici, built into Node): the retry
 * and rate-limit policy is not a per-request loop here but the pipeline's (shared budget, integration
 * pause, delay tiers), which is why no HTTP retry library wraps this.
 */

export interface SourceRequest {
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly signal: AbortSignal;
  readonly timeoutMs?: number;
  /** How many rate-limited answers this page already had (for the backoff when no header says when). */
  readonly previousRateLimits?: number;
  /** Pulls the API's error message out of an error body (Jira: errorMessages/errors; GitHub: message). */
  readonly errorMessage?: (body: unknown) => string;
  /** Statuses that mean "nothing here" and return null instead of failing (e.g. a missing sprint report). */
  readonly emptyOn?: readonly number[];
  /**
   * Provider-specific rate limits: given a non-2xx answer, the epoch ms when requests may resume if it
   * is a rate limit (GitHub's 403 with remaining 0, or a secondary limit), undefined when it is not.
   * Without it, 429 and 503 + Retry-After are rate limits, resuming per their headers.
   */
  readonly rateLimit?: (status: number, headers: Headers, body: unknown) => number | undefined;
}

export interface SourceResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

const DEFAULT_TIMEOUT_MS = 60_000;

const parseBody = (text: string): unknown => {
  if (text.length === 0) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

const defaultMessage = (body: unknown): string => (typeof body === 'string' ? body.slice(0, 500) : JSON.stringify(body)?.slice(0, 500) ?? '');

export const sourceRequest = async <T = unknown>(request: SourceRequest): Promise<SourceResponse<T> | null> => {
  const { url, method = 'GET', signal } = request;
  const timeout = AbortSignal.timeout(request.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { accept: 'application/json', ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}), ...request.headers },
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
      signal: AbortSignal.any([signal, timeout]),
      redirect: 'follow',
    });
  } catch (error) {
    if (signal.aborted) throw error;
    const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    throw new SourceUnavailableError(url, null, timeout.aborted ? `no answer within ${request.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms` : cause);
  }
  const text = await response.text();
  const body = parseBody(text);
  const { status, headers } = response;
  if (status >= 200 && status < 300) {
    if (typeof body === 'string') throw new SourceUnavailableError(url, status, `the answer is not JSON (${body.slice(0, 80)})`);
    return { status, headers, body: body as T };
  }
  if (request.emptyOn?.includes(status)) return null;
  const custom = request.rateLimit?.(status, headers, body);
  if (custom !== undefined) throw new RateLimitedError(custom, `${describeRequest(url)} answered ${status} (rate limited)`);
  if (status === 429 || (status === 503 && headers.has('retry-after'))) {
    const resetAt = resetAtFromHeaders(headers) ?? backoffResetAt(request.previousRateLimits ?? 0);
    throw new RateLimitedError(resetAt, `${describeRequest(url)} answered ${status} (rate limited)`);
  }
  const message = (request.errorMessage ?? defaultMessage)(body);
  if (status >= 400 && status < 500 && status !== 408) throw new SourceRejectedError(status, url, message, hintFor(status));
  throw new SourceUnavailableError(url, status, message || response.statusText);
};
