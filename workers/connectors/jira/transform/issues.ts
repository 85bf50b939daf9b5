import type { z } from 'zod';

import { PermanentError } from '../../../queue/errors';
import { IssuesDocument, type Issue } from '../payloads';
import { isAdfDocument, adfToText } from './adf';
import { statusHistory, wholeHistory } from './changelog';
import { customFieldValues, firstValue, planFields, type FieldPlan } from './custom-fields';
import { flowMetrics } from './flow-metrics';
import { indexMappings, type MappingIndex } from './mapping-index';
import type { JiraMappings } from './mappings-schema';
import type { ChangelogRow, ReplacedSetRow, WorkItemRow, WorkItemSprintRow } from './rows';
import { sprintAssociations } from './sprint-associations';
import { toIso, toIsoOrNull } from './time';

/**
 * The `issues` stream: one search page (plus changelog pages for truncated histories) becomes work
 * items with their flow metrics, their status changelog and their sprint associations. Each issue's
 * changelog and sprint associations replace the previous set for that issue (`replaced_sets`),
 * because every unit carries the issue's whole history.
 *
 * Cost is linear in the page: the mappings are indexed once per unit, and nothing looks at other
 * issues (the prior system reloaded every work item and changelog of the tenant per issue).
 */

export type IssueRows = {
  work_items: WorkItemRow[];
  changelogs: ChangelogRow[];
  work_items_sprints: WorkItemSprintRow[];
  replaced_sets: ReplacedSetRow[];
};

/** Which issue of the page a validation error is about, so the message names it. */
const issueAt = (payload: unknown, path: readonly PropertyKey[]): string => {
  if (path[0] !== 'search' || path[1] !== 'issues' || typeof path[2] !== 'number') return '';
  const issues = (payload as { search?: { issues?: unknown[] } }).search?.issues;
  const raw = issues?.[path[2]] as { key?: unknown; id?: unknown } | undefined;
  const name = typeof raw?.key === 'string' ? raw.key : typeof raw?.id === 'string' ? `id ${raw.id}` : `#${path[2]}`;
  return ` (issue ${name})`;
};

export const describeIssues = (payload: unknown, error: z.ZodError): string =>
  error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || 'payload'}${issueAt(payload, i.path)}: ${i.message}`)
    .join('; ');

const description = (value: unknown): string | null => {
  if (typeof value === 'string') return value === '' ? null : value;
  return isAdfDocument(value) ? adfToText(value) : null;
};

const workItem = (issue: Issue, index: MappingIndex, plan: FieldPlan, flow: ReturnType<typeof flowMetrics>): WorkItemRow => {
  const f = issue.fields;
  const fields = f as Record<string, unknown>;
  const wit = index.wit(f.issuetype.name);
  const state = index.state(f.status.id, f.status.name, f.status.statusCategory?.key ?? null);
  const epicLink = firstValue(fields, plan.epicLink);
  const custom = customFieldValues(fields, plan);
  return {
    external_id: issue.id,
    key: issue.key,
    project_external_id: f.project.id,
    project_key: f.project.key,
    summary: f.summary ?? null,
    description: description(f.description),
    wit_external_id: f.issuetype.id,
    wit_name: f.issuetype.name,
    wit_to: wit?.witTo ?? null,
    // Unmapped types keep Jira's own level, so hierarchy queries still place them.
    hierarchy_level: wit?.hierarchyLevel ?? f.issuetype.hierarchyLevel ?? (f.issuetype.subtask ? -1 : null),
    wit_mapped: wit !== undefined,
    status_external_id: f.status.id,
    status_name: f.status.name,
    jira_status_category: f.status.statusCategory?.name ?? null,
    workflow_step: state.step,
    workflow_step_number: state.stepNumber,
    workflow_category: state.category,
    status_mapped: state.mapped,
    priority: f.priority?.name ?? null,
    assignee: f.assignee?.displayName ?? null,
    assignee_account_id: f.assignee?.accountId ?? null,
    reporter: f.reporter?.displayName ?? null,
    labels: f.labels ?? [],
    components: (f.components ?? []).map((c) => c.name),
    parent_external_id: f.parent?.id ?? null,
    parent_key: f.parent?.key ?? (typeof epicLink === 'string' && epicLink !== '' ? epicLink : null),
    resolution: f.resolution?.name ?? null,
    created: toIso(f.created),
    updated: toIso(f.updated),
    resolution_date: toIsoOrNull(f.resolutiondate),
    due_date: f.duedate ?? null,
    team: custom.team,
    story_points: custom.story_points,
    development: custom.development,
    ...custom.slots,
    ...flow,
  };
};

export const transformIssues = (payload: unknown, mappings: JiraMappings): IssueRows => {
  const parsed = IssuesDocument.safeParse(payload);
  if (!parsed.success) {
    throw new PermanentError(`The issues page does not match the Jira search contract: ${describeIssues(payload, parsed.error)}. Fix the data in Jira or the extract, then re-extract the page.`);
  }
  const { search, changelogs } = parsed.data;
  const index = indexMappings(mappings, search.issues.map((i) => i.fields.status));
  const plan = planFields(mappings.customFields, search.schema, search.names);
  const out: IssueRows = { work_items: [], changelogs: [], work_items_sprints: [], replaced_sets: [] };
  const seen = new Set<string>();
  for (const issue of search.issues) {
    if (seen.has(issue.id)) continue; // a page never repeats an issue; if one did, its first copy is the page's
    seen.add(issue.id);
    const histories = wholeHistory(issue, Object.hasOwn(changelogs, issue.id) ? changelogs[issue.id] : undefined);
    const status = statusHistory(issue, histories, index);
    out.work_items.push(workItem(issue, index, plan, flowMetrics(status.flow)));
    out.changelogs.push(...status.rows);
    out.work_items_sprints.push(...sprintAssociations(issue, histories, plan));
    out.replaced_sets.push({ table: 'changelogs', value: issue.id }, { table: 'work_items_sprints', value: issue.id });
  }
  return out;
};
