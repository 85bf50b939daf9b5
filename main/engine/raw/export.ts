import { BUNDLE_EXTENSION, BUNDLE_FORMAT, BUNDLE_VERSION, type BundleHeader } from '../../../shared/contract/bundles';
import type { RawFilter, RawSource, RawUnitSummary } from '../../../shared/contract/raw';
import { listPage, searchPage, type ListedUnit, type Queryable } from './units';

/**
 * Export of the filtered units as a `.sluice` bundle (shared/contract/bundles.ts), in chunks
 * (issues 9 and 11): the first chunk starts with the header line, then one line per unit with its
 * metadata and payload, the format `sluice transform --file` reads (`stream`, `partition`/`parentKey`, `payload`).
 * A chunk stops at `maxBytes` (at least one unit), and `nextCursor` continues it, so the console and
 * the CLI stream any amount without holding it all; payloads are fetched a few at a time by size.
 */

export const EXPORT_PAGE = 200;
const SEARCH_BUDGET_MS = 1_500;

/** One NDJSON line. The payload text is spliced in as Postgres printed it: jsonb text has no newline. */
export const exportLine = (unit: RawUnitSummary, payloadText: string): string => {
  const meta = JSON.stringify({
    rawId: unit.id,
    integrationId: unit.integrationId,
    runId: unit.runId,
    step: unit.step,
    stream: unit.stream,
    partition: unit.parentKey,
    parentKey: unit.parentKey,
    status: unit.status,
    recordCount: unit.recordCount,
    requestUrl: unit.requestUrl,
    createdAt: unit.createdAt,
  });
  return `${meta.slice(0, -1)},"payload":${payloadText.replaceAll('\n', ' ')}}`;
};

export const exportFilename = (tenantId: number, at = new Date()): string => `sluice-raw-tenant-${tenantId}-${at.toISOString().slice(0, 19).replaceAll(':', '').replace('T', '-')}${BUNDLE_EXTENSION}`;

/** Line 1 of a bundle: what was exported, whose, and when. */
export const bundleHeaderLine = (input: { tenantId: number; integration: BundleHeader['integration']; filter: RawFilter; source: RawSource; at?: Date }): string => {
  const header: BundleHeader = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    tenantId: input.tenantId,
    integration: input.integration,
    filter: input.filter,
    exportedAt: (input.at ?? new Date()).toISOString(),
    source: input.source,
  };
  return `${JSON.stringify(header)}\n`;
};

const payloadsOf = async (db: Queryable, ids: readonly number[]): Promise<Map<number, string>> => {
  const res = await db.query<{ id: string; payload: string }>(
    `SELECT d.id, coalesce(src.payload, d.payload)::text AS payload FROM raw_extraction_data d LEFT JOIN raw_extraction_data src ON src.id = d.replay_of WHERE d.id = ANY ($1::bigint[])`,
    [ids],
  );
  return new Map(res.rows.map((r) => [Number(r.id), r.payload]));
};

export const exportChunk = async (
  db: Queryable,
  tenantId: number,
  filter: RawFilter,
  cursor: string | undefined,
  maxBytes: number,
): Promise<{ content: string; lines: number; nextCursor: string | null }> => {
  let page: { items: ListedUnit[]; nextCursor: string | null };
  if (filter.text !== undefined) {
    page = await searchPage(db, tenantId, { ...filter, text: filter.text }, cursor, EXPORT_PAGE, SEARCH_BUDGET_MS);
  } else {
    const listed = await listPage(db, tenantId, filter, cursor, EXPORT_PAGE);
    page = { items: listed.items, nextCursor: listed.more ? listed.items.at(-1)!.cursor : null };
  }
  const out: string[] = [];
  let bytes = 0;
  let i = 0;
  while (i < page.items.length) {
    // A batch of payloads that together stay near the chunk size (a 10 MB payload comes alone).
    const batch: ListedUnit[] = [];
    let batchBytes = 0;
    while (i < page.items.length && (batch.length === 0 || batchBytes + page.items[i]!.unit.payloadBytes <= maxBytes)) {
      batchBytes += page.items[i]!.unit.payloadBytes;
      batch.push(page.items[i]!);
      i += 1;
    }
    const payloads = await payloadsOf(db, batch.map((b) => b.unit.id));
    for (const [n, item] of batch.entries()) {
      const line = exportLine(item.unit, payloads.get(item.unit.id) ?? 'null');
      if (out.length > 0 && bytes + line.length > maxBytes) {
        // Full: the next chunk starts at this unit.
        const previous = n > 0 ? batch[n - 1]! : page.items[page.items.indexOf(item) - 1]!;
        return { content: `${out.join('\n')}\n`, lines: out.length, nextCursor: previous.cursor };
      }
      out.push(line);
      bytes += line.length + 1;
    }
  }
  return { content: out.length > 0 ? `${out.join('\n')}\n` : '', lines: out.length, nextCursor: page.nextCursor };
};
