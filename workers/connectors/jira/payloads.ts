import { z } from 'zod';

import { parseJiraTimestamp } from './transform/time';

/**
 * The raw payloads the Jira extract stores, per stream (what the transform reads). Lenient where the
 * API adds fields (objects keep unknown keys or ignore them), strict on what the transform depends
 * on: ids, names, timestamps, the changelog's shape. A payload that fails here can never be
 * transformed as it is, so the transform turns the failure into a PermanentError naming the path.
 */

/** A Jira timestamp (`2024-01-02T10:00:00.000+0100`, or ISO with `Z`), checked to be a real instant. */
export const JiraDateTime = z.string().refine((s) => parseJiraTimestamp(s) !== null, { message: 'not a Jira timestamp (expected e.g. 2024-01-02T10:00:00.000+0100)' });

const Id = z.union([z.string().min(1), z.number().int().transform(String)]);

export const StatusCategory = z.looseObject({ id: z.number().optional(), key: z.string().optional(), name: z.string().optional() });

const Scope = z.looseObject({ type: z.string().optional(), project: z.looseObject({ id: Id }).optional() }).nullish();

export const IssueTypeDetails = z.looseObject({
  id: Id,
  name: z.string(),
  description: z.string().nullish(),
  subtask: z.boolean().optional(),
  hierarchyLevel: z.number().int().optional(),
  scope: Scope,
});
export type IssueTypeDetails = z.infer<typeof IssueTypeDetails>;

export const Project = z.looseObject({
  id: Id,
  key: z.string().min(1),
  name: z.string(),
  projectTypeKey: z.string().nullish(),
  simplified: z.boolean().nullish(),
  style: z.string().nullish(),
  issueTypes: z.array(IssueTypeDetails).optional(),
});
export type Project = z.infer<typeof Project>;

/** `GET /rest/api/3/project/search?expand=issueTypes` (PageBeanProject). */
export const ProjectsPage = z.looseObject({ values: z.array(Project) });

export const StatusDetails = z.looseObject({
  id: Id,
  name: z.string(),
  description: z.string().nullish(),
  statusCategory: StatusCategory.nullish(),
  scope: Scope,
});
export type StatusDetails = z.infer<typeof StatusDetails>;

/** `GET /rest/api/3/status`. */
export const StatusesBody = z.array(StatusDetails);

/** `GET /rest/api/3/project/{key}/statuses` (IssueTypeWithStatus[]). */
export const ProjectStatusesBody = z.array(z.looseObject({ id: Id, name: z.string(), subtask: z.boolean().optional(), statuses: z.array(StatusDetails) }));

export const FieldSchema = z.looseObject({
  type: z.string(),
  items: z.string().optional(),
  system: z.string().optional(),
  custom: z.string().optional(),
  customId: z.number().optional(),
});
export type FieldSchema = z.infer<typeof FieldSchema>;

/** `GET /rest/api/3/field` (FieldDetails[]). */
export const FieldsBody = z.array(z.looseObject({ id: z.string().min(1), name: z.string(), custom: z.boolean().optional(), schema: FieldSchema.optional() }));

const User = z.looseObject({ accountId: z.string().optional(), displayName: z.string().optional() });

/**
 * `toString` is also the name of Object.prototype's method: an item without its own `toString` key
 * would read the inherited function, so anything that is not the item's own value counts as absent.
 */
const OwnString = z.preprocess((v) => (typeof v === 'function' ? undefined : v), z.string().nullish());

export const ChangeItem = z.looseObject({
  field: z.string(),
  fieldId: z.string().optional(),
  fieldtype: z.string().optional(),
  from: z.string().nullish(),
  fromString: z.string().nullish(),
  to: z.string().nullish(),
  toString: OwnString,
});
export type ChangeItem = z.infer<typeof ChangeItem>;

export const History = z.looseObject({
  id: Id,
  created: JiraDateTime,
  author: User.nullish(),
  items: z.array(ChangeItem),
});
export type History = z.infer<typeof History>;

/** The changelog embedded by `expand=changelog`: newest first, possibly truncated (`total` says). */
export const EmbeddedChangelog = z.looseObject({ total: z.number().int().min(0).optional(), histories: z.array(History) });

/** `GET /rest/api/3/issue/{id}/changelog` (PageBeanChangelog), oldest first. */
export const ChangelogPage = z.looseObject({ startAt: z.number().int().min(0).optional(), total: z.number().int().min(0).optional(), isLast: z.boolean().optional(), values: z.array(History) });
export type ChangelogPage = z.infer<typeof ChangelogPage>;

const NamedRef = z.looseObject({ name: z.string() });

export const IssueFields = z.looseObject({
  summary: z.string().nullish(),
  description: z.unknown().optional(),
  issuetype: z.looseObject({ id: Id, name: z.string(), hierarchyLevel: z.number().int().optional(), subtask: z.boolean().optional() }),
  project: z.looseObject({ id: Id, key: z.string().min(1) }),
  status: StatusDetails,
  created: JiraDateTime,
  updated: JiraDateTime,
  resolutiondate: JiraDateTime.nullish(),
  resolution: NamedRef.nullish(),
  priority: NamedRef.nullish(),
  assignee: User.nullish(),
  reporter: User.nullish(),
  labels: z.array(z.string()).nullish(),
  components: z.array(NamedRef).nullish(),
  parent: z.looseObject({ id: Id, key: z.string() }).nullish(),
  duedate: z.string().nullish(),
});

export const Issue = z.looseObject({
  id: Id,
  key: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*-\d+$/, 'not an issue key'),
  fields: IssueFields,
  changelog: EmbeddedChangelog.optional(),
});
export type Issue = z.infer<typeof Issue>;

/** `POST /rest/api/3/search/jql` with fields `*all` and expand `changelog,names,schema`. */
export const SearchBody = z.looseObject({
  issues: z.array(Issue),
  names: z.record(z.string(), z.string()).optional(),
  schema: z.record(z.string(), FieldSchema).optional(),
});
export type SearchBody = z.infer<typeof SearchBody>;

/** The `issues` unit: a search page plus, for issues whose embedded changelog was truncated, all its changelog pages. */
export const IssuesDocument = z.looseObject({
  search: SearchBody,
  changelogs: z.record(z.string(), z.array(ChangelogPage)).default({}),
});
export type IssuesDocument = z.infer<typeof IssuesDocument>;

export const DevStatusPullRequest = z.looseObject({
  id: z.string().nullish(),
  name: z.string().nullish(),
  url: z.string().nullish(),
  status: z.string().nullish(),
  source: z.looseObject({ branch: z.string().nullish() }).nullish(),
  destination: z.looseObject({ branch: z.string().nullish() }).nullish(),
  lastCommit: z.looseObject({ id: z.string().nullish() }).nullish(),
  repositoryId: Id.nullish(),
  repositoryName: z.string().nullish(),
  repositoryUrl: z.string().nullish(),
});
export type DevStatusPullRequest = z.infer<typeof DevStatusPullRequest>;

/** `GET /rest/dev-status/1.0/issue/detail?dataType=pullrequest` (a private API: only `detail[].pullRequests[]` is relied on). */
export const DevStatusBody = z.looseObject({
  detail: z.array(z.looseObject({ pullRequests: z.array(DevStatusPullRequest).optional() })).default([]),
});

const Estimate = z.looseObject({ value: z.number().nullish(), text: z.string().nullish() }).nullish();
const ReportIssue = z.looseObject({
  id: Id,
  key: z.string(),
  estimateStatistic: z.looseObject({ statFieldValue: z.looseObject({ value: z.number().nullish() }).nullish() }).nullish(),
  currentEstimateStatistic: z.looseObject({ statFieldValue: z.looseObject({ value: z.number().nullish() }).nullish() }).nullish(),
});
export type ReportIssue = z.infer<typeof ReportIssue>;

export const SprintReport = z.looseObject({
  contents: z.looseObject({
    completedIssues: z.array(ReportIssue).default([]),
    issuesNotCompletedInCurrentSprint: z.array(ReportIssue).default([]),
    puntedIssues: z.array(ReportIssue).default([]),
    issuesCompletedInAnotherSprint: z.array(ReportIssue).default([]),
    completedIssuesEstimateSum: Estimate,
    issuesNotCompletedEstimateSum: Estimate,
    puntedIssuesEstimateSum: Estimate,
    allIssuesEstimateSum: Estimate,
    issueKeysAddedDuringSprint: z.record(z.string(), z.unknown()).nullish(),
  }),
});
export type SprintReport = z.infer<typeof SprintReport>;

/**
 * The `sprints` unit: the agile Sprint and its sprint report (null when the board has none). The
 * sprint itself is null when Jira answered 404 (deleted since an issue named it): the unit is kept,
 * with nothing to load.
 */
export const SprintDocument = z.looseObject({
  sprint: z.looseObject({
    id: z.number().int().positive(),
    name: z.string(),
    state: z.string().nullish(),
    goal: z.string().nullish(),
    originBoardId: z.number().int().nullish(),
    createdDate: JiraDateTime.nullish(),
    startDate: JiraDateTime.nullish(),
    endDate: JiraDateTime.nullish(),
    completeDate: JiraDateTime.nullish(),
  }).nullable(),
  report: SprintReport.nullable(),
});
export type SprintDocument = z.infer<typeof SprintDocument>;
