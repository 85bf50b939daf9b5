import { connectorPlans, planFor } from '../../../shared/connectors';
import { ApiError } from '../../../shared/contract/errors';
import type { RawUnitSummary } from '../../../shared/contract/raw';
import { readSummaries, type Queryable } from './units';

/**
 * Lineage both ways (DESIGN.md section 3): every unified row has `raw_id`, the raw unit it came from
 * (for a re-transform copy, the original unit). Unit → rows reads each lineage table of the unit's
 * connector plan by raw_id (indexed: `<table>_raw_idx`); row → unit reads a row by any of its columns
 * and follows its raw_id. Table and column names are checked against the plans and the catalog
 * before they are quoted into SQL; values are always bound.
 */

const NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** Lineage tables of every known connector (or of one), that exist in this database, with their columns. */
export const lineageTables = async (db: Queryable, connector?: string | null): Promise<{ table: string; columns: string[] }[]> => {
  const plans = connector && Object.hasOwn(connectorPlans, connector) ? [connectorPlans[connector]!] : Object.values(connectorPlans);
  const names = [...new Set(plans.flatMap((p) => p.lineageTables))].filter((t) => NAME.test(t));
  if (names.length === 0) return [];
  const res = await db.query<{ table_name: string; columns: string[] }>(
    `SELECT c.table_name, array_agg(c.column_name::text ORDER BY c.ordinal_position) AS columns
       FROM information_schema.columns c
      WHERE c.table_schema = current_schema() AND c.table_name = ANY ($1::text[])
      GROUP BY c.table_name`,
    [names],
  );
  const found = new Map(res.rows.map((r) => [r.table_name, r.columns]));
  // Only tables with lineage (a table without raw_id cannot answer either question).
  return names.filter((t) => found.get(t)?.includes('raw_id')).map((t) => ({ table: t, columns: found.get(t)! }));
};

const integrationOf = async (db: Queryable, unitId: number): Promise<{ integrationId: number; sourceId: number; connector: { provider: string; settings: Record<string, unknown> } | null }> => {
  const res = await db.query<{ integration_id: string; source_id: string; provider: string | null; settings: Record<string, unknown> | null }>(
    `SELECT d.integration_id, coalesce(d.replay_of, d.id) AS source_id, i.provider, i.settings
       FROM raw_extraction_data d LEFT JOIN integrations i ON i.id = d.integration_id WHERE d.id = $1`,
    [unitId],
  );
  const row = res.rows[0];
  if (!row) throw new ApiError('not_found', `Raw unit ${unitId} does not exist in this tenant; pick one from the list.`);
  return { integrationId: Number(row.integration_id), sourceId: Number(row.source_id), connector: row.provider ? { provider: row.provider, settings: row.settings ?? {} } : null };
};

/** Unit → the unified rows whose raw_id points at it (a copy's rows point at its original). */
export const unitLineage = async (db: Queryable, unitId: number, limit: number): Promise<{ unitId: number; rawId: number; tables: { table: string; count: number; rows: Record<string, unknown>[] }[] }> => {
  const unit = await integrationOf(db, unitId);
  const plan = unit.connector ? planFor(unit.connector) : undefined;
  const tables = await lineageTables(db, plan?.provider ?? null);
  const out: { table: string; count: number; rows: Record<string, unknown>[] }[] = [];
  for (const { table, columns } of tables) {
    // Explicit scope too: row-level security covers the product tables, this covers any other.
    const scoped = `${columns.includes('integration_id') ? 'AND t.integration_id = $2' : ''} ${columns.includes('tenant_id') ? 'AND t.tenant_id = sluice_current_tenant()' : ''}`;
    const res = await db.query<{ count: string; rows: Record<string, unknown>[] | null }>(
      `SELECT (SELECT count(*) FROM "${table}" t WHERE t.raw_id = $1 ${scoped}) AS count,
              (SELECT jsonb_agg(r) FROM (SELECT to_jsonb(t) AS r FROM "${table}" t WHERE t.raw_id = $1 ${scoped} ORDER BY 1 LIMIT $3) x) AS rows`,
      [unit.sourceId, unit.integrationId, limit],
    );
    const count = Number(res.rows[0]?.count ?? 0);
    if (count > 0) out.push({ table, count, rows: res.rows[0]?.rows ?? [] });
  }
  return { unitId, rawId: unit.sourceId, tables: out };
};

const ORIGIN_LIMIT = 20;

/** Row → unit: rows of `table` whose `column` (compared as text) equals `value`, each with its raw unit. */
export const rowOrigin = async (db: Queryable, table: string, column: string, value: string): Promise<{ matches: { row: Record<string, unknown>; unit: RawUnitSummary | null }[]; truncated: boolean }> => {
  const known = (await lineageTables(db)).find((t) => t.table === table);
  if (!known) throw new ApiError('bad_request', `"${table}" is not a lineage table of any connector here; pick one of the listed tables.`, [{ path: 'table', message: 'unknown table' }]);
  if (!known.columns.includes(column)) {
    throw new ApiError('bad_request', `Table ${table} has no column "${column}"; its columns are ${known.columns.join(', ')}.`, [{ path: 'column', message: 'unknown column' }]);
  }
  const tenant = known.columns.includes('tenant_id') ? 'AND t.tenant_id = sluice_current_tenant()' : '';
  const res = await db.query<{ r: Record<string, unknown>; raw_id: string }>(`SELECT to_jsonb(t) AS r, t.raw_id FROM "${table}" t WHERE t."${column}"::text = $1 ${tenant} LIMIT ${ORIGIN_LIMIT + 1}`, [value]);
  const rows = res.rows.slice(0, ORIGIN_LIMIT);
  const units = await readSummaries(db, rows.map((r) => Number(r.raw_id)));
  return { matches: rows.map((r) => ({ row: r.r, unit: units.get(Number(r.raw_id)) ?? null })), truncated: res.rows.length > ORIGIN_LIMIT };
};
