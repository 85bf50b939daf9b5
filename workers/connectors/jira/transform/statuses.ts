import { PermanentError } from '../../../queue/errors';
import { ProjectStatusesBody, StatusesBody, type StatusDetails } from '../payloads';
import type { MappingIndex } from './mapping-index';
import { parsePayload } from './parse';
import type { ProjectStatusRow, ReplacedSetRow, StatusRow } from './rows';

/**
 * `statuses` (the site's statuses) and `project_statuses` (which statuses each issue type of a
 * project uses; the unit's partition is the project key). Unmapped statuses are kept with
 * status_mapped = false and Jira's category as the fallback workflow category.
 */

const statusRow = (s: StatusDetails, index: MappingIndex): StatusRow => {
  const state = index.state(s.id, s.name, s.statusCategory?.key ?? s.statusCategory?.name ?? null);
  return {
    external_id: s.id,
    original_name: s.name,
    description: s.description ?? null,
    jira_category: s.statusCategory?.name ?? null,
    jira_category_key: s.statusCategory?.key ?? null,
    scope_project_external_id: s.scope?.project?.id ?? null,
    workflow_step: state.step,
    workflow_step_number: state.stepNumber,
    workflow_category: state.category,
    status_mapped: state.mapped,
  };
};

export const transformStatuses = (payload: unknown, index: MappingIndex): { statuses: StatusRow[] } => {
  const list = parsePayload(StatusesBody, payload, 'status list');
  const byId = new Map(list.map((s) => [s.id, statusRow(s, index)]));
  return { statuses: [...byId.values()] };
};

export const transformProjectStatuses = (payload: unknown, projectKey: string | null): { projects_statuses: ProjectStatusRow[]; replaced_sets: ReplacedSetRow[] } => {
  if (projectKey === null || projectKey === '') {
    throw new PermanentError('A project_statuses unit has no partition; it must be the project key the statuses were fetched for. Re-extract the step.');
  }
  const types = parsePayload(ProjectStatusesBody, payload, `statuses of project ${projectKey}`);
  const rows = new Map<string, ProjectStatusRow>();
  for (const t of types) {
    for (const s of t.statuses) rows.set(`${t.id}\u0000${s.id}`, { project_key: projectKey, wit_external_id: t.id, status_external_id: s.id });
  }
  return { projects_statuses: [...rows.values()], replaced_sets: [{ table: 'projects_statuses', value: projectKey }] };
};
