import type pg from 'pg';
import { z } from 'zod';

/**
 * What a source connector provides to the pipeline stage handlers (handlers.ts). The handlers own
 * delivery, transactions, statuses and run accounting; a connector only knows its API and its tables:
 * - `extractPage` does the I/O for one page and says where the next one starts;
 * - `transform` is pure (same payload, same output), so a redelivered transform is harmless; it
 *   throws `PermanentError` (workers/queue) for a payload it can never handle (a poison page);
 * - `load` upserts the transform output inside the handler's transaction, each row pointing back to
 *   its raw unit (lineage), on natural keys so a redelivered load duplicates nothing.
 */

/** The integration a unit belongs to, as the handlers read it from Postgres (never the sealed secret). */
export interface IntegrationInfo {
  readonly id: number;
  readonly tenantId: number;
  readonly provider: string;
  readonly baseUrl: string;
  readonly settings: Readonly<Record<string, unknown>>;
}

export interface ExtractRequest {
  readonly integration: IntegrationInfo;
  readonly step: string;
  readonly stream: string;
  readonly partition: string | null;
  /** null for the first page. */
  readonly cursor: string | null;
  readonly signal: AbortSignal;
  /**
   * How many times the API answered this same page with a rate limit (a `RateLimitedError`, see
   * extract-limits.ts) in the current attempt; the handler fetches it again after the pause.
   */
  readonly previousRateLimits?: number;
}

export interface ExtractedPage {
  readonly requestUrl: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** Stable name of this page within its run, step and stream: fetching it again must give the same key. */
  readonly pageKey: string;
  readonly payload: unknown;
  readonly recordCount: number;
  /** Where the next page starts; null when this was the last page. */
  readonly nextCursor: string | null;
}

export type TableRow = Record<string, unknown>;

/** Rows per target table; stored in `raw_extraction_data.transformed` until loaded. */
export const TransformOutput = z.strictObject({
  tables: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,62}$/), z.array(z.record(z.string(), z.unknown()))),
});
export type TransformOutput = z.infer<typeof TransformOutput>;

export interface TransformContext {
  readonly tenantId: number;
  readonly integrationId: number;
  readonly step: string;
  readonly stream: string;
  readonly integration: IntegrationInfo;
}

export interface Lineage {
  readonly rawId: number;
  readonly tenantId: number;
  readonly integrationId: number;
}

export interface Connector {
  readonly name: string;
  extractPage(request: ExtractRequest): Promise<ExtractedPage>;
  transform(payload: unknown, ctx: TransformContext): TransformOutput;
  /** Runs inside the load handler's transaction; must not commit or roll back. */
  load(client: pg.ClientBase, output: TransformOutput, lineage: Lineage): Promise<void>;
}
