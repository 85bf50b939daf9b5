import type pg from 'pg';
import { z } from 'zod';

import type { Lineage, TransformOutput } from '../../pipeline/connector';
import { bulkUpsert, type BulkUpsertResult, type Row } from '../../load/bulk-upsert';
import { PermanentError } from '../../queue/errors';
import { JIRA_ROWS, SET_TABLES, type JiraRows, type JiraTable, type SetTable } from './transform/rows';

/**
 * Loads the Jira transform's output inside the load handler's transaction (never BEGIN/COMMIT here;
 * the tenant scope is already set). Order-independent and idempotent:
 *
 * 1. Every row is upserted on its natural key with `raw_id` as the version (bulkUpsert
 *    versionColumn): a row is only replaced by one from the same or a newer raw unit, so units may
 *    load in any order, a redelivery rewrites nothing, and a re-transform at the same raw id (changed
 *    mappings) re-applies.
 * 2. Replaceable sets (an issue's changelog and sprint associations, its dev-status links, a
 *    project's issue types and statuses; `replaced_sets` in the output) are whole each time. Their
 *    version lives in unified_set_versions, locked for the transaction: a unit older than the stored
 *    version is stale and writes nothing of that set; otherwise the set's rows the output does not
 *    contain are deleted (only rows from the same or older units).
 * 3. work_items_sprints' outcome columns come from the sprint's report, which another unit loads.
 *    Both units take a transaction-scoped advisory lock per sprint before writing anything, then
 *    recompute the outcome of the rows they touched from what is committed: whichever commits second
 *    waits for the first and sees its rows, so the outcome is right in either order, even concurrently.
 *    (Locks are taken first and in sorted order, so two units cannot deadlock on them.)
 */

type TableSpec = { readonly key: readonly string[] };

const SPECS: Record<Exclude<JiraTable, 'replaced_sets'>, TableSpec & { readonly target: string }> = {
  projects: { target: 'projects', key: ['external_id'] },
  wits: { target: 'wits', key: ['external_id'] },
  projects_wits: { target: 'projects_wits', key: ['project_external_id', 'wit_external_id'] },
  statuses: { target: 'statuses', key: ['external_id'] },
  projects_statuses: { target: 'projects_statuses', key: ['project_key', 'wit_external_id', 'status_external_id'] },
  custom_fields: { target: 'custom_fields', key: ['external_id'] },
  work_items: { target: 'work_items', key: ['external_id'] },
  changelogs: { target: 'changelogs', key: ['work_item_external_id', 'history_id', 'item_index'] },
  sprints: { target: 'sprints', key: ['external_id'] },
  work_items_sprints: { target: 'work_items_sprints', key: ['work_item_external_id', 'sprint_external_id'] },
  work_items_prs_links: { target: 'work_items_prs_links', key: ['source', 'work_item_key', 'repo_full_name', 'pr_number'] },
};

/** Extra condition of a set's rows beyond its scope column: the GitHub side's links are never this connector's to delete. */
const SET_FILTER: Partial<Record<SetTable, string>> = { work_items_prs_links: "source = 'jira_dev_status'" };

export interface LoadSummary {
  readonly upserted: Partial<Record<JiraTable, BulkUpsertResult>>;
  readonly deleted: Partial<Record<SetTable, number>>;
  /** Sets this unit did not write because a newer unit had already replaced them. */
  readonly staleSets: number;
}

const SEP = '\u001f';

/** Validates the stored output: anything unexpected means the output was not made by this transform. */
const parseOutput = (output: TransformOutput): Partial<JiraRows> => {
  const parsed: Partial<Record<JiraTable, unknown[]>> = {};
  for (const [table, rows] of Object.entries(output.tables)) {
    if (!(table in JIRA_ROWS)) throw new PermanentError(`The Jira load got rows for an unknown table "${table}"; re-transform the unit with the current connector.`);
    const schema = JIRA_ROWS[table as JiraTable];
    const result = z.array(schema as z.ZodType).safeParse(rows);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new PermanentError(`The stored ${table} rows are malformed (${issue?.path.join('.')}: ${issue?.message}); re-transform the unit with the current connector.`);
    }
    parsed[table as JiraTable] = result.data;
  }
  return parsed as Partial<JiraRows>;
};

const lockSprints = async (client: pg.ClientBase, lineage: Lineage, sprintIds: readonly string[]): Promise<void> => {
  if (sprintIds.length === 0) return;
  await client.query(
    `SELECT pg_advisory_xact_lock(hashtextextended('sluice:jira-sprint:' || $1 || ':' || $2 || ':' || k, 0))
       FROM (SELECT DISTINCT unnest($3::text[]) AS k ORDER BY 1) ordered`,
    [lineage.tenantId, lineage.integrationId, sprintIds],
  );
};

/** Claims each replaced set for this unit; returns the sets a newer unit already owns (stale here). */
const claimSets = async (client: pg.ClientBase, lineage: Lineage, sets: readonly { table: SetTable; value: string }[]): Promise<Set<string>> => {
  const unique = [...new Map(sets.map((s) => [`${s.table}${SEP}${s.value}`, s])).values()].sort((a, b) => (a.table + SEP + a.value < b.table + SEP + b.value ? -1 : 1));
  if (unique.length === 0) return new Set();
  const params = [lineage.tenantId, lineage.integrationId, lineage.rawId, unique.map((s) => s.table), unique.map((s) => s.value)];
  // ON CONFLICT DO UPDATE locks every conflicting row even where its WHERE is false, so each set is
  // held until commit (a concurrent unit of the same set waits, then sees this one's version), yet a
  // reload at the same raw id rewrites nothing. Sorted, so two units never lock sets in opposite orders.
  await client.query(
    `INSERT INTO unified_set_versions AS v (tenant_id, integration_id, set_table, set_key, raw_id)
     SELECT $1, $2, s.t, s.k, $3 FROM unnest($4::text[], $5::text[]) WITH ORDINALITY AS s (t, k, n) ORDER BY s.n
     ON CONFLICT (tenant_id, integration_id, set_table, set_key)
       DO UPDATE SET raw_id = EXCLUDED.raw_id, updated_at = now() WHERE v.raw_id < EXCLUDED.raw_id`,
    params,
  );
  const { rows } = await client.query<{ set_table: string; set_key: string }>(
    `SELECT v.set_table, v.set_key FROM unified_set_versions v JOIN unnest($4::text[], $5::text[]) AS s (t, k) ON v.set_table = s.t AND v.set_key = s.k
      WHERE v.tenant_id = $1 AND v.integration_id = $2 AND v.raw_id > $3`,
    params,
  );
  return new Set(rows.map((r) => `${r.set_table}${SEP}${r.set_key}`));
};

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Deletes the rows of the claimed sets that the output no longer contains (and only rows of this or older units). */
const trimSets = async (client: pg.ClientBase, lineage: Lineage, table: SetTable, scopes: readonly string[], rows: readonly Row[]): Promise<number> => {
  if (scopes.length === 0) return 0;
  const scope = SET_TABLES[table];
  const rest = SPECS[table].key.filter((k) => k !== scope && !(table === 'work_items_prs_links' && k === 'source'));
  const keep = rows.map((r) => [r[scope], ...rest.map((k) => r[k])].map(String).join(SEP));
  const encoded = `concat_ws(chr(31), ${[scope, ...rest].map((c) => `t.${quote(c)}`).join(', ')})`;
  const filter = SET_FILTER[table] ? ` AND t.${SET_FILTER[table]}` : '';
  const result = await client.query(
    `DELETE FROM ${quote(SPECS[table].target)} t
      WHERE t.tenant_id = $1 AND t.integration_id = $2 AND t.${quote(scope)} = ANY($3::text[]) AND t.raw_id <= $4${filter}
        AND NOT (${encoded} = ANY($5::text[]))`,
    [lineage.tenantId, lineage.integrationId, scopes, lineage.rawId, keep],
  );
  return result.rowCount ?? 0;
};

/**
 * Recomputes the report-derived columns of work_items_sprints (see the migration's comments) for the
 * rows of these work items or sprints, from the committed sprint rows. Rewrites only rows that change.
 */
const fillSprintOutcomes = async (client: pg.ClientBase, lineage: Lineage, workItemIds: readonly string[], sprintIds: readonly string[]): Promise<void> => {
  if (workItemIds.length === 0 && sprintIds.length === 0) return;
  await client.query(
    `WITH target AS (
       SELECT w.id, s.report_issues -> w.work_item_external_id AS e, s.start_date, w.added_at, w.removed_at
         FROM work_items_sprints w
         LEFT JOIN sprints s ON s.tenant_id = w.tenant_id AND s.integration_id = w.integration_id AND s.external_id = w.sprint_external_id
        WHERE w.tenant_id = $1 AND w.integration_id = $2 AND (w.work_item_external_id = ANY($3::text[]) OR w.sprint_external_id = ANY($4::text[]))
     ), added AS (
       SELECT t.*, CASE WHEN t.e IS NOT NULL THEN coalesce((t.e ->> 'addedDuringSprint')::boolean, false)
                        WHEN t.start_date IS NOT NULL THEN t.added_at > t.start_date END AS added_during
         FROM target t
     ), computed AS (
       SELECT a.id,
              a.e ->> 'outcome' AS sprint_outcome,
              a.added_during AS added_during_sprint,
              CASE WHEN a.start_date IS NULL THEN NULL ELSE NOT a.added_during AND (a.removed_at IS NULL OR a.removed_at > a.start_date) END AS committed,
              (a.e ->> 'estimateAtStart')::double precision AS estimate_at_start,
              (a.e ->> 'estimateAtEnd')::double precision AS estimate_at_end
         FROM added a
     )
     UPDATE work_items_sprints w
        SET sprint_outcome = c.sprint_outcome, added_during_sprint = c.added_during_sprint, committed = c.committed,
            estimate_at_start = c.estimate_at_start, estimate_at_end = c.estimate_at_end
       FROM computed c
      WHERE w.id = c.id
        AND (w.sprint_outcome, w.added_during_sprint, w.committed, w.estimate_at_start, w.estimate_at_end)
            IS DISTINCT FROM (c.sprint_outcome, c.added_during_sprint, c.committed, c.estimate_at_start, c.estimate_at_end)`,
    [lineage.tenantId, lineage.integrationId, workItemIds, sprintIds],
  );
};

export const loadJira = async (client: pg.ClientBase, output: TransformOutput, lineage: Lineage): Promise<LoadSummary> => {
  const tables = parseOutput(output);
  const associations = tables.work_items_sprints ?? [];
  const sprints = tables.sprints ?? [];
  await lockSprints(client, lineage, [...associations.map((r) => r.sprint_external_id), ...sprints.map((r) => r.external_id)]);

  const sets = tables.replaced_sets ?? [];
  const stale = await claimSets(client, lineage, sets);
  const isStale = (table: SetTable, value: unknown): boolean => stale.has(`${table}${SEP}${String(value)}`);

  const upserted: Partial<Record<JiraTable, BulkUpsertResult>> = {};
  const kept: Partial<Record<JiraTable, Row[]>> = {};
  for (const [name, spec] of Object.entries(SPECS) as [keyof typeof SPECS, (typeof SPECS)[keyof typeof SPECS]][]) {
    let rows = (tables[name] ?? []) as Row[];
    if (name in SET_TABLES) {
      const scope = SET_TABLES[name as SetTable];
      rows = rows.filter((r) => !isStale(name as SetTable, r[scope]));
    }
    kept[name] = rows;
    if (rows.length === 0) continue;
    const full: Row[] = rows.map((r) => ({ ...r, tenant_id: lineage.tenantId, integration_id: lineage.integrationId, raw_id: lineage.rawId }));
    const columns = Object.keys(full[0]!);
    upserted[name] = await bulkUpsert<Row>(client, {
      table: spec.target,
      columns,
      key: ['tenant_id', 'integration_id', ...spec.key],
      rows: full,
      versionColumn: 'raw_id',
    });
  }

  const deleted: Partial<Record<SetTable, number>> = {};
  for (const table of Object.keys(SET_TABLES) as SetTable[]) {
    const scopes = sets.filter((s) => s.table === table && !isStale(table, s.value)).map((s) => s.value);
    const n = await trimSets(client, lineage, table, scopes, kept[table] ?? []);
    if (n > 0) deleted[table] = n;
  }

  const touchedItems = sets.filter((s) => s.table === 'work_items_sprints' && !isStale('work_items_sprints', s.value)).map((s) => s.value);
  await fillSprintOutcomes(client, lineage, touchedItems, sprints.map((s) => s.external_id));
  return { upserted, deleted, staleSets: stale.size };
};
