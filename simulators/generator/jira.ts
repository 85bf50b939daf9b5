/** Assembles the Jira half of a world: site catalog, projects, boards, sprints, issues, sprint reports. */
import type { JiraProject, JiraWorld, Json, JsonObject, SprintReport } from '../world/types';
import {
  CF, GLOBAL_ISSUE_TYPES, GLOBAL_STATUSES, JIRA_SITE, WORKFLOWS, fieldDetails, issueTypeDetails, jiraUser, statusDetails,
  type IssueTypeDef, type StatusDef,
} from './jira-catalog';
import { agileSprint, boardOf, makeSprints, type SprintDef } from './jira-agile';
import { generateIssues, type IssueFacts, type ProjectSetup } from './jira-issues';
import { PEOPLE, PROJECT_NAMES, TEAMS } from './names';
import type { Rng } from './random';
import type { WorldCounts } from './scale';
import { DAY } from './time';

const api = `${JIRA_SITE}/rest/api/3`;

function projectOf(i: number, rng: Rng): JiraProject {
  const [baseKey, baseName] = PROJECT_NAMES[i % PROJECT_NAMES.length] as readonly [string, string];
  const round = Math.floor(i / PROJECT_NAMES.length);
  const key = round ? `${baseKey}${round + 1}` : baseKey;
  const id = String(10000 + i);
  const teamManaged = i % 3 === 2;
  const avatar = (size: string) => `${JIRA_SITE}/rest/api/3/universal_avatar/view/type/project/avatar/${10400 + i}?size=${size}`;
  return {
    expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight',
    self: `${api}/project/${id}`,
    id,
    key,
    name: round ? `${baseName} ${round + 1}` : baseName,
    avatarUrls: { '48x48': avatar('large'), '24x24': avatar('small'), '16x16': avatar('xsmall'), '32x32': avatar('medium') },
    projectTypeKey: 'software',
    simplified: teamManaged,
    style: teamManaged ? 'next-gen' : 'classic',
    isPrivate: false,
    properties: {},
    entityId: `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-8${rng.hex(3)}-${rng.hex(12)}`,
    uuid: `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-9${rng.hex(3)}-${rng.hex(12)}`,
  };
}

function flowStatuses(t: IssueTypeDef, extra?: StatusDef): StatusDef[] {
  const wf = WORKFLOWS[t.flow];
  const ids = [...wf.path, wf.blocked, wf.abandon];
  const list = [...new Set(ids)].map((id) => GLOBAL_STATUSES.find((s) => s.id === id) as StatusDef);
  if (extra && t.flow === 'dev') list.splice(list.length - 3, 0, extra);
  return list;
}

function sprintReport(s: SprintDef, facts: readonly IssueFacts[]): SprintReport {
  const entry = (f: IssueFacts) => {
    const st = f.issue.fields.status as JsonObject;
    const est: JsonObject = { statFieldId: CF.storyPoints, statFieldValue: f.points === null ? {} : { value: f.points } };
    const out: JsonObject = { id: Number(f.issue.id), key: f.issue.key, summary: f.issue.fields.summary as string, typeId: f.type.id, statusId: st.id as string, done: f.done !== null, estimateStatistic: est, currentEstimateStatistic: est };
    return out;
  };
  const inSprint = facts.filter((f) => f.sprints.some((x) => x.id === s.id));
  const completed = inSprint.filter((f) => f.done !== null && f.done >= s.start && f.done < s.end && f.sprints[f.sprints.length - 1]?.id === s.id);
  const notCompleted = inSprint.filter((f) => !completed.includes(f));
  const sum = (list: IssueFacts[]) => {
    const v = list.reduce((a, f) => a + (f.points ?? 0), 0);
    return { value: v, text: String(v) };
  };
  const added: Record<string, Json> = {};
  for (const f of inSprint) if ((f.sprints.find((x) => x.id === s.id)?.added ?? 0) > s.start) added[f.issue.key] = true;
  return {
    boardId: s.boardId,
    sprintId: s.id,
    body: {
      contents: {
        completedIssues: completed.map(entry),
        issuesNotCompletedInCurrentSprint: notCompleted.map(entry),
        puntedIssues: [],
        issuesCompletedInAnotherSprint: [],
        completedIssuesEstimateSum: sum(completed),
        issuesNotCompletedEstimateSum: sum(notCompleted),
        allIssuesEstimateSum: sum(inSprint),
        puntedIssuesEstimateSum: { text: 'null' },
        issueKeysAddedDuringSprint: added,
      },
      sprint: { ...agileSprint(s), isoStartDate: new Date(s.start).toISOString(), isoEndDate: new Date(s.end).toISOString() },
      lastUserToClose: s.state === 'closed' ? 'Mia Krystof' : null,
    },
  };
}

export interface JiraGeneration {
  jira: JiraWorld;
  facts: IssueFacts[];
}

export function generateJira(rng: Rng, counts: WorldCounts, anchor: number): JiraGeneration {
  const users = PEOPLE.map((n) => jiraUser(n, rng));
  const projects = Array.from({ length: counts.projects }, (_, i) => projectOf(i, rng));
  const issueTypes: IssueTypeDef[] = [...GLOBAL_ISSUE_TYPES];
  const statuses: StatusDef[] = [...GLOBAL_STATUSES];
  const byName = (n: string) => GLOBAL_ISSUE_TYPES.find((t) => t.name === n) as IssueTypeDef;
  const setups: ProjectSetup[] = projects.map((p, i) => {
    const team = { id: `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-a${rng.hex(3)}-${rng.hex(12)}`, name: TEAMS[i % TEAMS.length] as string, avatarUrl: '', isVisible: true, isVerified: false, title: TEAMS[i % TEAMS.length] as string, isShared: true };
    if (!p.simplified) {
      const w: Record<string, number> = { Story: 30, Task: 22, Bug: 18, 'Sub-task': 14, Epic: 5, Spike: 4, Incident: 5, Initiative: 1 };
      return { project: p, team, types: Object.entries(w).map(([n, x]) => [byName(n), x] as const) };
    }
    // Team-managed projects own their types and one extra status, scoped to the project.
    const task: IssueTypeDef = { id: String(10100 + i * 2), name: 'Tâche', level: 0, flow: 'dev', projectId: p.id };
    const epic: IssueTypeDef = { id: String(10101 + i * 2), name: 'Épopée', level: 1, flow: 'simple', projectId: p.id };
    const extra: StatusDef = { id: String(10100 + i), name: 'Prêt à déployer', category: 'doing', projectId: p.id };
    issueTypes.push(task, epic);
    statuses.push(extra);
    return { project: p, team, extraStatus: extra, types: [[task, 55], [byName('Bug'), 20], [byName('Sub-task'), 15], [epic, 10]] };
  });
  for (const s of setups) s.project.issueTypes = s.types.map(([t]) => issueTypeDetails(t));

  const sprints = makeSprints(projects, counts.sprintsPerProject, anchor);
  const spanDays = Math.min(720, (counts.sprintsPerProject + 2) * 14 + 60);
  const facts = generateIssues({ rng, count: counts.issues, anchor, spanDays, setups, sprints, users });
  for (const s of setups) {
    const mine = facts.filter((f) => f.issue.fields.project && (f.issue.fields.project as JsonObject).id === s.project.id);
    s.project.insight = { totalIssueCount: mine.length, lastIssueUpdateTime: (mine.at(-1)?.issue.fields.updated as string | undefined) ?? null };
  }

  return {
    facts,
    jira: {
      projects,
      issueTypes: issueTypes.map(issueTypeDetails),
      statuses: statuses.map(statusDetails),
      projectStatuses: setups.map((s) => ({
        project: s.project.key,
        body: s.types.map(([t]) => ({ self: `${api}/issuetype/${t.id}`, id: t.id, name: t.name, subtask: t.level < 0, statuses: flowStatuses(t, s.extraStatus).map(statusDetails) })),
      })),
      fields: fieldDetails(),
      issues: facts.map((f) => f.issue),
      devStatus: [],
      boards: projects.map(boardOf),
      sprints: sprints.map(agileSprint),
      sprintReports: sprints.filter((s) => s.state !== 'future' && s.start > anchor - 400 * DAY).map((s) => sprintReport(s, facts.filter((f) => f.project === s.boardId - 1))),
    },
  };
}
