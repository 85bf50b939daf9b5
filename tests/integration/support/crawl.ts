import type { ExtractedPage, ExtractRequest, IntegrationInfo } from '../../../workers/pipeline/connector';
import { RateLimitedError } from '../../../workers/pipeline/rate-limited';

/**
 * Drives a connector's extract the way the pipeline does — every partition's cursor followed to the
 * end, every child partition started once, rate limits waited out — but in-process, so a connector's
 * strategies can be tested on their own against a simulator.
 */
export interface CrawledPage extends ExtractedPage {
  readonly stream: string;
  readonly partition: string | null;
}

export interface Crawl {
  readonly pages: CrawledPage[];
  readonly rateLimits: number;
  /** Extra requests pages took tokens for (ExtractRequest.acquire). */
  readonly extraRequests: number;
}

export interface CrawlOptions {
  readonly integration: IntegrationInfo;
  readonly secret: string;
  readonly roots: readonly { stream: string; partition?: string | null }[];
  readonly extractPage: (request: ExtractRequest) => Promise<ExtractedPage>;
  readonly watermarks?: Readonly<Record<string, string>>;
  /** Stop waiting on a rate limit longer than this (default 10 s). */
  readonly maxWaitMs?: number;
  /** Follow children of these streams only (default: all); others are recorded in the pages' children. */
  readonly follow?: readonly string[];
}

export const crawl = async (options: CrawlOptions): Promise<Crawl> => {
  const todo = options.roots.map((r) => ({ stream: r.stream, partition: r.partition ?? null, cursor: null as string | null }));
  const started = new Set(todo.map((t) => `${t.stream}/${t.partition ?? ''}`));
  const pages: CrawledPage[] = [];
  let rateLimits = 0;
  let extraRequests = 0;
  while (todo.length > 0) {
    const next = todo.shift()!;
    for (let hits = 0; ; ) {
      try {
        const page = await options.extractPage({
          integration: options.integration,
          step: 'crawl',
          stream: next.stream,
          partition: next.partition,
          cursor: next.cursor,
          signal: new AbortController().signal,
          secret: options.secret,
          watermark: options.watermarks?.[`${next.stream}/${next.partition ?? ''}`] ?? null,
          previousRateLimits: hits,
          acquire: async () => void (extraRequests += 1),
        });
        pages.push({ ...page, stream: next.stream, partition: next.partition });
        if (page.nextCursor !== null) todo.push({ ...next, cursor: page.nextCursor });
        for (const child of page.children ?? []) {
          if (options.follow && !options.follow.includes(child.stream)) continue;
          const key = `${child.stream}/${child.partition}`;
          if (started.has(key)) continue;
          started.add(key);
          todo.push({ stream: child.stream, partition: child.partition, cursor: null });
        }
        break;
      } catch (error) {
        if (!(error instanceof RateLimitedError)) throw error;
        hits += 1;
        rateLimits += 1;
        const wait = error.resetAt - Date.now();
        if (wait > (options.maxWaitMs ?? 10_000)) throw new Error(`crawl: a rate limit asks for ${wait} ms, longer than the test allows`, { cause: error });
        await new Promise((r) => setTimeout(r, Math.max(0, wait)));
      }
    }
  }
  return { pages, rateLimits, extraRequests };
};
