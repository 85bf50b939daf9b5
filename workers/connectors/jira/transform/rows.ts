import { z } from 'zod';

/**
 * The rows the Jira transform emits, one schema per unified table (migration 0009, plus
 * custom_fields from 0008 and work_items_prs_links from 0006). Transform builds them, load validates
 * them again before writing (the output is stored as JSON between the two stages, so load trusts
 * nothing), and load's column lists come from these shapes.
 *
 * Rows carry no tenant_id, integration_id or raw_id: load adds them from the unit's lineage, so a row
 * can never claim another tenant or unit. Timestamps are ISO 8601 strings in UTC (JSON has no dates).
 * References between rows are natural keys (project key / id, issue id, sprint id), never surrogate
 * ids, so any unit may load before the one it points at.
 */

const text = z.string();
const id = z.string().min(1).max(255);
const ts = z.iso.datetime({ offset: false });
const int = z.number().int();

export const STEP_CATEGORIES = ['To Do', 'In Progress', 'Waiting', 'Done', 'Discarded'] as const;
export const StepCategory = z.enum(STEP_CATEGORIES);
export type StepCategory = z.infer<typeof StepCategory>;

export const ProjectRow = z.strictObject({
  external_id: id,
  key: id,
  name: text,
  project_type: text.nullable(),
  simplified: z.boolean().nullable(),
  style: text.nullable(),
});

export const WitRow = z.strictObject({
  external_id: id,
  original_name: text,
  description: text.nullable(),
  /** Jira's own hierarchyLevel (1 epic, 0 standard, -1 sub-task). */
  jira_hierarchy_level: int,
  subtask: z.boolean(),
  scope_project_external_id: id.nullable(),
  /** The unified type and level from wits_mappings; null (and wit_mapped false) when no mapping matched. */
  wit_to: text.nullable(),
  hierarchy_level: int.nullable(),
  hierarchy_name: text.nullable(),
  wit_mapped: z.boolean(),
});

export const ProjectWitRow = z.strictObject({ project_external_id: id, wit_external_id: id });

export const StatusRow = z.strictObject({
  external_id: id,
  original_name: text,
  description: text.nullable(),
  /** Jira's status category (To Do / In Progress / Done / No Category) and its key (new / indeterminate / done / undefined). */
  jira_category: text.nullable(),
  jira_category_key: text.nullable(),
  scope_project_external_id: id.nullable(),
  workflow_step: text.nullable(),
  workflow_step_number: int.nullable(),
  /** The mapped category, or the fallback from Jira's category when unmapped (status_mapped false). */
  workflow_category: StepCategory,
  status_mapped: z.boolean(),
});

export const ProjectStatusRow = z.strictObject({ project_key: id, wit_external_id: id, status_external_id: id });

export const CustomFieldRow = z.strictObject({
  external_id: id,
  name: text,
  field_type: text.nullable(),
  custom: z.boolean(),
  schema: z.record(z.string(), z.unknown()).nullable(),
});

export const SLOT_COUNT = 20;
export const slotColumn = (i: number): `custom_field_${string}` => `custom_field_${String(i + 1).padStart(2, '0')}`;
const slotShape = Object.fromEntries(Array.from({ length: SLOT_COUNT }, (_, i) => [slotColumn(i), text.nullable()])) as Record<`custom_field_${string}`, z.ZodNullable<z.ZodString>>;

export const WorkItemRow = z.strictObject({
  external_id: id,
  key: id,
  project_external_id: id,
  project_key: id,
  summary: text.nullable(),
  description: text.nullable(),
  wit_external_id: id,
  wit_name: text,
  wit_to: text.nullable(),
  hierarchy_level: int.nullable(),
  wit_mapped: z.boolean(),
  status_external_id: id,
  status_name: text,
  jira_status_category: text.nullable(),
  workflow_step: text.nullable(),
  workflow_step_number: int.nullable(),
  workflow_category: StepCategory,
  status_mapped: z.boolean(),
  priority: text.nullable(),
  assignee: text.nullable(),
  assignee_account_id: text.nullable(),
  reporter: text.nullable(),
  labels: z.array(text),
  components: z.array(text),
  parent_external_id: id.nullable(),
  parent_key: id.nullable(),
  resolution: text.nullable(),
  created: ts,
  updated: ts,
  resolution_date: ts.nullable(),
  due_date: text.nullable(),
  team: text.nullable(),
  story_points: z.number().nullable(),
  development: z.boolean(),
  ...slotShape,
  // Flow metrics (flow-metrics.ts defines each one).
  first_committed_at: ts.nullable(),
  first_started_at: ts.nullable(),
  last_started_at: ts.nullable(),
  first_completed_at: ts.nullable(),
  last_completed_at: ts.nullable(),
  work_starts: int,
  completions: int,
  backlog_returns: int,
  rework_count: int,
  cycle_time_seconds: int.nullable(),
  lead_time_seconds: int.nullable(),
  time_in_steps: z.record(z.string(), int),
  current_step_since: ts,
  discarded: z.boolean(),
  /** Names of the statuses in the issue's history that no status mapping matched (flagged, not dropped). */
  unmapped_statuses: z.array(text),
});

export const ChangelogRow = z.strictObject({
  work_item_external_id: id,
  work_item_key: id,
  history_id: id,
  item_index: int.min(0),
  from_status_external_id: id.nullable(),
  from_status_name: text.nullable(),
  to_status_external_id: id,
  to_status_name: text.nullable(),
  from_step: text.nullable(),
  to_step: text.nullable(),
  from_category: StepCategory.nullable(),
  to_category: StepCategory,
  /** When the issue entered the from-status (the previous transition, or the issue's creation). */
  transition_start: ts,
  transition_end: ts,
  time_in_status_seconds: int.min(0),
  changed_by: text.nullable(),
  changed_by_account_id: text.nullable(),
});

export const SprintRow = z.strictObject({
  external_id: id,
  name: text,
  state: text.nullable(),
  goal: text.nullable(),
  board_external_id: id.nullable(),
  created_date: ts.nullable(),
  start_date: ts.nullable(),
  end_date: ts.nullable(),
  complete_date: ts.nullable(),
  has_report: z.boolean(),
  completed_estimate: z.number().nullable(),
  not_completed_estimate: z.number().nullable(),
  punted_estimate: z.number().nullable(),
  total_estimate: z.number().nullable(),
  completion_percentage: z.number().nullable(),
  velocity: z.number().nullable(),
  completed_count: int.nullable(),
  not_completed_count: int.nullable(),
  punted_count: int.nullable(),
  completed_in_another_sprint_count: int.nullable(),
  scope_change_count: int.nullable(),
  carry_over_count: int.nullable(),
  /** Per issue id: what the sprint report says about it (see sprints.ts ReportIssue). */
  report_issues: z.record(z.string(), z.unknown()).nullable(),
});

export const WorkItemSprintRow = z.strictObject({
  work_item_external_id: id,
  work_item_key: id,
  sprint_external_id: id,
  sprint_name: text.nullable(),
  added_at: ts,
  removed_at: ts.nullable(),
  in_sprint: z.boolean(),
  carried_over_from_sprint_id: id.nullable(),
  carried_over_to_sprint_id: id.nullable(),
});

export const PrLinkRow = z.strictObject({
  source: z.literal('jira_dev_status'),
  work_item_key: z.string().regex(/^[A-Z][A-Z0-9_]*-[0-9]+$/),
  work_item_external_id: id.nullable(),
  repo_full_name: z.string().regex(/^[^A-Z]+\/[^A-Z]+$/),
  pr_number: int.positive(),
  external_repo_id: text.nullable(),
  pr_external_id: text.nullable(),
  branch_name: text.nullable(),
  commit_sha: text.nullable(),
  pr_status: text.nullable(),
  pr_url: text.nullable(),
});

/**
 * A set that a unit replaces as a whole: the rows of `table` whose `column` equals `value` are
 * exactly the ones in this output (an issue's changelog is its whole history every time). Load
 * deletes the others, unless a newer unit already replaced the set (see load.ts).
 */
export const SET_TABLES = {
  changelogs: 'work_item_external_id',
  work_items_sprints: 'work_item_external_id',
  projects_wits: 'project_external_id',
  projects_statuses: 'project_key',
  work_items_prs_links: 'work_item_key',
} as const;
export type SetTable = keyof typeof SET_TABLES;
export const ReplacedSetRow = z.strictObject({
  table: z.enum(Object.keys(SET_TABLES) as [SetTable, ...SetTable[]]),
  value: id,
});

/** The output tables and their row schemas. `replaced_sets` is not a table: it drives load's deletions. */
export const JIRA_ROWS = {
  projects: ProjectRow,
  wits: WitRow,
  projects_wits: ProjectWitRow,
  statuses: StatusRow,
  projects_statuses: ProjectStatusRow,
  custom_fields: CustomFieldRow,
  work_items: WorkItemRow,
  changelogs: ChangelogRow,
  sprints: SprintRow,
  work_items_sprints: WorkItemSprintRow,
  work_items_prs_links: PrLinkRow,
  replaced_sets: ReplacedSetRow,
} as const;
export type JiraTable = keyof typeof JIRA_ROWS;
export type JiraRows = { [T in JiraTable]: z.infer<(typeof JIRA_ROWS)[T]>[] };

export type ProjectRow = z.infer<typeof ProjectRow>;
export type WitRow = z.infer<typeof WitRow>;
export type ProjectWitRow = z.infer<typeof ProjectWitRow>;
export type StatusRow = z.infer<typeof StatusRow>;
export type ProjectStatusRow = z.infer<typeof ProjectStatusRow>;
export type CustomFieldRow = z.infer<typeof CustomFieldRow>;
export type WorkItemRow = z.infer<typeof WorkItemRow>;
export type ChangelogRow = z.infer<typeof ChangelogRow>;
export type SprintRow = z.infer<typeof SprintRow>;
export type WorkItemSprintRow = z.infer<typeof WorkItemSprintRow>;
export type PrLinkRow = z.infer<typeof PrLinkRow>;
export type ReplacedSetRow = z.infer<typeof ReplacedSetRow>;
