import { z } from 'zod';

import type { EmbeddingSettings } from '../../../shared/vectors/settings';
import { PermanentError, RetryableError } from '../../queue/errors';
import type { Embedder } from './embedder';

/**
 * An OpenAI-compatible `POST {url}/embeddings` client (OpenAI, and the many servers that copy its API:
 * Azure-style gateways, Ollama, vLLM, LiteLLM...). It batches texts (`batchSize` per request and a
 * character budget), spaces requests when `requestsPerMinute` is set, and retries a 429, a 5xx, a
 * timeout or a network failure in place, waiting what the server asks (`retry-after-ms`,
 * `Retry-After`, `x-ratelimit-reset-*`) or an exponential backoff. What retrying cannot fix (a 400: a
 * text too long, a model that does not exist) is a `PermanentError` with the API's own message; a
 * refused key is retryable (the operator fixes the key, the queue tries again).
 *
 * Failures never carry a `cause` with a socket error code on purpose: an embeddings API that is down
 * is not a Sluice infrastructure outage, so its messages spend their retry budget and then wait in
 * the dead letters with the reason, instead of circling forever (workers/queue/errors.ts).
 */

type OpenAiSettings = Extract<EmbeddingSettings, { provider: 'openai' }>;

const EmbeddingsResponse = z.object({
  data: z.array(z.object({ index: z.number().int().nonnegative(), embedding: z.array(z.number()) })),
  model: z.string().optional(),
});
const ErrorBody = z.object({ error: z.union([z.object({ message: z.string() }).loose(), z.string()]) }).loose();

/** Characters per request on top of `batchSize` (OpenAI caps a request at 300k tokens; ~4 chars each). */
export const MAX_REQUEST_CHARS = 200_000;
const MAX_WAIT_MS = 60_000;

export interface OpenAiDeps {
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly now?: () => number;
  /** Backoff before retry n (1-based) when the server gives no hint. */
  readonly backoffMs?: (retry: number) => number;
}

/** The endpoint from the configured base URL: `.../v1` gets `/embeddings`; a full `.../embeddings` is kept. */
export const embeddingsEndpoint = (url: string): string => {
  const trimmed = url.replace(/\/+$/, '');
  return /\/embeddings$/.test(trimmed) ? trimmed : `${trimmed}/embeddings`;
};

const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** "1s", "6m0s", "250ms", "1h2m3.5s" (OpenAI's x-ratelimit-reset-* format) → ms. */
export const parseResetDuration = (value: string): number | null => {
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let matched = '';
  for (let m = re.exec(value); m; m = re.exec(value)) {
    const n = Number(m[1]);
    total += m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n * 3_600_000;
    matched += m[0];
  }
  return matched.length > 0 && matched.length === value.trim().length ? Math.ceil(total) : null;
};

/** How long the server asks us to wait, in ms, or null when it does not say. */
export const retryDelayFrom = (headers: Headers, now: number): number | null => {
  const ms = headers.get('retry-after-ms');
  if (ms && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms));
  const after = headers.get('retry-after');
  if (after) {
    if (/^\d+(\.\d+)?$/.test(after.trim())) return Math.ceil(Number(after) * 1000);
    const at = Date.parse(after);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const resets = ['x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens'].map((h) => headers.get(h)).filter((v): v is string => !!v).map(parseResetDuration).filter((v): v is number => v !== null);
  return resets.length > 0 ? Math.max(...resets) : null;
};

/** Splits texts into requests of at most `batchSize` texts and MAX_REQUEST_CHARS characters (a longer text goes alone). */
export const batchesOf = (texts: readonly string[], batchSize: number, maxChars = MAX_REQUEST_CHARS): string[][] => {
  const out: string[][] = [];
  let current: string[] = [];
  let chars = 0;
  for (const t of texts) {
    if (current.length > 0 && (current.length >= batchSize || chars + t.length > maxChars)) {
      out.push(current);
      current = [];
      chars = 0;
    }
    current.push(t);
    chars += t.length;
  }
  if (current.length > 0) out.push(current);
  return out;
};

const apiMessage = (body: unknown): string | null => {
  const parsed = ErrorBody.safeParse(body);
  if (!parsed.success) return null;
  const e = parsed.data.error;
  return typeof e === 'string' ? e : e.message;
};

export const createOpenAiEmbedder = (settings: OpenAiSettings, id: string, deps: OpenAiDeps = {}): Embedder => {
  const doFetch = deps.fetch ?? fetch;
  const sleep = deps.sleep ?? defaultSleep;
  const now = deps.now ?? Date.now;
  const backoff = deps.backoffMs ?? ((n: number) => Math.min(MAX_WAIT_MS, 500 * 2 ** (n - 1)) * (0.75 + Math.random() * 0.5));
  const endpoint = embeddingsEndpoint(settings.url);
  const host = new URL(endpoint).host;
  const minIntervalMs = settings.requestsPerMinute ? 60_000 / settings.requestsPerMinute : 0;
  let nextSlot = 0;

  /** Waits for this thread's next request slot (requestsPerMinute), reserving it first so concurrent batches queue up. */
  const slot = async (signal?: AbortSignal): Promise<void> => {
    if (minIntervalMs === 0) return;
    const at = Math.max(now(), nextSlot);
    nextSlot = at + minIntervalMs;
    if (at > now()) await sleep(at - now(), signal);
  };

  const once = async (batch: readonly string[], signal?: AbortSignal): Promise<{ ok: true; vectors: number[][] } | { ok: false; retryable: boolean; waitMs: number | null; message: string }> => {
    await slot(signal);
    const timeout = AbortSignal.timeout(settings.timeoutMs);
    let res: Response;
    try {
      res = await doFetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...(settings.key ? { authorization: `Bearer ${settings.key}` } : {}) },
        body: JSON.stringify({ model: settings.model, input: batch, encoding_format: 'float', ...(settings.dimensions ? { dimensions: settings.dimensions } : {}) }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
      const reason = timeout.aborted ? `no answer within ${Math.round(settings.timeoutMs / 1000)} s` : error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
      return { ok: false, retryable: true, waitMs: null, message: `the embeddings API at ${host} could not be reached (${reason})` };
    }
    const text = await res.text().catch(() => '');
    let body: unknown = null;
    try {
      body = text ? (JSON.parse(text) as unknown) : null;
    } catch {
      body = null;
    }
    if (!res.ok) {
      const said = apiMessage(body) ?? (text.slice(0, 300) || res.statusText);
      const status = res.status;
      if (status === 429 || status === 408 || status >= 500) {
        return { ok: false, retryable: true, waitMs: retryDelayFrom(res.headers, now()), message: `the embeddings API answered ${status} (${said})` };
      }
      if (status === 401 || status === 403) {
        throw new RetryableError(`The embeddings API at ${host} refused the key (${status}: ${said}); check SLUICE_EMBEDDINGS_KEY, then the message is retried.`);
      }
      throw new PermanentError(`The embeddings API at ${host} refused the request (${status}: ${said}); check SLUICE_EMBEDDINGS_MODEL and the texts, retrying the same request cannot help.`);
    }
    const parsed = EmbeddingsResponse.safeParse(body);
    if (!parsed.success) {
      throw new PermanentError(`The embeddings API at ${host} answered 200 with a body that is not an OpenAI embeddings response (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? 'invalid'}); is SLUICE_EMBEDDINGS_URL an OpenAI-compatible /v1 endpoint?`);
    }
    const data = parsed.data.data;
    const vectors: number[][] = new Array<number[]>(batch.length);
    for (const d of data) {
      if (d.index >= batch.length || vectors[d.index]) throw new PermanentError(`The embeddings API at ${host} answered with ${data.length} embeddings for ${batch.length} texts (index ${d.index}); it does not follow the OpenAI contract.`);
      vectors[d.index] = d.embedding;
    }
    if (data.length !== batch.length) throw new PermanentError(`The embeddings API at ${host} answered with ${data.length} embeddings for ${batch.length} texts; it does not follow the OpenAI contract.`);
    const size = settings.dimensions ?? vectors[0]!.length;
    const wrong = vectors.find((v) => v.length !== size || v.length === 0);
    if (wrong) {
      throw new PermanentError(
        `The embeddings API at ${host} returned ${wrong.length}-dimension vectors where ${size} were expected${settings.dimensions ? ' (SLUICE_EMBEDDINGS_DIMENSIONS)' : ''}; set SLUICE_EMBEDDINGS_DIMENSIONS to what model ${settings.model} makes.`,
      );
    }
    return { ok: true, vectors };
  };

  const embedBatch = async (batch: readonly string[], signal?: AbortSignal): Promise<number[][]> => {
    for (let attempt = 1; ; attempt += 1) {
      const r = await once(batch, signal);
      if (r.ok) return r.vectors;
      if (attempt > settings.maxRetries) throw new RetryableError(`Embedding ${batch.length} text(s) failed after ${attempt} tries: ${r.message}. The message will be retried later.`);
      const wait = r.waitMs ?? backoff(attempt);
      // A wait longer than a minute is better spent in the queue's delay tiers than holding the thread.
      if (wait > MAX_WAIT_MS) throw new RetryableError(`${r.message}; it asks to wait ${Math.ceil(wait / 1000)} s, so the message will be retried later.`);
      await sleep(wait, signal);
    }
  };

  return {
    id,
    embed: async (texts, signal) => {
      const out: number[][] = [];
      for (const batch of batchesOf(texts, settings.batchSize)) out.push(...(await embedBatch(batch, signal)));
      return out;
    },
  };
};
