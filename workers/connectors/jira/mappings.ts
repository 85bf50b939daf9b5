import type { IntegrationInfo, Queryable } from '../../pipeline/connector';
import { JiraMappings } from './transform/mappings-schema';
import { SLOT_COUNT, slotColumn, type StepCategory } from './transform/rows';

/**
 * Reads the tenant's Jira mappings for one integration (migration 0008) as the plain JSON snapshot
 * the transform works with (transform/mappings-schema.ts). The pipeline reads it once per run and
 * stores it on the run, so a mapping edited mid-run applies from the next run on, to every unit alike;
 * a re-transform from raw applies the current mappings to history without calling Jira.
 *
 * Only active rows count: a deactivated hierarchy level hides its type mappings, a deactivated
 * workflow step hides its status mappings (their types and statuses become unmapped and flagged).
 * Rows are ordered, so the same configuration always gives the same snapshot.
 * The tenant and integration are filtered explicitly, so this is correct with or without RLS scope.
 */
export { JiraMappings };

export const loadJiraMappings = async (db: Queryable, integration: Pick<IntegrationInfo, 'id' | 'tenantId'>): Promise<JiraMappings> => {
  const params = [integration.tenantId, integration.id];
  const [wits, workflow, statuses, fields, jiraStatuses] = await Promise.all([
    db.query<{ wit_from: string; wit_to: string; level_number: number; level_name: string }>(
      `SELECT m.wit_from, m.wit_to, h.level_number, h.level_name
         FROM wits_mappings m JOIN wits_hierarchies h ON h.id = m.wits_hierarchy_id
        WHERE m.tenant_id = $1 AND m.integration_id = $2 AND m.active AND h.active
        ORDER BY lower(m.wit_from)`,
      params,
    ),
    db.query<{ step_name: string; step_number: number | null; step_category: StepCategory; is_commitment_point: boolean }>(
      `SELECT step_name, step_number, step_category, is_commitment_point
         FROM workflows WHERE tenant_id = $1 AND integration_id = $2 AND active
        ORDER BY step_number NULLS LAST, lower(step_name)`,
      params,
    ),
    db.query<{ status_from: string; step_name: string; step_number: number | null; status_category: StepCategory }>(
      `SELECT s.status_from, w.step_name, w.step_number, s.status_category
         FROM statuses_mappings s JOIN workflows w ON w.id = s.workflow_id
        WHERE s.tenant_id = $1 AND s.integration_id = $2 AND s.active AND w.active
        ORDER BY lower(s.status_from)`,
      params,
    ),
    db.query<Record<string, string | null>>('SELECT * FROM custom_fields_mappings WHERE tenant_id = $1 AND integration_id = $2', params),
    db.query<{ external_id: string; original_name: string; jira_category_key: string | null }>(
      'SELECT external_id, original_name, jira_category_key FROM statuses WHERE tenant_id = $1 AND integration_id = $2 ORDER BY external_id',
      params,
    ),
  ]);
  const f = fields.rows[0];
  return JiraMappings.parse({
    wits: wits.rows.map((r) => ({ witFrom: r.wit_from, witTo: r.wit_to, hierarchyLevel: r.level_number, hierarchyName: r.level_name })),
    workflow: workflow.rows.map((r) => ({ stepName: r.step_name, stepNumber: r.step_number, stepCategory: r.step_category, isCommitmentPoint: r.is_commitment_point })),
    statuses: statuses.rows.map((r) => ({ statusFrom: r.status_from, stepName: r.step_name, stepNumber: r.step_number, category: r.status_category })),
    customFields: {
      team: f?.team_field ?? null,
      sprints: f?.sprints_field ?? null,
      development: f?.development_field ?? null,
      storyPoints: f?.story_points_field ?? null,
      slots: Array.from({ length: SLOT_COUNT }, (_, i) => f?.[slotColumn(i)] ?? null),
    },
    jiraStatuses: jiraStatuses.rows.map((r) => ({ externalId: r.external_id, name: r.original_name, categoryKey: r.jira_category_key })),
  });
};
