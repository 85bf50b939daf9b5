import type pg from 'pg';

import type { Hierarchy, MappingsSnapshot, StatusMapping, StepCategory, WitMapping, WorkflowStep } from '../../../shared/contract/mappings';
import type { MappingScope } from './scope';

/**
 * The integration's whole mapping configuration with what uses each row, read in the caller's
 * transaction (so a mutation's answer shows its own effect). Usage counts are real queries over the
 * loaded data, matched by name ignoring case exactly as the transform matches (transform/mapping-index.ts):
 * - a type mapping is used by the work items of its Jira type;
 * - a status mapping by the work items that are, or were (changelog), in its status;
 * - a level by the work items behind its type mappings, a step by those behind its status mappings.
 */

/** Work items per lower(type name). */
export const TYPE_USES = `SELECT lower(wit_name) AS k, count(*)::int AS n FROM work_items WHERE integration_id = $1 GROUP BY 1`;

/** Work items per lower(status name) they are in now or passed through (distinct per work item). */
export const STATUS_USES = `
  SELECT k, count(*)::int AS n FROM (
    SELECT lower(status_name) AS k, external_id AS w FROM work_items WHERE integration_id = $1
    UNION
    SELECT lower(to_status_name), work_item_external_id FROM changelogs WHERE integration_id = $1 AND to_status_name IS NOT NULL
  ) u GROUP BY k`;

const iso = (d: Date): string => d.toISOString();

interface Stamped {
  created_at: Date;
  updated_at: Date;
}

export const readHierarchies = async (client: pg.PoolClient, integrationId: number): Promise<Hierarchy[]> => {
  const res = await client.query<Stamped & { id: string; level_number: number; level_name: string; description: string | null; active: boolean; mappings: number; work_items: number }>(
    `WITH uses AS (${TYPE_USES}),
          m AS (SELECT m.wits_hierarchy_id AS h, count(*)::int AS mappings, coalesce(sum(u.n), 0)::int AS work_items
                  FROM wits_mappings m LEFT JOIN uses u ON u.k = lower(m.wit_from)
                 WHERE m.integration_id = $1 GROUP BY 1)
     SELECT h.id, h.level_number, h.level_name, h.description, h.active, h.created_at, h.updated_at,
            coalesce(m.mappings, 0) AS mappings, coalesce(m.work_items, 0) AS work_items
       FROM wits_hierarchies h LEFT JOIN m ON m.h = h.id
      WHERE h.integration_id = $1
      ORDER BY h.level_number DESC`,
    [integrationId],
  );
  return res.rows.map((r) => ({
    id: Number(r.id),
    levelNumber: r.level_number,
    levelName: r.level_name,
    description: r.description,
    active: r.active,
    mappings: r.mappings,
    workItems: r.work_items,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  }));
};

export const readWitMappings = async (client: pg.PoolClient, integrationId: number): Promise<WitMapping[]> => {
  const res = await client.query<Stamped & { id: string; wit_from: string; wit_to: string; wits_hierarchy_id: string; level_number: number; level_name: string; level_active: boolean; active: boolean; work_items: number }>(
    `WITH uses AS (${TYPE_USES})
     SELECT m.id, m.wit_from, m.wit_to, m.wits_hierarchy_id, h.level_number, h.level_name, h.active AS level_active, m.active, m.created_at, m.updated_at,
            coalesce(u.n, 0) AS work_items
       FROM wits_mappings m JOIN wits_hierarchies h ON h.id = m.wits_hierarchy_id
       LEFT JOIN uses u ON u.k = lower(m.wit_from)
      WHERE m.integration_id = $1
      ORDER BY lower(m.wit_from)`,
    [integrationId],
  );
  return res.rows.map((r) => ({
    id: Number(r.id),
    witFrom: r.wit_from,
    witTo: r.wit_to,
    hierarchyId: Number(r.wits_hierarchy_id),
    levelNumber: r.level_number,
    levelName: r.level_name,
    levelActive: r.level_active,
    active: r.active,
    workItems: r.work_items,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  }));
};

export const readWorkflow = async (client: pg.PoolClient, integrationId: number): Promise<WorkflowStep[]> => {
  const res = await client.query<Stamped & { id: string; step_name: string; step_number: number | null; step_category: StepCategory; is_commitment_point: boolean; active: boolean; status_mappings: number; work_items: number }>(
    `WITH uses AS (${STATUS_USES}),
          s AS (SELECT s.workflow_id AS w, count(*)::int AS status_mappings, coalesce(sum(u.n), 0)::int AS work_items
                  FROM statuses_mappings s LEFT JOIN uses u ON u.k = lower(s.status_from)
                 WHERE s.integration_id = $1 GROUP BY 1)
     SELECT w.id, w.step_name, w.step_number, w.step_category, w.is_commitment_point, w.active, w.created_at, w.updated_at,
            coalesce(s.status_mappings, 0) AS status_mappings, coalesce(s.work_items, 0) AS work_items
       FROM workflows w LEFT JOIN s ON s.w = w.id
      WHERE w.integration_id = $1
      ORDER BY w.step_number NULLS LAST, lower(w.step_name)`,
    [integrationId],
  );
  return res.rows.map((r) => ({
    id: Number(r.id),
    stepName: r.step_name,
    stepNumber: r.step_number,
    stepCategory: r.step_category,
    isCommitmentPoint: r.is_commitment_point,
    active: r.active,
    statusMappings: r.status_mappings,
    workItems: r.work_items,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  }));
};

export const readStatusMappings = async (client: pg.PoolClient, integrationId: number): Promise<StatusMapping[]> => {
  const res = await client.query<Stamped & { id: string; status_from: string; workflow_id: string; step_name: string; step_number: number | null; step_active: boolean; status_category: StepCategory; active: boolean; work_items: number }>(
    `WITH uses AS (${STATUS_USES})
     SELECT s.id, s.status_from, s.workflow_id, w.step_name, w.step_number, w.active AS step_active, s.status_category, s.active, s.created_at, s.updated_at,
            coalesce(u.n, 0) AS work_items
       FROM statuses_mappings s JOIN workflows w ON w.id = s.workflow_id
       LEFT JOIN uses u ON u.k = lower(s.status_from)
      WHERE s.integration_id = $1
      ORDER BY lower(s.status_from)`,
    [integrationId],
  );
  return res.rows.map((r) => ({
    id: Number(r.id),
    statusFrom: r.status_from,
    workflowId: Number(r.workflow_id),
    stepName: r.step_name,
    stepNumber: r.step_number,
    stepActive: r.step_active,
    statusCategory: r.status_category,
    active: r.active,
    workItems: r.work_items,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  }));
};

export const readSnapshot = async (client: pg.PoolClient, scope: MappingScope): Promise<MappingsSnapshot> => ({
  integrationId: scope.integrationId,
  integrationName: scope.integrationName,
  hierarchies: await readHierarchies(client, scope.integrationId),
  witMappings: await readWitMappings(client, scope.integrationId),
  workflow: await readWorkflow(client, scope.integrationId),
  statusMappings: await readStatusMappings(client, scope.integrationId),
});
