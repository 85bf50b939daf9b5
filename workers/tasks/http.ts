/**
 * The small HTTP client of the one-shot tasks: JSON in and out, a timeout per request, and failures
 * turned into one sentence an operator can act on, with the API's own message. The pipeline's
 * connectors have their own requester (rate limits, retries); a check must answer fast instead.
 */

export interface JsonResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
}

/** A request that did not give a usable answer; `message` is the sentence for the console. */
export class RequestFailure extends Error {
  override readonly name = 'RequestFailure';
  constructor(
    readonly kind: 'network' | 'timeout' | 'http' | 'not_json',
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
  }

  /** Network, timeout and wrong-URL failures make every later check fail the same way. */
  get fatal(): boolean {
    return this.kind === 'network' || this.kind === 'timeout' || this.kind === 'not_json' || this.status === 401 || this.status === 404;
  }
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST';
  readonly headers: Record<string, string>;
  readonly body?: unknown;
  readonly timeoutMs: number;
  /** Added to 401 messages: what to check about the credentials. */
  readonly authHint: string;
}

const causeOf = (error: unknown): string => {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
};

/** The API's own words from a Jira (`errorMessages`, `errors`), GitHub REST (`message`) or GraphQL (`errors[]`) body. */
export const apiMessage = (body: unknown): string | null => {
  if (!body || typeof body !== 'object') return typeof body === 'string' && body.trim() ? body.trim().slice(0, 300) : null;
  const b = body as { errorMessages?: unknown; errors?: unknown; message?: unknown };
  const parts: string[] = [];
  if (Array.isArray(b.errorMessages)) parts.push(...b.errorMessages.filter((m): m is string => typeof m === 'string'));
  if (Array.isArray(b.errors)) {
    for (const e of b.errors) if (e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string') parts.push((e as { message: string }).message);
  } else if (b.errors && typeof b.errors === 'object') {
    for (const [field, m] of Object.entries(b.errors)) if (typeof m === 'string') parts.push(`${field}: ${m}`);
  }
  if (typeof b.message === 'string') parts.push(b.message);
  return parts.length ? parts.join('; ').slice(0, 500) : null;
};

/** One sentence per HTTP failure, saying what it means for this integration and what to do. */
export const describeStatus = (status: number, body: unknown, url: string, authHint: string, retryAfter: string | null): string => {
  const said = apiMessage(body);
  const quote = said ? `: "${said}"` : '';
  if (status === 401) return `the token was refused (401${quote}); ${authHint}`;
  if (status === 403) return `permission denied (403${quote}); the token works but lacks the permission or scope for this`;
  if (status === 404) return `not found (404) at ${url}${quote}; check the base URL`;
  if (status === 410) return `this API is gone (410)${quote}; the server may be older or newer than Sluice expects`;
  if (status === 429) return `rate limited (429)${retryAfter ? `, retry after ${retryAfter} s` : ''}${quote}; try again later or lower the rate limit`;
  if (status >= 500) return `the server failed (${status}${quote}); try again later`;
  return `the request was refused (${status}${quote})`;
};

/** Sends one request and returns its JSON; throws `RequestFailure` for anything but a 2xx JSON answer. */
export const requestJson = async (url: string, options: RequestOptions): Promise<JsonResponse> => {
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  let res: Response;
  try {
    res = await fetch(url, {
      method: options.method ?? 'GET',
      headers: { accept: 'application/json', ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'follow',
    });
  } catch (error) {
    const name = (error as { name?: unknown } | null)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new RequestFailure('timeout', `no answer from ${host} within ${Math.round(options.timeoutMs / 1000)} s; check the base URL and that the server is reachable`);
    }
    throw new RequestFailure('network', `could not reach ${host} (${causeOf(error)}); check the base URL and the network`);
  }
  const text = await res.text().catch(() => '');
  const type = res.headers.get('content-type') ?? '';
  let body: unknown = text;
  if (/json/i.test(type) || /^\s*[[{]/.test(text)) {
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
  }
  if (res.status < 200 || res.status >= 300) {
    throw new RequestFailure('http', describeStatus(res.status, body, url, options.authHint, res.headers.get('retry-after')), res.status);
  }
  if (typeof body === 'string') {
    throw new RequestFailure(
      'not_json',
      `${host} answered with ${type.split(';')[0] || 'a non-JSON body'} instead of JSON; the base URL may point at a web page rather than the API`,
      res.status,
    );
  }
  return { status: res.status, body, headers: res.headers };
};

/** `base` + `path` with exactly one slash between them. */
export const joinUrl = (base: string, path: string): string => `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
