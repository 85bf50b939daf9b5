import type pg from 'pg';

import type { MethodParsedInput } from '../../../shared/contract/api';
import { SLOT_COUNT, type CustomField, type CustomFieldsState, type FieldMapping } from '../../../shared/contract/mappings';
import type { TaskOutput } from '../../../shared/worker-protocol/tasks';
import type { MappingScope } from './scope';
import { suggestSpecialFields } from './suggest';

/**
 * Discovered fields (custom_fields) and which of them feed the special columns and the 20 slots of
 * work_items (custom_fields_mappings, one row per integration; field ids, not foreign keys, so a field
 * may be mapped before it is discovered). Discovery writes custom_fields with the same columns and
 * values as a run's fields step (the rows come from the connector's own transform), pointing at the
 * raw unit that holds Jira's answer.
 */

const slotColumn = (i: number): string => `custom_field_${String(i + 1).padStart(2, '0')}`;
const SLOT_COLUMNS = Array.from({ length: SLOT_COUNT }, (_, i) => slotColumn(i));
const SPECIAL_COLUMNS = { team: 'team_field', sprints: 'sprints_field', development: 'development_field', storyPoints: 'story_points_field' } as const;

const readMapping = async (client: pg.PoolClient, integrationId: number): Promise<FieldMapping> => {
  const res = await client.query<Record<string, string | null>>('SELECT * FROM custom_fields_mappings WHERE integration_id = $1', [integrationId]);
  const row = res.rows[0];
  return {
    team: row?.['team_field'] ?? null,
    sprints: row?.['sprints_field'] ?? null,
    development: row?.['development_field'] ?? null,
    storyPoints: row?.['story_points_field'] ?? null,
    slots: SLOT_COLUMNS.map((c) => row?.[c] ?? null),
  };
};

export const readFieldsState = async (client: pg.PoolClient, scope: MappingScope): Promise<CustomFieldsState> => {
  const res = await client.query<{ external_id: string; name: string; field_type: string | null; custom: boolean; schema_custom: string | null; items: string | null }>(
    `SELECT external_id, name, field_type, custom, schema->>'custom' AS schema_custom, schema->>'items' AS items
       FROM custom_fields WHERE integration_id = $1 AND active ORDER BY custom DESC, lower(name), external_id`,
    [scope.integrationId],
  );
  const fields: CustomField[] = res.rows.map((r) => ({ externalId: r.external_id, name: r.name, fieldType: r.field_type, custom: r.custom, schemaCustom: r.schema_custom, items: r.items }));
  // When Jira was last asked: the newest raw unit the rows point at (a re-transform keeps the original's id).
  const when = await client.query<{ at: Date | null }>(
    'SELECT max(d.created_at) AS at FROM raw_extraction_data d WHERE d.id IN (SELECT raw_id FROM custom_fields WHERE integration_id = $1)',
    [scope.integrationId],
  );
  const mapping = await readMapping(client, scope.integrationId);
  const known = new Set(fields.map((f) => f.externalId));
  const mapped = [mapping.team, mapping.sprints, mapping.development, mapping.storyPoints, ...mapping.slots].filter((id): id is string => id !== null);
  return {
    integrationId: scope.integrationId,
    fields,
    mapping,
    suggestions: suggestSpecialFields(fields),
    discoveredAt: when.rows[0]?.at?.toISOString() ?? null,
    unknownIds: [...new Set(mapped.filter((id) => !known.has(id)))],
  };
};

/** Replaces the whole mapping row (the form always sends every special field and slot). */
export const saveFieldMapping = async (client: pg.PoolClient, scope: MappingScope, input: MethodParsedInput<'mappings.customFields.save'>): Promise<void> => {
  const columns = [...Object.values(SPECIAL_COLUMNS), ...SLOT_COLUMNS];
  const values = [input.team, input.sprints, input.development, input.storyPoints, ...input.slots];
  const placeholders = columns.map((_, i) => `$${i + 3}`);
  await client.query(
    `INSERT INTO custom_fields_mappings (tenant_id, integration_id, ${columns.join(', ')}) VALUES ($1, $2, ${placeholders.join(', ')})
     ON CONFLICT (tenant_id, integration_id) DO UPDATE SET ${columns.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`,
    [scope.tenantId, scope.integrationId, ...values],
  );
};

export interface StoredDiscovery {
  readonly runId: number;
  readonly rawId: number;
  readonly added: number;
  readonly changed: number;
}

/**
 * Keeps Jira's answer like any API response: a finished run of kind `discovery` (migration 0012) with
 * one `fields` step and one loaded raw unit, then upserts the rows with that unit as their lineage and
 * version (a row is only replaced by one from the same or a newer unit, as the load does). A later
 * re-transform replays this unit through the fields transform like any other.
 */
export const storeDiscovery = async (client: pg.PoolClient, scope: MappingScope, found: TaskOutput<'jira.fields'>, startedBy: string): Promise<StoredDiscovery> => {
  const run = await client.query<{ id: string }>(
    `INSERT INTO runs (tenant_id, integration_id, kind, trigger, started_by, state, started_at, finished_at, connector)
     VALUES ($1, $2, 'discovery', 'manual', $3, 'succeeded', now(), now(), 'jira') RETURNING id`,
    [scope.tenantId, scope.integrationId, startedBy],
  );
  const runId = Number(run.rows[0]!.id);
  await client.query(`INSERT INTO run_steps (run_id, tenant_id, step, ordinal, extraction_done_at) VALUES ($1, $2, 'fields', 0, now())`, [runId, scope.tenantId]);
  const payload = JSON.stringify(found.payload);
  const raw = await client.query<{ id: string }>(
    `INSERT INTO raw_extraction_data (tenant_id, integration_id, run_id, step, stream, page_key, request_url, request_params, payload, payload_bytes, record_count, status)
     VALUES ($1, $2, $3, 'fields', 'fields', '|', $4, '{}'::jsonb, $5::jsonb, $6, $7, 'loaded') RETURNING id`,
    [scope.tenantId, scope.integrationId, runId, found.requestUrl, payload, Buffer.byteLength(payload), found.rows.length],
  );
  const rawId = Number(raw.rows[0]!.id);
  await client.query(`UPDATE run_steps s SET final_counters = to_jsonb(c) - 'step', updated_at = now() FROM sluice_run_counters($1) c WHERE s.run_id = $1 AND s.step = c.step`, [runId]);

  const rows = JSON.stringify(found.rows);
  const incoming = `SELECT * FROM jsonb_to_recordset($2::jsonb) AS r (external_id text, name text, field_type text, custom boolean, schema jsonb)`;
  const stats = await client.query<{ added: number; changed: number }>(
    `SELECT count(*) FILTER (WHERE c.id IS NULL)::int AS added,
            count(*) FILTER (WHERE c.id IS NOT NULL AND (c.name, c.field_type, c.custom, c.schema) IS DISTINCT FROM (i.name, i.field_type, i.custom, i.schema))::int AS changed
       FROM (${incoming}) i LEFT JOIN custom_fields c ON c.integration_id = $1 AND c.external_id = i.external_id`,
    [scope.integrationId, rows],
  );
  await client.query(
    `INSERT INTO custom_fields AS t (tenant_id, integration_id, external_id, name, field_type, custom, schema, raw_id)
     SELECT $3, $1, i.external_id, i.name, i.field_type, i.custom, i.schema, $4 FROM (${incoming}) i
     ON CONFLICT (tenant_id, integration_id, external_id) DO UPDATE
        SET name = EXCLUDED.name, field_type = EXCLUDED.field_type, custom = EXCLUDED.custom, schema = EXCLUDED.schema, raw_id = EXCLUDED.raw_id
      WHERE EXCLUDED.raw_id >= t.raw_id`,
    [scope.integrationId, rows, scope.tenantId, rawId],
  );
  return { runId, rawId, added: stats.rows[0]!.added, changed: stats.rows[0]!.changed };
};
