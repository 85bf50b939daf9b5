/**
 * How a connector says the API rate-limited it: `throw new RateLimitedError(resetAt)`, with `resetAt`
 * from the response headers (`resetAtFromHeaders`) or, when they say nothing, `backoffResetAt`. The
 * extract handler pauses the integration for every worker until then and fetches the page again
 * (extract-limits.ts). Kept free of I/O imports so pure connector code can use it.
 */

/** Thrown by a connector when the API said "too many requests"; the page is fetched again after `resetAt`. */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  constructor(
    /** Epoch ms when the API allows requests again (from Retry-After / X-RateLimit-Reset, or a backoff). */
    readonly resetAt: number,
    detail = 'the API answered rate limited',
  ) {
    super(`${detail}; requests resume at ${new Date(resetAt).toISOString()}.`);
  }
}

type HeaderSource = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

const header = (headers: HeaderSource, name: string): string | null => {
  if (headers instanceof Headers) return headers.get(name);
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return typeof value === 'string' ? value : (value?.[0] ?? null);
};

/**
 * When requests may resume, from the response headers: `Retry-After` (seconds or an HTTP date), else
 * `X-RateLimit-Reset` (epoch seconds as GitHub sends it, epoch ms, or an ISO date as Jira sends it).
 * Null when neither says; use `backoffResetAt` then.
 */
export const resetAtFromHeaders = (headers: HeaderSource, nowMs: number = Date.now()): number | null => {
  const retryAfter = header(headers, 'retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return nowMs + Math.ceil(Number(retryAfter) * 1000);
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(at, nowMs);
  }
  const reset = header(headers, 'x-ratelimit-reset')?.trim();
  if (reset) {
    if (/^\d+$/.test(reset)) {
      const n = Number(reset);
      // Epoch ms, epoch seconds, or (some APIs) seconds from now.
      const at = n > 1e12 ? n : n > 1e9 ? n * 1000 : nowMs + n * 1000;
      return Math.max(at, nowMs);
    }
    const at = Date.parse(reset);
    if (Number.isFinite(at)) return Math.max(at, nowMs);
  }
  return null;
};

/** Exponential backoff with jitter for a rate limit without reset headers: ~1 s, 2 s, 4 s … up to 60 s. */
export const backoffResetAt = (previousHits: number, nowMs: number = Date.now(), random: () => number = Math.random): number => {
  const base = Math.min(60_000, 1_000 * 2 ** Math.min(previousHits, 6));
  return nowMs + Math.ceil(base / 2 + random() * (base / 2));
};

