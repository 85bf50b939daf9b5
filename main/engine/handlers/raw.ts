import type pg from 'pg';
import type pino from 'pino';

import { connectorNameOf, planFor, planStreams } from '../../../shared/connectors';
import { ApiError } from '../../../shared/contract/errors';
import { TOTAL_CAP } from '../../../shared/contract/raw';
import { asDatabaseError } from '../db/pool';
import { withTenant } from '../db/tenant-scope';
import { bundleHeaderLine, exportChunk, exportFilename } from '../raw/export';
import { lineageTables, rowOrigin, unitLineage } from '../raw/lineage';
import { createOffline, offlineRefusal } from '../raw/offline';
import { recordLocator } from '../raw/records';
import { reprocessUnits, runUnits } from '../raw/reprocess';
import { countUnits, listPage, readUnit, searchPage } from '../raw/units';
import { diffVersions, findVersions, unitContext } from '../raw/versions';
import type { TaskRunner } from '../tasks';
import type { CallContext, Handlers } from '../types';
import { tenantOf } from './runs';

/**
 * The raw data inspector's API (shared/contract/raw.ts). Each read goes to Postgres; when Postgres is
 * unreachable (or not configured) the reads the cache can answer fall back to the local raw cache and
 * say so (`source: 'cache'`, `offline`), and the rest refuse with the reason and what is missing.
 */

export interface RawHandlerDeps {
  readonly pool: pg.Pool | null;
  readonly tasks: TaskRunner;
  /** The engine's DATABASE_URL: the preview task reads the integration's mappings with it (workerData only). */
  readonly databaseUrl: string | null;
  /** `<SLUICE_HOME>/cache/raw-cache.sqlite` */
  readonly cachePath: string;
  readonly logger?: pino.Logger;
  /** Put units opened online into the local cache (default true; the one-shot CLI has no use for it). */
  readonly cacheOpened?: boolean;
}

type RawMethods = 'raw.list' | 'raw.facets' | 'raw.get' | 'raw.lineage' | 'raw.origin' | 'raw.versions' | 'raw.diff' | 'raw.preview' | 'raw.reprocess' | 'raw.runUnits' | 'raw.export';

/** Opened units waiting to be cached beyond this are not cached (it is only a cache). */
const MAX_QUEUED_WRITES = 20;
const MAX_REMEMBERED = 5_000;
/**
 * A cache write waits until no unit has been opened for this long (at most MAX_WRITE_DEFER_MS): on a
 * 10 MB page it costs about a second of CPU (brotli and SQLite, in a task thread), which on two
 * cores slowed the very open it came from, while that answer was still being serialized and parsed.
 */
const WRITE_SETTLE_MS = 1_000;
const MAX_WRITE_DEFER_MS = 10_000;

/** Text search spends at most this long per page before it hands back a cursor to continue from. */
const SEARCH_BUDGET_MS = 1_500;

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/**
 * Runs `fn` in the tenant's scope; a database that is not there becomes `{ ok: false, reason }`
 * (any other failure is thrown, mapped to a readable error as elsewhere).
 */
const tryPostgres = async <T>(pool: pg.Pool | null, ctx: CallContext, fn: (client: pg.PoolClient, tenantId: number) => Promise<T>): Promise<Outcome<T>> => {
  const tenantId = tenantOf(ctx);
  if (!pool) return { ok: false, reason: 'Postgres is not configured (no DATABASE_URL).' };
  try {
    return { ok: true, value: await withTenant(pool, tenantId, (client) => fn(client, tenantId)) };
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const mapped = asDatabaseError(error);
    if (mapped instanceof ApiError && mapped.code === 'unavailable') return { ok: false, reason: mapped.message.replace(/ Check the System page.*$/, '') };
    throw mapped;
  }
};

const online = { source: 'postgres' as const, offline: null };

/** The integration an export is filtered to, for the bundle header (null fields when it is gone). */
const integrationOf = async (client: pg.PoolClient, id: number): Promise<{ id: number; name: string | null; connector: string | null }> => {
  const found = await client.query<{ name: string; provider: string; settings: Record<string, unknown> }>('SELECT name, provider, settings FROM integrations WHERE id = $1', [id]);
  const row = found.rows[0];
  return { id, name: row?.name ?? null, connector: row ? connectorNameOf(row) : null };
};

export const rawHandlers = (deps: RawHandlerDeps): Pick<Handlers, RawMethods> => {
  const offline = createOffline({ tasks: deps.tasks, cachePath: deps.cachePath });
  /** Postgres or nothing: offline, the call is refused with what it needs. */
  const needsPostgres = async <T>(ctx: CallContext, feature: Parameters<typeof offlineRefusal>[1], fn: (client: pg.PoolClient, tenantId: number) => Promise<T>): Promise<T> => {
    const outcome = await tryPostgres(deps.pool, ctx, fn);
    if (!outcome.ok) throw offlineRefusal(outcome.reason, feature);
    return outcome.value;
  };

  /**
   * Units opened online go into the local cache (DESIGN.md: "raw batches this console has fetched or
   * opened"). One write at a time, and a unit already written with the same status is not written
   * again: compressing and indexing a 10 MB page costs a second of CPU, which must not be spent on
   * every look at it (it slowed the next opens several times over on two cores).
   */
  const written = new Map<number, string>();
  let writes: Promise<unknown> = Promise.resolve();
  let queued = 0;
  let opening = 0;
  let lastOpenedAt = 0;
  const settled = async (): Promise<void> => {
    const giveUpAt = Date.now() + MAX_WRITE_DEFER_MS;
    for (;;) {
      const wait = Math.max(lastOpenedAt + WRITE_SETTLE_MS - Date.now(), opening > 0 ? 100 : 0);
      if (wait <= 0 || Date.now() >= giveUpAt) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, giveUpAt - Date.now())).unref());
    }
  };
  const remember = (unit: Awaited<ReturnType<typeof readUnit>>): void => {
    const u = unit.listed.unit;
    if (written.get(u.id) === u.status || queued >= MAX_QUEUED_WRITES) return;
    written.set(u.id, u.status);
    if (written.size > MAX_REMEMBERED) written.delete(written.keys().next().value as number);
    queued += 1;
    writes = writes.then(settled).then(() => deps.tasks
      .run('raw.cache.put', {
        path: deps.cachePath,
        units: [{ rawId: u.id, tenantId: unit.tenantId, integrationId: u.integrationId, runId: u.runId, step: u.step, stream: u.stream, requestUrl: u.requestUrl || 'unknown:', requestParams: unit.requestParams, parentKey: u.parentKey, status: u.status, recordCount: u.recordCount, payload: unit.payload, fetchedAt: u.createdAt }],
      })
      .catch((error: unknown) => {
        written.delete(u.id);
        deps.logger?.warn({ err: error, rawId: u.id }, 'could not cache an opened raw unit');
      })
      .finally(() => (queued -= 1)));
  };

  return {
    'raw.list': async (input, ctx) => {
      const { cursor, limit, withTotal, ...filter } = input;
      const outcome = await tryPostgres(deps.pool, ctx, async (client, tenantId) => {
        const total = withTotal && filter.text === undefined ? await countUnits(client, tenantId, filter, TOTAL_CAP) : null;
        const totals = { total: total === null ? null : Math.min(total, TOTAL_CAP), totalCapped: total !== null && total > TOTAL_CAP };
        if (filter.text !== undefined) {
          const page = await searchPage(client, tenantId, { ...filter, text: filter.text }, cursor, limit, SEARCH_BUDGET_MS);
          return { units: page.items.map((i) => i.unit), nextCursor: page.nextCursor, ...totals, scanned: page.scanned, ...online };
        }
        const page = await listPage(client, tenantId, filter, cursor, limit);
        return { units: page.items.map((i) => i.unit), nextCursor: page.more ? page.items.at(-1)!.cursor : null, ...totals, scanned: null, ...online };
      });
      return outcome.ok ? outcome.value : offline.list(tenantOf(ctx), outcome.reason, input);
    },

    'raw.facets': async ({ integrationId }, ctx) => {
      const outcome = await tryPostgres(deps.pool, ctx, async (client) => {
        const found = await client.query<{ id: string; name: string; provider: string; settings: Record<string, unknown> }>('SELECT id, name, provider, settings FROM integrations ORDER BY lower(name), id');
        const integrations = found.rows.map((r) => ({ id: Number(r.id), name: r.name, connector: connectorNameOf(r), plan: planFor(r) }));
        const runs = await client.query<{ id: string; integration_id: string; kind: string; state: string; created_at: Date; failed: string }>(
          `SELECT r.id, r.integration_id, r.kind, r.state, r.created_at,
                  (SELECT count(*) FROM raw_extraction_data d WHERE d.run_id = r.id AND d.tenant_id = r.tenant_id AND d.status = 'failed') AS failed
             FROM runs r WHERE ($1::bigint IS NULL OR r.integration_id = $1) ORDER BY r.created_at DESC, r.id DESC LIMIT 100`,
          [integrationId ?? null],
        );
        const chosen = integrations.filter((i) => integrationId === undefined || i.id === integrationId);
        return {
          integrations: integrations.map(({ id, name, connector }) => ({ id, name, connector })),
          runs: runs.rows.map((r) => ({ id: Number(r.id), integrationId: Number(r.integration_id), kind: r.kind, state: r.state, createdAt: r.created_at.toISOString(), failed: Number(r.failed) })),
          streams: chosen.flatMap((i) => (i.plan ? planStreams(i.plan).map((s) => ({ integrationId: i.id, step: s.step, stream: s.name })) : [])),
          tables: await lineageTables(client, chosen.length === 1 ? (chosen[0]!.plan?.provider ?? null) : null),
          ...online,
        };
      });
      return outcome.ok ? outcome.value : offline.facets(tenantOf(ctx), outcome.reason);
    },

    'raw.get': async ({ id }, ctx) => {
      opening += 1;
      const outcome = await tryPostgres(deps.pool, ctx, async (client) => {
        const unit = await readUnit(client, id);
        const context = await unitContext(client, id);
        return { unit, records: recordLocator(context.connector, unit.listed.unit.stream) };
      }).finally(() => {
        opening -= 1;
        lastOpenedAt = Date.now();
      });
      if (!outcome.ok) return offline.get(tenantOf(ctx), outcome.reason, id);
      const { unit, records } = outcome.value;
      if (deps.cacheOpened !== false) remember(unit);
      return { unit: unit.listed.unit, payload: unit.payload, payloadOf: unit.payloadOf, records, ...online };
    },

    'raw.lineage': ({ id, limit }, ctx) => needsPostgres(ctx, 'lineage', (client) => unitLineage(client, id, limit)),

    'raw.origin': ({ table, column, value }, ctx) => needsPostgres(ctx, 'lineage', (client) => rowOrigin(client, table, column, value)),

    'raw.versions': ({ id, key, limit }, ctx) => needsPostgres(ctx, 'versions', (client, tenantId) => findVersions(client, tenantId, id, key, limit)),

    'raw.diff': ({ beforeId, afterId, key }, ctx) => needsPostgres(ctx, 'versions', (client) => diffVersions(client, beforeId, afterId, key)),

    'raw.preview': async ({ id }, ctx) => {
      const outcome = await tryPostgres(deps.pool, ctx, async (client) => ({ unit: await readUnit(client, id), context: await unitContext(client, id) }));
      if (!outcome.ok) return offline.preview(tenantOf(ctx), outcome.reason, id);
      const { unit, context } = outcome.value;
      if (!context.connector) throw new ApiError('conflict', `Unit ${id} belongs to integration ${context.integrationId}, which no longer exists; there are no mappings to preview with.`);
      const base = { unitId: id, connector: context.connector, ...online };
      const mappingsFrom = deps.databaseUrl ? { databaseUrl: deps.databaseUrl, integrationId: context.integrationId } : null;
      try {
        const result = await deps.tasks.run(
          'transform.preview',
          { connector: context.connector, units: [{ stream: unit.listed.unit.stream, partition: unit.listed.unit.parentKey, payload: JSON.parse(unit.payload) as unknown }], mappingsFrom },
          { timeoutMs: 60_000 },
        );
        const only = result.units[0]!;
        return { ...base, mappingsUsed: result.mappingsUsed, tables: only.tables, error: only.error };
      } catch (error) {
        // The task ran and refused (e.g. the mappings cannot be read): that is the preview's answer.
        if (error instanceof ApiError && error.code === 'unavailable') return { ...base, mappingsUsed: false, tables: {}, error: error.message };
        throw error;
      }
    },

    'raw.reprocess': async ({ ids }, ctx) => {
      const tenantId = tenantOf(ctx);
      if (!deps.pool) throw offlineRefusal('Postgres is not configured (no DATABASE_URL).', 'reprocess');
      try {
        return await reprocessUnits(deps.pool, tenantId, ids, ctx.principal);
      } catch (error) {
        if (error instanceof ApiError) throw error;
        const mapped = asDatabaseError(error);
        throw mapped instanceof ApiError && mapped.code === 'unavailable' ? offlineRefusal(mapped.message, 'reprocess') : mapped;
      }
    },

    'raw.runUnits': ({ id }, ctx) => needsPostgres(ctx, 'reprocess', (client) => runUnits(client, id)),

    'raw.export': async (input, ctx) => {
      const { cursor, maxBytes, ...filter } = input;
      const outcome = await tryPostgres(deps.pool, ctx, async (client, tenantId) => {
        const chunk = await exportChunk(client, tenantId, filter, cursor, maxBytes);
        if (cursor !== undefined) return { ...chunk, filename: exportFilename(tenantId), ...online };
        // The first chunk opens the bundle with its header (shared/contract/bundles.ts).
        const integration = filter.integrationId === undefined ? null : await integrationOf(client, filter.integrationId);
        return { ...chunk, content: bundleHeaderLine({ tenantId, integration, filter, source: 'postgres' }) + chunk.content, filename: exportFilename(tenantId), ...online };
      });
      if (outcome.ok) return outcome.value;
      const chunk = await offline.exportChunk(tenantOf(ctx), outcome.reason, input);
      if (cursor !== undefined) return chunk;
      const integration = filter.integrationId === undefined ? null : { id: filter.integrationId, name: null, connector: null };
      return { ...chunk, content: bundleHeaderLine({ tenantId: tenantOf(ctx), integration, filter, source: 'cache' }) + chunk.content };
    },
  };
};
