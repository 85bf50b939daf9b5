import type pg from 'pg';
import { z } from 'zod';

import type { ConnectorPlan } from '../../shared/connectors/plan';

/**
 * What a source connector provides to the pipeline stage handlers (handlers.ts). The handlers own
 * delivery, transactions, statuses and run accounting; a connector only knows its API and its tables:
 * - `plan` is its steps and streams (shared/connectors), which the run and the handlers follow;
 * - `extractPage` does the I/O for one page of one stream partition and says where the next one
 *   starts and which partitions of child streams it found;
 * - `transform` is pure (same payload, same output), so a redelivered transform is harmless; it
 *   throws `PermanentError` (workers/queue) for a payload it can never handle (a poison page);
 * - `load` upserts the transform output inside the handler's transaction, each row pointing back to
 *   its raw unit (lineage), on natural keys so a redelivered load duplicates nothing; a row is only
 *   replaced by one from the same or a newer raw unit (`raw_id` is the version), so loads may finish
 *   in any order;
 * - `loadMappings` reads what the transform needs of the tenant's configuration (type and status
 *   mappings, workflow, custom-field slots). The handlers snapshot it once per run (`runs.mappings`),
 *   so every unit of a run is transformed with the same mappings, on any host.
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
  /** The integration's API token, opened from its sealed secret inside the worker; null when none is set. */
  readonly secret?: string | null;
  /**
   * Incremental streams: the partition's watermark from the last run that loaded it (ISO 8601), or
   * null for a full refresh / first run. The connector applies its own overlap.
   */
  readonly watermark?: string | null;
  /**
   * The first request of a page has its token from the shared budget already; a page that needs more
   * requests (Jira changelog completion, GitHub nested pages) takes one per extra request with this.
   */
  readonly acquire?: () => Promise<void>;
  /**
   * The API said (in a successful answer) that its budget is nearly spent and resets at `resetAt`
   * (epoch ms): every worker of the integration waits until then before its next request, instead of
   * running into the limit. The page in hand is still stored.
   */
  readonly pauseUntil?: (resetAt: number) => Promise<void>;
}

/** A partition of a stream that a page found (a project key, an issue id, a repository). */
export interface ChildPartition {
  readonly stream: string;
  readonly partition: string;
  /** Where the partition's first page starts when not at the beginning (a GitHub nested connection's endCursor). */
  readonly cursor?: string | null;
}

export interface ExtractedPage {
  readonly requestUrl: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** The API response as received (or, for a page that takes several requests, each response verbatim in one document). */
  readonly payload: unknown;
  readonly recordCount: number;
  /** Where the next page starts; null when this was the last page. */
  readonly nextCursor: string | null;
  /** Partitions of child streams this page found (started once the page is stored; duplicates are ignored). */
  readonly children?: readonly ChildPartition[];
  /** Incremental streams: the highest cursor-field value on the page (ISO 8601); the watermark once the run has loaded it. */
  readonly watermark?: string | null;
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
  /** The unit's partition (`raw_extraction_data.parent_key`): the project of a statuses page, the issue of a dev-status page. */
  readonly partition: string | null;
  readonly integration: IntegrationInfo;
  /** What `loadMappings` returned when the run started using mappings (undefined for connectors without it). */
  readonly mappings?: unknown;
}

export interface Lineage {
  /** The raw unit whose payload this is: the lineage of every row, and its version (newer units win). */
  readonly rawId: number;
  readonly tenantId: number;
  readonly integrationId: number;
}

export type Queryable = Pick<pg.ClientBase, 'query'>;

export interface Connector {
  readonly name: string;
  /** Steps and streams; null for connectors that run a single ad-hoc stream (the synthetic test connector). */
  readonly plan: ConnectorPlan | null;
  extractPage(request: ExtractRequest): Promise<ExtractedPage>;
  transform(payload: unknown, ctx: TransformContext): TransformOutput;
  /** Runs inside the load handler's transaction; must not commit or roll back. */
  load(client: pg.ClientBase, output: TransformOutput, lineage: Lineage): Promise<void>;
  /** The tenant configuration transform needs, as plain JSON (it is stored on the run). */
  loadMappings?(db: Queryable, integration: IntegrationInfo): Promise<unknown>;
}
