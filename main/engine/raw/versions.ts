import diff from 'microdiff';

import { connectorNameOf } from '../../../shared/connectors';
import { ApiError } from '../../../shared/contract/errors';
import type { DiffChange, RawUnitSummary, RecordLocator } from '../../../shared/contract/raw';
import { keyOf, recordLocator, recordPath } from './records';
import { SUMMARY_COLUMNS, toListed, type Queryable } from './units';

/**
 * Versions of one entity across runs (issue 9): the same natural key in several units of the same
 * integration and stream, e.g. issue 10001 in the issues pages of three runs. Found with SQL/JSON
 * paths inside Postgres, so only the matching records travel, never the whole payloads.
 */

export interface UnitContext {
  readonly integrationId: number;
  readonly stream: string;
  readonly parentKey: string | null;
  readonly connector: string | null;
}

export const unitContext = async (db: Queryable, id: number): Promise<UnitContext> => {
  const res = await db.query<{ integration_id: string; stream: string; parent_key: string | null; provider: string | null; settings: Record<string, unknown> | null }>(
    `SELECT d.integration_id, d.stream, d.parent_key, i.provider, i.settings
       FROM raw_extraction_data d LEFT JOIN integrations i ON i.id = d.integration_id WHERE d.id = $1`,
    [id],
  );
  const row = res.rows[0];
  if (!row) throw new ApiError('not_found', `Raw unit ${id} does not exist in this tenant; pick one from the list.`);
  return {
    integrationId: Number(row.integration_id),
    stream: row.stream,
    parentKey: row.parent_key,
    connector: row.provider === null ? null : connectorNameOf({ provider: row.provider, settings: row.settings ?? {} }),
  };
};

const locatorFor = (ctx: UnitContext): RecordLocator => {
  const locator = recordLocator(ctx.connector, ctx.stream);
  if (!locator) throw new ApiError('bad_request', `Stream ${ctx.stream} of the ${ctx.connector ?? 'unknown'} connector has no entity list, so it has no versions to compare; compare the payloads by eye instead.`);
  return locator;
};

/** The key to look for: given, or (single-record units) the unit's own record's key. */
const keyFor = async (db: Queryable, id: number, locator: RecordLocator, given: unknown): Promise<unknown> => {
  if (!locator.key) return null;
  if (given !== undefined && given !== null) return given;
  if (!locator.single) throw new ApiError('bad_request', `Say which ${locator.noun} to compare: pass its ${locator.key} as \`key\`.`, [{ path: 'key', message: 'required' }]);
  const res = await db.query<{ record: unknown }>(`SELECT jsonb_path_query_first(coalesce(src.payload, d.payload), $2::jsonpath) AS record FROM raw_extraction_data d LEFT JOIN raw_extraction_data src ON src.id = d.replay_of WHERE d.id = $1`, [id, `strict $${locator.path.map((p) => `."${p}"`).join('')}`]);
  const key = keyOf(locator, res.rows[0]?.record);
  if (key === undefined || key === null) throw new ApiError('bad_request', `Unit ${id} holds no ${locator.noun} with a ${locator.key}; there is nothing to compare.`);
  return key;
};

export interface Version {
  readonly unit: RawUnitSummary;
  readonly record: unknown;
}

/** Units (originals, newest first) holding the entity, each with its version of the record. */
export const findVersions = async (db: Queryable, tenantId: number, id: number, givenKey: unknown, limit: number): Promise<{ versions: Version[]; noun: string }> => {
  const ctx = await unitContext(db, id);
  const locator = locatorFor(ctx);
  const key = await keyFor(db, id, locator, givenKey);
  const path = recordPath(locator);
  const vars = JSON.stringify({ key });
  // A unit without a natural key is its own entity: its versions share stream and partition.
  const samePartition = locator.key === null ? 'AND d.parent_key IS NOT DISTINCT FROM $6' : '';
  const res = await db.query(
    `SELECT ${SUMMARY_COLUMNS}, jsonb_path_query_first(d.payload, $3::jsonpath, $4::jsonb) AS record
       FROM raw_extraction_data d
      WHERE d.tenant_id = $1 AND d.integration_id = $2 AND d.stream = $5 AND d.replay_of IS NULL
        AND jsonb_path_exists(d.payload, $3::jsonpath, $4::jsonb) ${samePartition}
      ORDER BY d.created_at DESC, d.id DESC LIMIT ${Number(limit)}`,
    [tenantId, ctx.integrationId, path, vars, ctx.stream, ...(locator.key === null ? [ctx.parentKey] : [])],
  );
  return { versions: res.rows.map((r: Record<string, unknown>) => ({ unit: toListed(r).unit, record: r['record'] })), noun: locator.noun };
};

const recordIn = async (db: Queryable, id: number, path: string, key: unknown): Promise<Version> => {
  const res = await db.query(
    `SELECT ${SUMMARY_COLUMNS}, jsonb_path_query_first(coalesce(src.payload, d.payload), $2::jsonpath, $3::jsonb) AS record
       FROM raw_extraction_data d LEFT JOIN raw_extraction_data src ON src.id = d.replay_of WHERE d.id = $1`,
    [id, path, JSON.stringify({ key })],
  );
  const row = res.rows[0] as Record<string, unknown> | undefined;
  if (!row) throw new ApiError('not_found', `Raw unit ${id} does not exist in this tenant; pick one from the list.`);
  return { unit: toListed(row).unit, record: row['record'] ?? null };
};

/** `$.fields.status["odd name"][3]` from microdiff's path. */
export const jsonPathOf = (path: readonly (string | number)[]): string =>
  `$${path.map((p) => (typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`)).join('')}`;

export const diffRecords = (before: unknown, after: unknown): DiffChange[] => {
  const isContainer = (v: unknown): v is Record<string, unknown> | unknown[] => v !== null && typeof v === 'object';
  if (!isContainer(before) || !isContainer(after)) {
    return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ kind: 'changed', path: '$', before, after }];
  }
  return diff(before, after).map((d) => {
    const path = jsonPathOf(d.path);
    if (d.type === 'CREATE') return { kind: 'added', path, after: d.value };
    if (d.type === 'REMOVE') return { kind: 'removed', path, before: d.oldValue };
    return { kind: 'changed', path, before: d.oldValue, after: d.value };
  });
};

/** One entity in two units, and what changed from `beforeId` to `afterId`. */
export const diffVersions = async (db: Queryable, beforeId: number, afterId: number, givenKey: unknown): Promise<{ before: Version; after: Version; changes: DiffChange[] }> => {
  const [a, b] = await Promise.all([unitContext(db, beforeId), unitContext(db, afterId)]);
  if (a.integrationId !== b.integrationId || a.stream !== b.stream) {
    throw new ApiError('bad_request', `Units ${beforeId} and ${afterId} are from different ${a.integrationId !== b.integrationId ? 'integrations' : 'streams'}; versions of one entity share integration and stream.`);
  }
  const locator = locatorFor(a);
  const key = await keyFor(db, beforeId, locator, givenKey);
  const path = recordPath(locator);
  const before = await recordIn(db, beforeId, path, key);
  const after = await recordIn(db, afterId, path, key);
  const missing = [before, after].filter((v) => v.record === null).map((v) => v.unit.id);
  if (missing.length > 0) throw new ApiError('not_found', `Unit ${missing.join(' and ')} holds no ${locator.noun} ${JSON.stringify(key)}; pick versions from the versions list.`);
  return { before, after, changes: diffRecords(before.record, after.record) };
};
