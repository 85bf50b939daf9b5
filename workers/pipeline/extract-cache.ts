import type { RawCache, RawCacheOptions } from '../cache/raw-cache';
import { toError } from '../queue/errors';

/**
 * Extract's copy of each stored page in the local SQLite raw cache (DESIGN.md section 3), written
 * after the Postgres commit. Postgres is the source of truth and the cache can always be refilled from
 * it, so a cache that cannot be opened or written is counted and reported, never allowed to fail the
 * unit. One per extract handler (one per worker thread); the file is opened on the first write.
 *
 * The cache module is loaded on that first write, not imported: its SQLite migrations are bundled with
 * `import.meta.glob`, which only the Vite build provides, and threads without a cache must not need it.
 */

export interface CachedPage {
  readonly rawId: number;
  readonly tenantId: number;
  readonly integrationId: number;
  readonly runId: number;
  readonly step: string;
  readonly stream: string;
  readonly requestUrl: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly parentKey: string | null;
  readonly recordCount: number;
  /** The payload as the JSON text sent to Postgres. */
  readonly payloadJson: string;
  readonly fetchedAt: Date;
}

export interface ExtractCacheStats {
  readonly written: number;
  readonly failed: number;
  readonly lastError: string | null;
}

export interface ExtractCacheOptions {
  readonly path: string;
  readonly budgetBytes?: number;
  /** Told about each failure (the thread logs it); the write itself never throws. */
  readonly onError?: (error: Error) => void;
  /** After a failed open, how long to wait before trying the file again (default 30 s). */
  readonly reopenAfterMs?: number;
  readonly now?: () => number;
  /** Tests inject a failing opener. */
  readonly open?: (path: string, options: RawCacheOptions) => RawCache | Promise<RawCache>;
}

export class ExtractCache {
  private cache: RawCache | null = null;
  private retryOpenAt = 0;
  private written = 0;
  private failed = 0;
  private lastError: string | null = null;

  constructor(private readonly options: ExtractCacheOptions) {}

  private async opened(): Promise<RawCache> {
    if (this.cache) return this.cache;
    const now = (this.options.now ?? Date.now)();
    // A broken path would fail every page: do not retry the open (a mkdir and a file open) each time.
    if (now < this.retryOpenAt) throw new Error(`The raw cache ${this.options.path} could not be opened recently; retrying after ${new Date(this.retryOpenAt).toISOString()}.`);
    try {
      const options = this.options.budgetBytes !== undefined ? { budgetBytes: this.options.budgetBytes } : {};
      this.cache = this.options.open ? await this.options.open(this.options.path, options) : (await import('../cache/raw-cache')).RawCache.open(this.options.path, options);
      return this.cache;
    } catch (error) {
      this.retryOpenAt = now + (this.options.reopenAfterMs ?? 30_000);
      throw error;
    }
  }

  /**
   * Mirrors a unit's new status (transform and load threads of the same host call this after their
   * commit), so the offline inspector shows how far each cached page got. Postgres stays the truth: a
   * unit this host never cached is simply not there, and a failure changes nothing for the pipeline.
   */
  async setStatus(rawId: number, status: 'transformed' | 'loaded' | 'failed' | 'skipped'): Promise<void> {
    try {
      (await this.opened()).setStatus([rawId], status);
    } catch (cause) {
      this.failed += 1;
      this.lastError = toError(cause).message;
    }
  }

  /** Stores the page (replacing it on a redelivery); false, counted and reported, when the cache failed. */
  async write(page: CachedPage): Promise<boolean> {
    try {
      const cache = await this.opened();
      cache.put({
        rawId: page.rawId,
        tenantId: page.tenantId,
        integrationId: page.integrationId,
        runId: page.runId,
        step: page.step,
        stream: page.stream,
        requestUrl: page.requestUrl,
        requestParams: { ...page.params },
        parentKey: page.parentKey,
        status: 'pending',
        recordCount: page.recordCount,
        payload: page.payloadJson,
        fetchedAt: page.fetchedAt,
      });
      this.written += 1;
      return true;
    } catch (cause) {
      const error = toError(cause);
      this.failed += 1;
      this.lastError = error.message;
      if (error.name === 'RawCacheCorruptError') this.closeQuietly(); // reopened (and failing visibly) on the next write
      this.options.onError?.(new Error(`Raw unit ${page.rawId} was stored in Postgres but not in the local raw cache (${error.message}); the cache is refillable, the run goes on.`, { cause }));
      return false;
    }
  }

  stats(): ExtractCacheStats {
    return { written: this.written, failed: this.failed, lastError: this.lastError };
  }

  close(): void {
    this.closeQuietly();
  }

  private closeQuietly(): void {
    try {
      this.cache?.close();
    } catch {
      // Closing a broken handle cannot be helped and changes nothing for the caller.
    }
    this.cache = null;
  }
}
