import type pg from 'pg';

import type { DeletionCounts } from '../../../shared/contract/integrations';
import { TENANT_ROLE } from '../db/tenant-scope';

/**
 * Every table whose foreign key points at integrations(id): what a delete cascades into. Read from
 * the catalog, so tables added by later migrations (jobs, the unified model) are counted without
 * touching this code. Identifiers come from the catalog, quoted by Postgres itself.
 */
const REFERENCING = `
  SELECT DISTINCT c.conrelid::regclass::text AS tbl, quote_ident(a.attname) AS col
    FROM pg_constraint c
   CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(local_att, ref_att)
    JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = k.ref_att AND ra.attname = 'id'
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.local_att
   WHERE c.contype = 'f' AND c.confrelid = 'integrations'::regclass
   ORDER BY 1`;

/**
 * Rows per referencing table for one integration, inside the caller's tenant transaction. Counted
 * with the engine's role (a later table may not grant SELECT to the tenant role); the integration id
 * was already checked to be this tenant's, and ids are unique across tenants.
 */
export const countDependents = async (client: pg.PoolClient, integrationId: number): Promise<DeletionCounts> => {
  await client.query('RESET ROLE');
  try {
    const refs = await client.query<{ tbl: string; col: string }>(REFERENCING);
    const tables: DeletionCounts['tables'] = [];
    for (const { tbl, col } of refs.rows) {
      const res = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${tbl} WHERE ${col} = $1`, [integrationId]);
      tables.push({ table: tbl, rows: Number(res.rows[0]?.n ?? 0) });
    }
    const rowsOf = (name: string) => tables.find((t) => t.table === name)?.rows ?? 0;
    const runs = rowsOf('runs');
    const rawUnits = rowsOf('raw_extraction_data');
    const otherRows = tables.reduce((sum, t) => sum + t.rows, 0) - runs - rawUnits;
    return { runs, rawUnits, otherRows, tables };
  } finally {
    await client.query(`SET LOCAL ROLE ${TENANT_ROLE}`);
  }
};
