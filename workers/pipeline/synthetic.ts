import type pg from 'pg';
import { z } from 'zod';

import { bulkUpsert } from '../load/bulk-upsert';
import { PermanentError } from '../queue/errors';
import { syntheticPlan, syntheticTreePlan } from '../../shared/connectors/synthetic';
import type { Connector, ExtractedPage, ExtractRequest, TransformOutput } from './connector';
import { RateLimitedError } from './rate-limited';

/**
 * `synthetic`: a connector without an API, for tests and benchmarks of the pipeline itself. Its pages
 * are computed from the integration's `settings.synthetic = { pages, pageSize, poisonPage?, failingPage?, rateLimitedPage?, ... }`:
 * page p holds records `{ id: p * pageSize + i, value }`; the page numbered `poisonPage` is one that
 * transform refuses for good (a PermanentError), as a real connector does for a payload that breaks
 * its contract, and `failingPage` fails with an ordinary error on every attempt (a retryable fault
 * that never clears), and `rateLimitedPage` is answered with a rate limit (RateLimitedError) the
 * first time it is fetched in an attempt, or until `rateLimitedUntil`, to exercise the shared pause. Loads go to `synthetic_items`, a table the tests create (it is not product schema):
 *   synthetic_items (tenant_id, integration_id, external_id, value, raw_id,
 *                    PRIMARY KEY (tenant_id, integration_id, external_id))
 */

export const SyntheticSettings = z.strictObject({
  pages: z.number().int().min(1).max(1_000_000),
  pageSize: z.number().int().min(0).max(100_000),
  poisonPage: z.number().int().min(0).optional(),
  /** A page whose transform fails with an ordinary (retryable) error every time, to spend the retry budget. */
  failingPage: z.number().int().min(0).optional(),
  /** A page the "API" answers once with a rate limit (RateLimitedError) lasting `rateLimitedForMs` (default 1000). */
  rateLimitedPage: z.number().int().min(0).optional(),
  rateLimitedForMs: z.number().int().min(1).max(600_000).optional(),
  /** Instead of "once": answer `rateLimitedPage` rate limited until this epoch ms, as an API does until its reset. */
  rateLimitedUntil: z.number().int().min(0).optional(),
  /** `synthetic_tree` only: pages of each item page's `details` partition (default 1). */
  detailPages: z.number().int().min(1).max(10_000).optional(),
  /** A page (item page number) whose fetch fails with an API error retrying cannot fix (a 404-like PermanentError). */
  brokenPage: z.number().int().min(0).optional(),
  /**
   * Stands in for a tenant mapping: appended to every loaded value. Read by `loadMappings`, so it is
   * snapshot per run like real mappings, and a re-transform applies a changed one to stored pages.
   */
  suffix: z.string().max(50).optional(),
});
export type SyntheticSettings = z.infer<typeof SyntheticSettings>;

const SyntheticPayload = z.strictObject({
  page: z.number().int().min(0),
  poison: z.boolean(),
  failing: z.boolean().optional(),
  records: z.array(z.strictObject({ id: z.number().int(), value: z.string() })),
});

const Item = z.strictObject({ external_id: z.string(), value: z.string() });
const SyntheticMappings = z.strictObject({ suffix: z.string() });

export const SYNTHETIC_TABLE = 'synthetic_items';

const settingsOf = (raw: unknown): SyntheticSettings => {
  const parsed = SyntheticSettings.safeParse(raw);
  if (!parsed.success) {
    throw new PermanentError(`The integration's settings.synthetic is invalid (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}); fix the integration settings.`);
  }
  return parsed.data;
};

const pageOf = (cursor: string | null): number => {
  if (cursor === null) return 0;
  if (!/^\d{1,9}$/.test(cursor)) throw new PermanentError(`The synthetic connector got cursor "${cursor.slice(0, 50)}", which is not a page number.`);
  return Number(cursor);
};

/** Record timestamps: a fixed origin plus the record id in seconds, so watermarks are predictable. */
const ORIGIN_MS = Date.UTC(2026, 0, 1);

/** A `details` page: `pageSize` records per page of the item page's partition. */
const detailsPage = (request: ExtractRequest, settings: SyntheticSettings): ExtractedPage => {
  const parent = request.partition ?? '0';
  const page = pageOf(request.cursor);
  const pages = settings.detailPages ?? 1;
  const records = Array.from({ length: settings.pageSize }, (_, i) => ({ id: 1_000_000_000 + Number(parent) * 10_000 + page * settings.pageSize + i, value: `detail-${parent}-${page}-${i}` }));
  return {
    requestUrl: `synthetic://items/${parent}/details?page=${page}`,
    params: { parent, page },
    payload: { page, poison: false, records },
    recordCount: records.length,
    nextCursor: page + 1 < pages ? String(page + 1) : null,
  };
};

const build = (name: string, tree: boolean): Connector => ({
  name,
  plan: tree ? syntheticTreePlan : syntheticPlan,

  extractPage: async (request): Promise<ExtractedPage> => {
    const { integration, cursor, previousRateLimits } = request;
    const settings = settingsOf(integration.settings.synthetic);
    if (request.stream === 'details') return detailsPage(request, settings);
    const { pages, pageSize, poisonPage, failingPage, rateLimitedPage, rateLimitedForMs, rateLimitedUntil, brokenPage } = settings;
    const page = pageOf(cursor);
    // "Once" per attempt at the page (the handler fetches it again after the pause, saying so), or until a fixed reset.
    const limited = rateLimitedUntil !== undefined ? Date.now() < rateLimitedUntil : !previousRateLimits;
    if (page === rateLimitedPage && limited) {
      const resetAt = rateLimitedUntil ?? Date.now() + (rateLimitedForMs ?? 1_000);
      throw new RateLimitedError(resetAt, `Synthetic page ${page} is rate limited on purpose (settings.synthetic.rateLimitedPage)`);
    }
    if (page === brokenPage) throw Object.assign(new PermanentError(`Synthetic page ${page} answers 404 on purpose (settings.synthetic.brokenPage).`), { status: 404 });
    const records = Array.from({ length: pageSize }, (_, i) => ({ id: page * pageSize + i, value: `item-${page * pageSize + i}` }));
    return {
      requestUrl: `synthetic://items?page=${page}`,
      params: { page, pageSize },
      payload: { page, poison: page === poisonPage, ...(page === failingPage ? { failing: true } : {}), records },
      recordCount: records.length,
      nextCursor: page + 1 < pages ? String(page + 1) : null,
      watermark: records.length > 0 ? new Date(ORIGIN_MS + (page * pageSize + pageSize - 1) * 1000).toISOString() : null,
      ...(tree ? { children: [{ stream: 'details', partition: String(page) }] } : {}),
    };
  },

  transform: (payload, ctx): TransformOutput => {
    const parsed = SyntheticPayload.safeParse(payload);
    if (!parsed.success) throw new PermanentError('The synthetic page does not match its schema; it cannot be transformed.');
    if (parsed.data.poison) throw new PermanentError(`Synthetic page ${parsed.data.page} is poison on purpose (settings.synthetic.poisonPage).`);
    if (parsed.data.failing) throw new Error(`Synthetic page ${parsed.data.page} fails on purpose every time (settings.synthetic.failingPage).`);
    const mappings = SyntheticMappings.safeParse(ctx.mappings ?? { suffix: '' });
    const suffix = mappings.success ? mappings.data.suffix : '';
    return { tables: { [SYNTHETIC_TABLE]: parsed.data.records.map((r) => ({ external_id: String(r.id), value: `${r.value}${suffix}` })) } };
  },

  loadMappings: async (_db, integration) => ({ suffix: settingsOf(integration.settings.synthetic).suffix ?? '' }),

  load: async (client: pg.ClientBase, output, { rawId, tenantId, integrationId }) => {
    const items = z.array(Item).parse(output.tables[SYNTHETIC_TABLE] ?? []);
    await bulkUpsert(client, {
      table: SYNTHETIC_TABLE,
      columns: ['tenant_id', 'integration_id', 'external_id', 'value', 'raw_id'],
      key: ['tenant_id', 'integration_id', 'external_id'],
      rows: items.map((item) => ({ tenant_id: tenantId, integration_id: integrationId, external_id: item.external_id, value: item.value, raw_id: rawId })),
    });
  },
});

export const synthetic = build('synthetic', false);
/** Item pages each name a `details` partition of `detailPages` pages (fan-out across partitions). */
export const syntheticTree = build('synthetic_tree', true);
