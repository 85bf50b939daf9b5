import type pg from 'pg';

import { ApiError } from '../../../shared/contract/errors';
import type { Handlers } from '../types';
import type { BundleStore, OpenBundle } from '../bundles/store';
import { BundleError } from '../bundles/parse';
import { openBundleFile } from '../bundles/open-file';
import { connectorOfStream } from '../raw/offline';
import { recordLocator } from '../raw/records';
import { asDatabaseError } from '../db/pool';
import { withTenant } from '../db/tenant-scope';
import type { TaskRunner } from '../tasks';
import type { CallContext } from '../types';

/**
 * Bundle mode of the raw inspector (shared/contract/bundles.ts): the units of an open `.sluice`
 * file, listed, searched and opened from memory, and the transform preview, which uses the
 * mappings of the unit's integration only when this database has that integration for the tenant
 * the console has selected and that is the bundle's tenant. No lineage, versions or reprocess: a
 * bundle is a copy, not stored units (BUNDLE_LIMITS).
 */

export interface BundleHandlerDeps {
  readonly store: BundleStore;
  readonly pool: pg.Pool | null;
  readonly tasks: TaskRunner;
  readonly databaseUrl: string | null;
  /** The desktop's native "open file" dialog (a path, or null when cancelled); absent headless. */
  readonly pickFile?: (() => Promise<string | null>) | null;
}

type BundleMethods = 'bundle.list' | 'bundle.units' | 'bundle.get' | 'bundle.preview' | 'bundle.pick' | 'bundle.close';

const unitOf = (bundle: OpenBundle, id: number) => {
  const unit = bundle.byId.get(id);
  if (!unit) throw new ApiError('not_found', `Unit ${id} is not in ${bundle.info.fileName}.`);
  return unit;
};

const connectorOf = (bundle: OpenBundle, step: string, stream: string): string | null => connectorOfStream(step, stream) ?? bundle.info.header.integration?.connector ?? null;

const WITHOUT_MAPPINGS = 'the preview runs without mappings, so every type and status shows as unmapped.';

/** Whose mappings the preview may use, or why none. */
const mappingsFor = async (deps: BundleHandlerDeps, bundle: OpenBundle, integrationId: number, connector: string, ctx: CallContext): Promise<{ integrationId: number } | { note: string }> => {
  const tenant = bundle.info.header.tenantId;
  if (!deps.pool || !deps.databaseUrl) return { note: `Postgres is not configured: ${WITHOUT_MAPPINGS}` };
  if (ctx.tenantId !== tenant) return { note: `The bundle is tenant ${tenant}'s${ctx.tenantId === null ? '' : ` and the console has tenant ${ctx.tenantId} selected`}: pick tenant ${tenant} to use its mappings; ${WITHOUT_MAPPINGS}` };
  try {
    const found = await withTenant(deps.pool, tenant, (client) => client.query<{ provider: string }>('SELECT provider FROM integrations WHERE id = $1', [integrationId]));
    if (found.rows.length === 0) return { note: `Integration ${integrationId} does not exist in this database for tenant ${tenant}: ${WITHOUT_MAPPINGS}` };
    return { integrationId };
  } catch (error) {
    const mapped = asDatabaseError(error);
    if (mapped instanceof ApiError && mapped.code === 'unavailable') return { note: `Postgres is unreachable, so the mappings are unavailable: ${WITHOUT_MAPPINGS}` };
    throw mapped;
  }
};

export const bundleHandlers = (deps: BundleHandlerDeps): Pick<Handlers, BundleMethods> => ({
  'bundle.list': async ({ claim }, ctx) => ({
    bundles: deps.store.visibleTo(ctx.principal).map((b) => b.info),
    reveal: deps.store.claimReveal(ctx.principal, claim),
  }),

  'bundle.units': async ({ bundleId, cursor, limit, ...filter }, ctx) => {
    const bundle = deps.store.find(bundleId, ctx.principal);
    const indexes = deps.store.select(bundle, filter);
    const from = cursor === undefined ? 0 : Number(cursor);
    const page = indexes.slice(from, from + limit);
    return { units: page.map((i) => bundle.units[i]!.summary), nextCursor: from + limit < indexes.length ? String(from + limit) : null, total: indexes.length };
  },

  'bundle.get': async ({ bundleId, id }, ctx) => {
    const bundle = deps.store.find(bundleId, ctx.principal);
    const unit = unitOf(bundle, id);
    const connector = connectorOf(bundle, unit.summary.step, unit.summary.stream);
    return { unit: unit.summary, payload: unit.payload, records: recordLocator(connector, unit.summary.stream), connector };
  },

  'bundle.preview': async ({ bundleId, id }, ctx) => {
    const bundle = deps.store.find(bundleId, ctx.principal);
    const unit = unitOf(bundle, id);
    const connector = connectorOf(bundle, unit.summary.step, unit.summary.stream);
    if (!connector) throw new ApiError('bad_request', `No connector here has a ${unit.summary.step}/${unit.summary.stream} stream, so unit ${id} cannot be transformed.`);
    const mappings = await mappingsFor(deps, bundle, unit.summary.integrationId, connector, ctx);
    const mappingsFrom = 'integrationId' in mappings && deps.databaseUrl ? { databaseUrl: deps.databaseUrl, integrationId: mappings.integrationId } : null;
    const base = { unitId: id, connector, mappingsNote: 'note' in mappings ? mappings.note : null };
    try {
      const result = await deps.tasks.run('transform.preview', { connector, units: [{ stream: unit.summary.stream, partition: unit.summary.parentKey, payload: JSON.parse(unit.payload) as unknown }], mappingsFrom }, { timeoutMs: 60_000 });
      const only = result.units[0]!;
      return { ...base, mappingsUsed: result.mappingsUsed, tables: only.tables, error: only.error };
    } catch (error) {
      if (error instanceof ApiError && error.code === 'unavailable') return { ...base, mappingsUsed: false, tables: {}, error: error.message };
      throw error;
    }
  },

  'bundle.pick': async (_input, ctx) => {
    if (ctx.transport !== 'ipc' || !deps.pickFile) throw new ApiError('bad_request', 'The file dialog is the desktop app’s: in the browser, upload the .sluice file with “Open bundle…”.');
    const path = await deps.pickFile();
    if (path === null) return { bundle: null };
    try {
      return { bundle: await openBundleFile(deps.store, path, { reveal: false }) };
    } catch (error) {
      if (error instanceof BundleError) throw new ApiError('bad_request', error.message);
      throw error;
    }
  },

  'bundle.close': async ({ bundleId }, ctx) => ({ closed: deps.store.close(bundleId, ctx.principal) }),
});
