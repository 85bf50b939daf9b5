/**
 * The fixed parts of a generated Jira site: status categories, statuses, issue types, fields, users,
 * priorities. Shapes follow the Jira Cloud v3 responses (StatusDetails, IssueTypeDetails, FieldDetails).
 */
import type { JsonObject } from '../world/types';
import { loginOf } from './names';
import type { Rng } from './random';

export const JIRA_SITE = 'https://sluice-demo.atlassian.net';
const api = `${JIRA_SITE}/rest/api/3`;

const CATEGORIES = {
  none: { id: 1, key: 'undefined', colorName: 'medium-gray', name: 'No Category' },
  todo: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
  doing: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
  done: { id: 3, key: 'done', colorName: 'green', name: 'Done' },
} as const;
export type CategoryName = keyof typeof CATEGORIES;

export function statusCategory(name: CategoryName): JsonObject {
  const c = CATEGORIES[name];
  return { self: `${api}/statuscategory/${c.id}`, id: c.id, key: c.key, colorName: c.colorName, name: c.name };
}

export interface StatusDef {
  id: string;
  name: string;
  category: CategoryName;
  /** Set for statuses that belong to one team-managed project. */
  projectId?: string;
}

/** Global statuses; "Triage" has no category on purpose, so every category appears in the data. */
export const GLOBAL_STATUSES: readonly StatusDef[] = [
  { id: '10000', name: 'Backlog', category: 'todo' },
  { id: '10001', name: 'To Do', category: 'todo' },
  { id: '10002', name: 'Selected for Development', category: 'todo' },
  { id: '3', name: 'In Progress', category: 'doing' },
  { id: '10003', name: 'In Review', category: 'doing' },
  { id: '10004', name: 'QA / Recette', category: 'doing' },
  { id: '10005', name: 'Blocked', category: 'doing' },
  { id: '10006', name: 'Done', category: 'done' },
  { id: '6', name: 'Closed', category: 'done' },
  { id: '10007', name: "Won't Do", category: 'done' },
  { id: '10008', name: 'Triage', category: 'none' },
];

export function statusDetails(s: StatusDef): JsonObject {
  const out: JsonObject = {
    self: `${api}/status/${s.id}`,
    description: `Issues in the "${s.name}" state.`,
    iconUrl: `${JIRA_SITE}/images/icons/statuses/generic.png`,
    name: s.name,
    untranslatedName: s.name,
    id: s.id,
    statusCategory: statusCategory(s.category),
  };
  if (s.projectId) out.scope = { type: 'PROJECT', project: { id: s.projectId } };
  return out;
}

export interface IssueTypeDef {
  id: string;
  name: string;
  level: number;
  /** Workflow family (see WORKFLOWS). */
  flow: 'dev' | 'simple' | 'incident';
  projectId?: string;
}

export const GLOBAL_ISSUE_TYPES: readonly IssueTypeDef[] = [
  { id: '10000', name: 'Epic', level: 1, flow: 'simple' },
  { id: '10001', name: 'Story', level: 0, flow: 'dev' },
  { id: '10002', name: 'Task', level: 0, flow: 'dev' },
  { id: '10003', name: 'Bug', level: 0, flow: 'dev' },
  { id: '10004', name: 'Sub-task', level: -1, flow: 'simple' },
  { id: '10005', name: 'Spike', level: 0, flow: 'dev' },
  { id: '10006', name: 'Incident', level: 0, flow: 'incident' },
  { id: '10007', name: 'Initiative', level: 2, flow: 'simple' },
];

export function issueTypeDetails(t: IssueTypeDef): JsonObject {
  const out: JsonObject = {
    self: `${api}/issuetype/${t.id}`,
    id: t.id,
    description: `${t.name} issues.`,
    iconUrl: `${JIRA_SITE}/rest/api/2/universal_avatar/view/type/issuetype/avatar/${10300 + Number(t.id) % 100}?size=medium`,
    name: t.name,
    untranslatedName: t.name,
    subtask: t.level < 0,
    avatarId: 10300 + (Number(t.id) % 100),
    hierarchyLevel: t.level,
  };
  if (t.projectId) {
    out.entityId = `00000000-0000-4000-8000-${t.id.padStart(12, '0')}`;
    out.scope = { type: 'PROJECT', project: { id: t.projectId } };
  }
  return out;
}

/** Status ids along the main path of each workflow family, then side states. */
export const WORKFLOWS = {
  dev: { path: ['10000', '10002', '3', '10003', '10004', '10006'], backlog: '10000', rework: '3', blocked: '10005', abandon: '10007' },
  simple: { path: ['10001', '3', '10006'], backlog: '10001', rework: '3', blocked: '10005', abandon: '10007' },
  incident: { path: ['10008', '3', '10006', '6'], backlog: '10008', rework: '3', blocked: '10005', abandon: '6' },
} as const;

export const PRIORITIES: readonly JsonObject[] = ['Highest', 'High', 'Medium', 'Low', 'Lowest'].map((name, i) => ({
  self: `${api}/priority/${i + 1}`,
  iconUrl: `${JIRA_SITE}/images/icons/priorities/${name.toLowerCase()}.svg`,
  name,
  id: String(i + 1),
}));

export const RESOLUTIONS: Record<'done' | 'wontdo', JsonObject> = {
  done: { self: `${api}/resolution/10000`, id: '10000', description: 'Work has been completed.', name: 'Done' },
  wontdo: { self: `${api}/resolution/10001`, id: '10001', description: 'This issue will not be worked on.', name: "Won't Do" },
};

/** A Jira user as it appears in issue fields and changelog authors. */
export function jiraUser(name: string, rng: Rng): JsonObject {
  const accountId = `712020:${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-8${rng.hex(3)}-${rng.hex(12)}`;
  const initials = loginOf(name).slice(0, 2).toUpperCase();
  const avatar = (s: number) => `https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/initials/${initials}-5.png?size=${s}&s=${s}`;
  return {
    self: `${api}/user?accountId=${accountId}`,
    accountId,
    emailAddress: `${loginOf(name)}@example.com`,
    avatarUrls: { '48x48': avatar(48), '24x24': avatar(24), '16x16': avatar(16), '32x32': avatar(32) },
    displayName: name,
    active: true,
    timeZone: 'Europe/Paris',
    accountType: 'atlassian',
  };
}

export interface CustomFieldDef {
  id: string;
  name: string;
  schema: JsonObject;
}

const cf = (n: number, name: string, type: string, custom: string, items?: string): CustomFieldDef => ({
  id: `customfield_${n}`,
  name,
  schema: { type, ...(items ? { items } : {}), custom: `com.atlassian.jira.plugin.system.customfieldtypes:${custom}`, customId: n },
});

/** Field ids the generator fills; the ETL discovers them through /field like on a real site. */
export const CF = {
  storyPoints: 'customfield_10016',
  team: 'customfield_10001',
  sprint: 'customfield_10020',
  development: 'customfield_10000',
  epicLink: 'customfield_10014',
  startDate: 'customfield_10015',
  rank: 'customfield_10019',
  severity: 'customfield_10030',
  environments: 'customfield_10031',
  platforms: 'customfield_10032',
  customer: 'customfield_10033',
  productArea: 'customfield_10034',
  quarter: 'customfield_10035',
  tags: 'customfield_10036',
  qaOwner: 'customfield_10037',
  reviewers: 'customfield_10038',
  businessValue: 'customfield_10039',
  designDoc: 'customfield_10040',
  goLive: 'customfield_10041',
  flagged: 'customfield_10042',
} as const;

export const CUSTOM_FIELDS: readonly CustomFieldDef[] = [
  { id: CF.storyPoints, name: 'Story point estimate', schema: { type: 'number', custom: 'com.pyxis.greenhopper.jira:jsw-story-points', customId: 10016 } },
  cf(10001, 'Team', 'team', 'atlassian-team'),
  { id: CF.sprint, name: 'Sprint', schema: { type: 'array', items: 'json', custom: 'com.pyxis.greenhopper.jira:gh-sprint', customId: 10020 } },
  { id: CF.development, name: 'Development', schema: { type: 'any', custom: 'com.atlassian.jira.plugins.jira-development-integration-plugin:devsummarycf', customId: 10000 } },
  { id: CF.epicLink, name: 'Epic Link', schema: { type: 'any', custom: 'com.pyxis.greenhopper.jira:gh-epic-link', customId: 10014 } },
  cf(10015, 'Start date', 'date', 'datepicker'),
  { id: CF.rank, name: 'Rank', schema: { type: 'any', custom: 'com.pyxis.greenhopper.jira:gh-lexo-rank', customId: 10019 } },
  cf(10030, 'Sévérité', 'option', 'select'),
  cf(10031, 'Environments', 'array', 'multiselect', 'option'),
  cf(10032, 'Platforms', 'array', 'multicheckboxes', 'option'),
  cf(10033, 'Customer', 'string', 'textfield'),
  cf(10034, 'Product area', 'option-with-child', 'cascadingselect'),
  cf(10035, 'Target quarter', 'option', 'radiobuttons'),
  cf(10036, 'Tags', 'array', 'labels', 'string'),
  cf(10037, 'QA owner', 'user', 'userpicker'),
  cf(10038, 'Reviewers', 'array', 'multiuserpicker', 'user'),
  cf(10039, 'Business value', 'number', 'float'),
  cf(10040, 'Design doc', 'string', 'url'),
  cf(10041, 'Go-live', 'datetime', 'datetime'),
  cf(10042, 'Flagged', 'array', 'multicheckboxes', 'option'),
];

const SYSTEM_FIELDS: readonly [string, string, JsonObject][] = [
  ['summary', 'Summary', { type: 'string', system: 'summary' }],
  ['description', 'Description', { type: 'string', system: 'description' }],
  ['issuetype', 'Issue Type', { type: 'issuetype', system: 'issuetype' }],
  ['project', 'Project', { type: 'project', system: 'project' }],
  ['status', 'Status', { type: 'status', system: 'status' }],
  ['priority', 'Priority', { type: 'priority', system: 'priority' }],
  ['assignee', 'Assignee', { type: 'user', system: 'assignee' }],
  ['reporter', 'Reporter', { type: 'user', system: 'reporter' }],
  ['creator', 'Creator', { type: 'user', system: 'creator' }],
  ['created', 'Created', { type: 'datetime', system: 'created' }],
  ['updated', 'Updated', { type: 'datetime', system: 'updated' }],
  ['resolution', 'Resolution', { type: 'resolution', system: 'resolution' }],
  ['resolutiondate', 'Resolved', { type: 'datetime', system: 'resolutiondate' }],
  ['statuscategorychangedate', 'Status Category Changed', { type: 'datetime', system: 'statuscategorychangedate' }],
  ['labels', 'Labels', { type: 'array', items: 'string', system: 'labels' }],
  ['components', 'Components', { type: 'array', items: 'component', system: 'components' }],
  ['fixVersions', 'Fix versions', { type: 'array', items: 'version', system: 'fixVersions' }],
  ['parent', 'Parent', { type: 'issuelink', system: 'parent' }],
  ['subtasks', 'Sub-tasks', { type: 'array', items: 'issuelinks', system: 'subtasks' }],
  ['duedate', 'Due date', { type: 'date', system: 'duedate' }],
];

export function fieldDetails(): JsonObject[] {
  const system = SYSTEM_FIELDS.map(([id, name, schema]) => ({
    id, key: id, name, custom: false, orderable: id !== 'created' && id !== 'updated', navigable: true, searchable: true,
    clauseNames: [id], schema,
  }));
  const custom = CUSTOM_FIELDS.map((f) => ({
    id: f.id, key: f.id, name: f.name, untranslatedName: f.name, custom: true, orderable: true, navigable: true, searchable: true,
    clauseNames: [`cf[${f.id.slice('customfield_'.length)}]`, f.name], schema: f.schema,
  }));
  return [...system, ...custom];
}

/** Custom field option objects, shaped as Jira returns them (`{self, value, id}`). */
export function option(id: number, value: string): JsonObject {
  return { self: `${api}/customFieldOption/${id}`, value, id: String(id) };
}
