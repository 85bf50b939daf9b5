import type pg from 'pg';

/**
 * Loaded data for the Mappings tests, written as the Jira load would leave it (only the columns the
 * hub reads carry meaning; the rest are valid placeholders). Written with the admin connection, so
 * tests control exactly which types and statuses are loaded, mapped or not. raw_id 0 points at no
 * raw unit (ids start at 1), so a re-transform replays none of them.
 */
export interface LoadedItem {
  readonly key: string;
  readonly type: string;
  readonly typeMapped: boolean;
  readonly status: string;
  readonly statusMapped: boolean;
  /** Statuses of the history that no mapping matched (work_items.unmapped_statuses). */
  readonly unmappedHistory?: readonly string[];
  /** Status names the changelog moved through (changelogs.to_status_name). */
  readonly history?: readonly string[];
}

let seq = 0;

export const insertWorkItems = async (db: pg.ClientBase, tenantId: number, integrationId: number, items: readonly LoadedItem[]): Promise<void> => {
  for (const it of items) {
    seq += 1;
    const externalId = `${90_000 + seq}`;
    await db.query(
      `INSERT INTO work_items (tenant_id, integration_id, external_id, key, project_external_id, project_key, wit_external_id, wit_name, wit_mapped,
                               status_external_id, status_name, workflow_category, status_mapped, created, updated, development,
                               work_starts, completions, backlog_returns, rework_count, time_in_steps, current_step_since, discarded, unmapped_statuses, raw_id)
       VALUES ($1, $2, $3, $4, '10000', split_part($4, '-', 1), '10001', $5, $6, '3', $7, 'In Progress', $8, now(), now(), false,
               0, 0, 0, 0, '{}'::jsonb, now(), false, $9, 0)`,
      [tenantId, integrationId, externalId, it.key, it.type, it.typeMapped, it.status, it.statusMapped, it.unmappedHistory ?? []],
    );
    for (const [i, status] of (it.history ?? []).entries()) {
      await db.query(
        `INSERT INTO changelogs (tenant_id, integration_id, work_item_external_id, work_item_key, history_id, item_index, to_status_external_id, to_status_name,
                                 to_category, transition_start, transition_end, time_in_status_seconds, raw_id)
         VALUES ($1, $2, $3, $4, $5, 0, '1', $6, 'To Do', now(), now(), 0, 0)`,
        [tenantId, integrationId, externalId, it.key, String(100 + i), status],
      );
    }
  }
};

/** Every mapping table of an integration, for "a refused call changed nothing". */
export const mappingTables = async (db: pg.ClientBase, integrationId: number): Promise<Record<string, unknown[]>> => {
  const out: Record<string, unknown[]> = {};
  for (const t of ['wits_hierarchies', 'wits_mappings', 'workflows', 'statuses_mappings', 'custom_fields', 'custom_fields_mappings']) {
    out[t] = (await db.query(`SELECT * FROM ${t} WHERE integration_id = $1 ORDER BY id`, [integrationId])).rows;
  }
  return out;
};
