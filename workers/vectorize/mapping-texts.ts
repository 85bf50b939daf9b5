import { z } from 'zod';

/**
 * What gets embedded for the Jira mapping tables (migration 0008): one sentence per row that says what
 * the row means in the words someone asking the platform's AI would use ("which Jira types count as
 * epics?", "what status means work is waiting for QA?", "where is the commitment point?"), plus its
 * state. A mapping's text names what it points at (a type mapping's hierarchy level, a status
 * mapping's workflow step), so editing that level or step changes the mapping's text too, and its
 * version (below) moves with either row.
 *
 * Mapping rows are configuration, not loaded data: they have no raw unit. Their `rawId` (what the
 * bridge's version rule compares, bridge.ts) is the row's version instead: the latest `updated_at`
 * of the row and the row it names, in microseconds (the touch trigger moves it on every update), so a
 * late job that read an older version cannot overwrite the vector of a newer one.
 */

/** The version of a mapping row: microseconds since the epoch of the latest of these `updated_at` columns. */
const version = (...columns: string[]): string => `(extract(epoch FROM greatest(${columns.join(', ')})) * 1000000)::bigint AS raw_id`;

/** What each workflow category means, in the words people use for it (DESIGN.md section 6). */
export const CATEGORY_MEANING: Readonly<Record<string, string>> = {
  'To Do': 'not started yet (backlog, planned, ready)',
  'In Progress': 'being worked on (development, review, testing)',
  Waiting: 'waiting between active steps (queued for the next step, a hand-off)',
  Done: 'finished (completed, released)',
  Discarded: 'abandoned (cancelled, rejected, duplicate, won’t do)',
};

const meaning = (category: string): string => CATEGORY_MEANING[category] ?? category;
const state = (active: boolean, inactive: string): string => `State: ${active ? 'active' : `inactive (${inactive})`}`;

export const HierarchyRow = z.object({
  id: z.coerce.number(),
  integration_id: z.coerce.number(),
  raw_id: z.coerce.number(),
  level_number: z.number().int(),
  level_name: z.string(),
  description: z.string().nullable(),
  active: z.boolean(),
});
export type HierarchyRow = z.infer<typeof HierarchyRow>;

export const WitMappingRow = z.object({
  id: z.coerce.number(),
  integration_id: z.coerce.number(),
  raw_id: z.coerce.number(),
  wit_from: z.string(),
  wit_to: z.string(),
  active: z.boolean(),
  level_number: z.number().int(),
  level_name: z.string(),
  level_active: z.boolean(),
});
export type WitMappingRow = z.infer<typeof WitMappingRow>;

export const WorkflowRow = z.object({
  id: z.coerce.number(),
  integration_id: z.coerce.number(),
  raw_id: z.coerce.number(),
  step_name: z.string(),
  step_number: z.number().int().nullable(),
  step_category: z.string(),
  is_commitment_point: z.boolean(),
  active: z.boolean(),
});
export type WorkflowRow = z.infer<typeof WorkflowRow>;

export const StatusMappingRow = z.object({
  id: z.coerce.number(),
  integration_id: z.coerce.number(),
  raw_id: z.coerce.number(),
  status_from: z.string(),
  status_category: z.string(),
  active: z.boolean(),
  step_name: z.string(),
  step_number: z.number().int().nullable(),
  step_active: z.boolean(),
});
export type StatusMappingRow = z.infer<typeof StatusMappingRow>;

/** Jira's convention for levels (migration 0008): what a level number says about the items on it. */
const levelRole = (n: number): string =>
  n > 1 ? 'above epics (portfolio level: groups epics)' : n === 1 ? 'epics (large bodies of work split into stories)' : n === 0 ? 'standard work items (stories, tasks, bugs)' : 'sub-tasks (parts of a standard work item)';

export const hierarchyText = (r: HierarchyRow): string =>
  [
    `Work item hierarchy level ${r.level_number} "${r.level_name}": Jira issue types mapped to this level are ${levelRole(r.level_number)}.`,
    ...(r.description?.trim() ? [`Description: ${r.description.trim()}`] : []),
    state(r.active, 'the transform ignores it: its issue types are loaded as unmapped'),
  ].join('\n');

export const witMappingText = (r: WitMappingRow): string =>
  [
    `Jira issue type "${r.wit_from}" maps to the unified work item type "${r.wit_to}" at hierarchy level ${r.level_number} (${r.level_name}).`,
    state(r.active, 'issues of this type are loaded as unmapped'),
    ...(r.level_active ? [] : [`Its hierarchy level "${r.level_name}" is inactive, so the transform ignores this mapping.`]),
  ].join('\n');

export const workflowText = (r: WorkflowRow): string =>
  [
    `Workflow step "${r.step_name}" ${r.step_number === null ? '(outside the flow, no step number)' : `(step ${r.step_number} of the flow)`}, category ${r.step_category}: work here is ${meaning(r.step_category)}.`,
    ...(r.is_commitment_point ? ['This step is the commitment point: work counts as committed (lead and cycle time start) when it reaches this step or a later one.'] : []),
    state(r.active, 'the transform ignores it: its statuses fall back to the Jira status category'),
  ].join('\n');

export const statusMappingText = (r: StatusMappingRow): string =>
  [
    `Jira status "${r.status_from}" maps to the workflow step "${r.step_name}"${r.step_number === null ? '' : ` (step ${r.step_number})`}, category ${r.status_category}: an issue in this status is ${meaning(r.status_category)}.`,
    state(r.active, 'issues in this status fall back to the Jira status category'),
    ...(r.step_active ? [] : [`Its workflow step "${r.step_name}" is inactive, so the transform ignores this mapping.`]),
  ].join('\n');

/** The SELECT list and FROM clause of each mapping kind (the entity table is aliased `e`). */
export const MAPPING_SQL = {
  wits_hierarchies: {
    select: ['e.id', 'e.integration_id', version('e.updated_at'), 'e.level_number', 'e.level_name', 'e.description', 'e.active'],
    from: 'wits_hierarchies e',
  },
  wits_mappings: {
    select: ['e.id', 'e.integration_id', version('e.updated_at', 'h.updated_at'), 'e.wit_from', 'e.wit_to', 'e.active', 'h.level_number', 'h.level_name', 'h.active AS level_active'],
    from: 'wits_mappings e JOIN wits_hierarchies h ON h.id = e.wits_hierarchy_id',
  },
  workflows: {
    select: ['e.id', 'e.integration_id', version('e.updated_at'), 'e.step_name', 'e.step_number', 'e.step_category', 'e.is_commitment_point', 'e.active'],
    from: 'workflows e',
  },
  statuses_mappings: {
    select: ['e.id', 'e.integration_id', version('e.updated_at', 'w.updated_at'), 'e.status_from', 'e.status_category', 'e.active', 'w.step_name', 'w.step_number', 'w.active AS step_active'],
    from: 'statuses_mappings e JOIN workflows w ON w.id = e.workflow_id',
  },
} as const;
