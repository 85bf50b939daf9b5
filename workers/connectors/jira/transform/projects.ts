import { ProjectsPage } from '../payloads';
import type { MappingIndex } from './mapping-index';
import { parsePayload } from './parse';
import type { ProjectRow, ProjectWitRow, ReplacedSetRow, WitRow } from './rows';

/**
 * The `projects` stream: a page of projects with their issue types. Each project's set of issue
 * types replaces the previous one (a type removed from a project's scheme leaves projects_wits).
 * A global issue type appears under every project that uses it; it becomes one wits row.
 * Unmapped types are kept with wit_mapped = false, never dropped.
 */
export type ProjectRows = {
  projects: ProjectRow[];
  wits: WitRow[];
  projects_wits: ProjectWitRow[];
  replaced_sets: ReplacedSetRow[];
};

export const transformProjects = (payload: unknown, index: MappingIndex): ProjectRows => {
  const page = parsePayload(ProjectsPage, payload, 'project search page');
  const out: ProjectRows = { projects: [], wits: [], projects_wits: [], replaced_sets: [] };
  const wits = new Map<string, WitRow>();
  for (const p of page.values) {
    out.projects.push({ external_id: p.id, key: p.key, name: p.name, project_type: p.projectTypeKey ?? null, simplified: p.simplified ?? null, style: p.style ?? null });
    out.replaced_sets.push({ table: 'projects_wits', value: p.id });
    for (const t of p.issueTypes ?? []) {
      const mapping = index.wit(t.name);
      wits.set(t.id, {
        external_id: t.id,
        original_name: t.name,
        description: t.description ?? null,
        jira_hierarchy_level: t.hierarchyLevel ?? (t.subtask ? -1 : 0),
        subtask: t.subtask ?? (t.hierarchyLevel ?? 0) < 0,
        scope_project_external_id: t.scope?.project?.id ?? null,
        wit_to: mapping?.witTo ?? null,
        hierarchy_level: mapping?.hierarchyLevel ?? null,
        hierarchy_name: mapping?.hierarchyName ?? null,
        wit_mapped: mapping !== undefined,
      });
      out.projects_wits.push({ project_external_id: p.id, wit_external_id: t.id });
    }
  }
  out.wits = [...wits.values()];
  return out;
};
