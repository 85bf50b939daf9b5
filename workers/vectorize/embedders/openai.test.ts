import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';

import { OpenAiEmbeddings } from '../../../shared/vectors/settings';
import { PermanentError, RetryableError } from '../../queue/errors';
import { batchesOf, createOpenAiEmbedder, embeddingsEndpoint, parseResetDuration, retryDelayFrom } from './openai';

/**
 * The OpenAI-compatible client against a small local server speaking the `/v1/embeddings` contract
 * (request: model, input[], encoding_format, dimensions; answer: data[{index, embedding}]), whose
 * answers each test scripts: batching and order, retries after 429 / 5xx with the wait the server
 * asks, and the errors that must not be retried.
 */
interface Seen {
  readonly auth: string | undefined;
  readonly body: { model: string; input: string[]; dimensions?: number; encoding_format: string };
}
type Reply = (seen: Seen, res: ServerResponse) => void;

let server: Server;
let url = '';
let seen: Seen[] = [];
let replies: Reply[] = [];

/** A deterministic embedding of a text: its length and char codes, so order mistakes show. */
const vectorOf = (text: string, size: number): number[] => Array.from({ length: size }, (_, i) => text.length + (text.charCodeAt(i % text.length) || 0) / 1000 + i);

const embeddings = (size: number, shuffle = false): Reply => (s, res) => {
  const data = s.body.input.map((t, index) => ({ object: 'embedding', index, embedding: vectorOf(t, size) }));
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: shuffle ? data.reverse() : data, model: s.body.model }));
};
const status = (code: number, headers: Record<string, string> = {}, message = `status ${code}`): Reply => (_s, res) =>
  res.writeHead(code, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ error: { message, type: 'invalid_request_error' } }));

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const s: Seen = { auth: req.headers.authorization, body: JSON.parse(body) as Seen['body'] };
      seen.push(s);
      if (req.url !== '/v1/embeddings') return void res.writeHead(404).end('{"error":{"message":"no route"}}');
      (replies.shift() ?? embeddings(3))(s, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen = [];
  replies = [];
});

const waits: number[] = [];
const embedder = (over: Partial<z.input<typeof OpenAiEmbeddings>> = {}, clock?: { now: () => number }) =>
  createOpenAiEmbedder(OpenAiEmbeddings.parse({ provider: 'openai', url, model: 'text-embedding-3-small', key: 'sk-test', ...over }), 'openai:test', {
    sleep: async (ms) => void waits.push(ms),
    backoffMs: (n) => 100 * n,
    ...(clock ? { now: clock.now } : {}),
  });

describe('OpenAI-compatible embeddings client', () => {
  it('sends batches of batchSize with the model, key and dimensions, and keeps the order of the texts', async () => {
    replies = [embeddings(4, true), embeddings(4), embeddings(4, true)];
    const texts = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
    const vectors = await embedder({ batchSize: 2, dimensions: 4 }).embed(texts);
    expect(seen.map((s) => s.body.input)).toEqual([['alpha', 'beta'], ['gamma', 'delta'], ['epsilon']]);
    expect(seen[0]).toEqual({ auth: 'Bearer sk-test', body: { model: 'text-embedding-3-small', input: ['alpha', 'beta'], encoding_format: 'float', dimensions: 4 } });
    expect(vectors).toEqual(texts.map((t) => vectorOf(t, 4)));
  });

  it('waits what a 429 asks (retry-after-ms, Retry-After, x-ratelimit-reset) and retries a 5xx with backoff', async () => {
    waits.length = 0;
    replies = [status(429, { 'retry-after-ms': '1500' }), status(429, { 'retry-after': '2' }), status(429, { 'x-ratelimit-reset-requests': '20.5s' }), status(503), embeddings(3)];
    const vectors = await embedder({ maxRetries: 5 }).embed(['one']);
    expect(vectors).toEqual([vectorOf('one', 3)]);
    expect(waits).toEqual([1500, 2000, 20_500, 400]);
    expect(seen).toHaveLength(5);
  });

  it('gives up after maxRetries with a retryable error that says what happened', async () => {
    replies = [status(500, {}, 'overloaded'), status(500, {}, 'overloaded'), status(500, {}, 'still overloaded')];
    const error = await embedder({ maxRetries: 2 }).embed(['x']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as Error).message).toBe('Embedding 1 text(s) failed after 3 tries: the embeddings API answered 500 (still overloaded). The message will be retried later.');
    // A wait longer than a minute goes back to the queue instead of holding the thread.
    replies = [status(429, { 'retry-after': '300' })];
    const long = await embedder().embed(['x']).catch((e: unknown) => e);
    expect((long as Error).message).toMatch(/asks to wait 300 s, so the message will be retried later/);
  });

  it('does not retry what cannot succeed: a 400 is permanent, a refused key names the variable, a wrong size is permanent', async () => {
    replies = [status(400, {}, "This model's maximum context length is 8192 tokens")];
    const bad = await embedder().embed(['x']).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(PermanentError);
    expect((bad as Error).message).toContain("400: This model's maximum context length is 8192 tokens");
    expect(seen).toHaveLength(1);

    replies = [status(401, {}, 'Incorrect API key provided')];
    const key = await embedder().embed(['x']).catch((e: unknown) => e);
    expect(key).toBeInstanceOf(RetryableError);
    expect((key as Error).message).toContain('check SLUICE_EMBEDDINGS_KEY');

    replies = [embeddings(3)];
    const size = await embedder({ dimensions: 8 }).embed(['x']).catch((e: unknown) => e);
    expect(size).toBeInstanceOf(PermanentError);
    expect((size as Error).message).toContain('returned 3-dimension vectors where 8 were expected');

    replies = [(_s, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"embeddings": []}')];
    const shape = await embedder().embed(['x']).catch((e: unknown) => e);
    expect((shape as Error).message).toContain('is not an OpenAI embeddings response');
  });

  it('reports an unreachable endpoint as retryable, without a socket cause (not a Sluice outage)', async () => {
    const gone = createOpenAiEmbedder(OpenAiEmbeddings.parse({ provider: 'openai', url: 'http://127.0.0.1:9/v1', model: 'm', maxRetries: 0 }), 'openai:test');
    const error = await gone.embed(['x']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as Error).message).toMatch(/could not be reached/);
    expect((error as Error).cause).toBeUndefined();
  });

  it('spaces requests to requestsPerMinute', async () => {
    waits.length = 0;
    let t = 1_000_000;
    const clock = { now: () => t };
    const e = embedder({ requestsPerMinute: 120, batchSize: 1 }, clock);
    await e.embed(['a', 'b', 'c']);
    // 120/min = one every 500 ms; the clock stands still, so each later request waits its slot.
    expect(waits).toEqual([500, 1000]);
    t += 10_000;
    waits.length = 0;
    await e.embed(['d']);
    expect(waits).toEqual([]);
  });
});

describe('helpers', () => {
  it('endpoint, reset durations, retry hints and batches', () => {
    expect(embeddingsEndpoint('https://api.openai.com/v1/')).toBe('https://api.openai.com/v1/embeddings');
    expect(embeddingsEndpoint('http://localhost:11434/v1/embeddings')).toBe('http://localhost:11434/v1/embeddings');
    expect(parseResetDuration('6m0s')).toBe(360_000);
    expect(parseResetDuration('250ms')).toBe(250);
    expect(parseResetDuration('1h2m3.5s')).toBe(3_723_500);
    expect(parseResetDuration('soon')).toBeNull();
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryDelayFrom(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now)).toBe(5000);
    expect(retryDelayFrom(new Headers({}), now)).toBeNull();
    expect(batchesOf(['aaaa', 'bb', 'cccccc', 'd'], 10, 7)).toEqual([['aaaa', 'bb'], ['cccccc', 'd']]);
    expect(batchesOf(['x'.repeat(20)], 10, 7)).toEqual([['x'.repeat(20)]]);
  });
});
