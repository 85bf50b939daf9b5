import type pg from 'pg';

import type { UnmappedValues } from '../../../shared/contract/mappings';
import type { MappingScope } from './scope';

/**
 * "Unmapped values seen in the data": what the last load flagged, not a guess. Types are the loaded
 * work items and Jira types with wit_mapped = false; statuses are the work items whose current status
 * was unmapped (status_mapped = false), those whose history passed through one (unmapped_statuses),
 * and Jira statuses loaded unmapped. Names are grouped ignoring case, as mappings match them.
 * `mappedNow` marks values an active mapping covers since that load: a re-transform applies it.
 */
export const readUnmapped = async (client: pg.PoolClient, scope: MappingScope): Promise<UnmappedValues> => {
  const params = [scope.integrationId];
  const total = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM work_items WHERE integration_id = $1', params);
  const types = await client.query<{ name: string; work_items: number; jira_level: number | null; mapped_now: boolean }>(
    `WITH seen AS (
       SELECT wit_name AS name, 1 AS n FROM work_items WHERE integration_id = $1 AND NOT wit_mapped
       UNION ALL
       SELECT original_name, 0 FROM wits WHERE integration_id = $1 AND NOT wit_mapped
     ),
     grouped AS (SELECT lower(name) AS k, min(name) AS name, sum(n)::int AS work_items FROM seen GROUP BY 1)
     SELECT g.name, g.work_items,
            (SELECT min(w.jira_hierarchy_level) FROM wits w WHERE w.integration_id = $1 AND lower(w.original_name) = g.k) AS jira_level,
            EXISTS (SELECT 1 FROM wits_mappings m JOIN wits_hierarchies h ON h.id = m.wits_hierarchy_id
                     WHERE m.integration_id = $1 AND m.active AND h.active AND lower(m.wit_from) = g.k) AS mapped_now
       FROM grouped g ORDER BY g.work_items DESC, g.k`,
    params,
  );
  const statuses = await client.query<{ name: string; current: number; in_history: number; category_key: string | null; mapped_now: boolean }>(
    `WITH seen AS (
       SELECT status_name AS name, 1 AS cur, 0 AS hist FROM work_items WHERE integration_id = $1 AND NOT status_mapped
       UNION ALL
       SELECT s, 0, 1 FROM work_items, unnest(unmapped_statuses) AS s WHERE integration_id = $1
       UNION ALL
       SELECT original_name, 0, 0 FROM statuses WHERE integration_id = $1 AND NOT status_mapped
     ),
     grouped AS (SELECT lower(name) AS k, min(name) AS name, sum(cur)::int AS current, sum(hist)::int AS in_history FROM seen GROUP BY 1)
     SELECT g.name, g.current, g.in_history,
            (SELECT min(s.jira_category_key) FROM statuses s WHERE s.integration_id = $1 AND lower(s.original_name) = g.k) AS category_key,
            EXISTS (SELECT 1 FROM statuses_mappings m JOIN workflows w ON w.id = m.workflow_id
                     WHERE m.integration_id = $1 AND m.active AND w.active AND lower(m.status_from) = g.k) AS mapped_now
       FROM grouped g ORDER BY g.current + g.in_history DESC, g.k`,
    params,
  );
  return {
    integrationId: scope.integrationId,
    workItems: total.rows[0]!.n,
    types: types.rows.map((t) => ({ name: t.name, workItems: t.work_items, jiraHierarchyLevel: t.jira_level, mappedNow: t.mapped_now })),
    statuses: statuses.rows.map((s) => ({ name: s.name, current: s.current, inHistory: s.in_history, jiraCategoryKey: s.category_key, mappedNow: s.mapped_now })),
  };
};
