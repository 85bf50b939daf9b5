/**
 * Generates the Jira issues: creation times, hierarchy (initiative > epic > story/task/bug > sub-task),
 * a changelog from a workflow walk, sprints with carry-over, and every custom field. Issues are stored as
 * the IssueBean `fields=*all&expand=changelog` would return them, with the whole history.
 */
import type { JiraIssue, JiraProject, Json, JsonObject } from '../world/types';
import { CF, JIRA_SITE, PRIORITIES, issueTypeDetails, option, statusDetails, type IssueTypeDef, type StatusDef } from './jira-catalog';
import { fieldSprint, type SprintDef } from './jira-agile';
import { walkIssue } from './jira-history';
import { OBJECTS, VERBS } from './names';
import type { Rng } from './random';
import { DAY, HOUR, isoDate, jiraTime } from './time';

/** What the GitHub and sprint-report generators need to know about each issue. */
export interface IssueFacts {
  issue: JiraIssue;
  project: number;
  type: IssueTypeDef;
  created: number;
  started: number | null;
  done: number | null;
  points: number | null;
  /** Sprint ids with the time the issue joined each. */
  sprints: { id: number; added: number }[];
}

export interface ProjectSetup {
  project: JiraProject;
  /** Issue types with weights, as used in this project. */
  types: readonly (readonly [IssueTypeDef, number])[];
  extraStatus?: StatusDef;
  team: JsonObject;
}

export interface IssueGenInput {
  rng: Rng;
  count: number;
  anchor: number;
  spanDays: number;
  setups: readonly ProjectSetup[];
  sprints: readonly SprintDef[];
  users: readonly JsonObject[];
}

const api = `${JIRA_SITE}/rest/api/3`;
const SEVERITY = ['Critique', 'Majeure', 'Mineure', 'Cosmétique'].map((v, i) => option(10100 + i, v));
const ENVIRONMENTS = ['Production', 'Staging', 'Développement', 'QA'].map((v, i) => option(10110 + i, v));
const PLATFORMS = ['iOS', 'Android', 'Web', 'Desktop'].map((v, i) => option(10120 + i, v));
const AREAS = [['Checkout', ['Panier', 'Paiement']], ['Accounts', ['Login', 'Profil']], ['Reporting', ['Exports', 'Dashboards']]] as const;
const QUARTERS = ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'].map((v, i) => option(10140 + i, v));
const FLAG = option(10019, 'Impediment');
const CUSTOMERS = ['Müller GmbH', 'Café Olé SARL', '東京商事株式会社', 'Acme Corp', 'Ñandú Ltda', 'Åhléns AB'];

function adf(text: string): JsonObject {
  return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}

function link(issue: JiraIssue): JsonObject {
  const f = issue.fields;
  return { id: issue.id, key: issue.key, self: issue.self as string, fields: { summary: f.summary as Json, status: f.status as Json, priority: f.priority as Json, issuetype: f.issuetype as Json } };
}

export function generateIssues(input: IssueGenInput): IssueFacts[] {
  const { rng, anchor, setups, users } = input;
  const span = input.spanDays * DAY;
  const weights = setups.map((_, i) => [i, 1 / (1 + 0.35 * i)] as const);
  const drafts = Array.from({ length: input.count }, () => ({
    project: rng.weighted(weights),
    created: Math.floor(anchor - HOUR - span * Math.pow(rng.next(), 1.3)),
  })).sort((a, b) => a.created - b.created);

  const out: IssueFacts[] = [];
  const perProject = setups.map(() => ({ n: 0, epics: [] as IssueFacts[], initiatives: [] as IssueFacts[], standard: [] as IssueFacts[] }));
  const sprintsByBoard = new Map<number, SprintDef[]>();
  for (const s of input.sprints) sprintsByBoard.set(s.boardId, [...(sprintsByBoard.get(s.boardId) ?? []), s]);

  drafts.forEach((d, index) => {
    const setup = setups[d.project] as ProjectSetup;
    const bucket = perProject[d.project] as (typeof perProject)[number];
    let type = rng.weighted(setup.types);
    if (type.level < 0 && bucket.standard.length === 0) type = setup.types.find(([t]) => t.level === 0)?.[0] as IssueTypeDef;
    const long = index === 3 || rng.chance(0.012);
    const age = anchor - d.created;
    const walk = walkIssue(rng, {
      flow: type.flow,
      finish: long || rng.chance(age > 45 * DAY ? 0.88 : age > 10 * DAY ? 0.55 : 0.2),
      long,
      estimable: type.level === 0,
      users: users as unknown as { accountId: string; displayName: string }[],
      ...(setup.extraStatus ? { extraStatus: setup.extraStatus } : {}),
    });

    // Spread the steps over the issue's life; squeeze them when they would run past the anchor.
    const gaps = walk.steps.map(() => -Math.log(Math.max(rng.next(), 1e-6)) * (long ? 4 : 26) * HOUR + 60_000);
    const total = gaps.reduce((a, b) => a + b, 0);
    const room = anchor - d.created - 60_000;
    const scale = total > room ? room / total : 1;
    let t = d.created;
    const times = gaps.map((g) => (t += Math.max(1000, Math.floor(g * scale))));

    let started: number | null = null;
    let done: number | null = null;
    walk.steps.forEach((s, i) => {
      if (s.status?.category === 'doing' && started === null) started = times[i] as number;
      if (s.status) done = s.status.category === 'done' ? (times[i] as number) : null;
    });

    // Sprint membership: the sprint running when work started (or when the issue was created), then
    // carried over into following sprints while the work was not done.
    const sprints: { id: number; added: number }[] = [];
    if (type.level === 0) {
      const board = sprintsByBoard.get(d.project + 1) ?? [];
      const key = started ?? d.created;
      let i = board.findIndex((s) => s.state !== 'future' && key >= s.start - 2 * DAY && key < s.end);
      if (i < 0 && started === null && rng.chance(0.4)) i = board.findIndex((s) => s.state === 'future');
      if (i >= 0) {
        sprints.push({ id: (board[i] as SprintDef).id, added: Math.max(d.created + 1000, Math.min(key, (board[i] as SprintDef).start) - HOUR) });
        for (let j = i + 1; j < board.length && sprints.length < 3; j++) {
          const prev = board[j - 1] as SprintDef;
          const next = board[j] as SprintDef;
          if ((done !== null && done < prev.end) || next.start >= anchor) break;
          sprints.push({ id: next.id, added: next.start });
        }
      }
    }

    const histories: { created: number; step: JsonObject }[] = walk.steps.map((s, i) => ({
      created: times[i] as number,
      step: { items: s.items, author: users[s.author] as JsonObject },
    }));
    sprints.forEach((s, i) => {
      const names = (ids: { id: number }[]) => ids.map((x) => input.sprints.find((y) => y.id === x.id)?.name ?? '').join(', ');
      const before = sprints.slice(0, i);
      const upto = sprints.slice(0, i + 1);
      histories.push({
        created: s.added,
        step: {
          items: [{ field: 'Sprint', fieldtype: 'custom', fieldId: CF.sprint, from: before.map((x) => x.id).join(', '), fromString: before.length ? names(before) : null, to: upto.map((x) => x.id).join(', '), toString: names(upto) }],
          author: users[rng.int(0, users.length - 1)] as JsonObject,
        },
      });
    });
    histories.sort((a, b) => a.created - b.created);
    const id = String(10000 + index);
    const numbered = histories.map((h, i) => ({ id: String(100000 + index * 1000 + i), author: h.step.author as Json, created: jiraTime(h.created), items: h.step.items as Json }));
    const updated = Math.max(d.created, ...histories.map((h) => h.created));

    bucket.n += 1;
    const key = `${setup.project.key}-${bucket.n}`;
    const reporter = users[rng.int(0, users.length - 1)] as JsonObject;
    const summary = `${rng.pick(VERBS)} ${rng.pick(OBJECTS)}${type.name === 'Bug' ? ' (régression)' : ''}`;
    const parent = type.level < 0 ? rng.pick(bucket.standard) : type.level === 0 && bucket.epics.length && rng.chance(0.6) ? rng.pick(bucket.epics) : type.level === 1 && bucket.initiatives.length && rng.chance(0.5) ? rng.pick(bucket.initiatives) : null;
    const areaIdx = rng.int(0, AREAS.length - 1);
    const area = AREAS[areaIdx] as (typeof AREAS)[number];
    const defect = type.name === 'Bug' || type.name === 'Incident';
    const sprintDefs = sprints.map((s) => input.sprints.find((x) => x.id === s.id) as SprintDef);
    const fields: JsonObject = {
      summary,
      description: adf(`${summary}. Reported by ${reporter.displayName as string}; see the linked pull requests.`),
      issuetype: issueTypeDetails(type),
      project: { self: setup.project.self as string, id: setup.project.id, key: setup.project.key, name: setup.project.name, projectTypeKey: 'software', simplified: setup.project.simplified as boolean, avatarUrls: setup.project.avatarUrls as Json },
      status: statusDetails(walk.final),
      priority: walk.priority,
      assignee: walk.assignee === null ? null : (users[walk.assignee] as JsonObject),
      reporter,
      creator: reporter,
      created: jiraTime(d.created),
      updated: jiraTime(updated),
      resolution: null,
      resolutiondate: done === null ? null : jiraTime(done),
      statuscategorychangedate: jiraTime(done ?? started ?? d.created),
      labels: rng.some(['backend', 'frontend', 'tech-debt', 'customer-reported', 'sécurité', 'performance', 'ux'], 0, 3),
      components: rng.chance(0.4) ? [{ self: `${api}/component/${10500 + d.project}`, id: String(10500 + d.project), name: `${setup.project.key} core` }] : [],
      fixVersions: [],
      duedate: rng.chance(0.2) ? isoDate(d.created + rng.int(7, 60) * DAY) : null,
      subtasks: [],
      [CF.storyPoints]: walk.storyPoints,
      [CF.team]: rng.chance(0.85) ? setup.team : null,
      [CF.sprint]: sprintDefs.length ? sprintDefs.map(fieldSprint) : null,
      [CF.development]: '{}',
      [CF.epicLink]: parent && parent.type.level === 1 && !setup.project.simplified ? parent.issue.key : null,
      [CF.startDate]: started === null ? null : isoDate(started),
      [CF.rank]: `0|i${index.toString(36).padStart(5, '0')}:`,
      [CF.severity]: defect ? rng.pick(SEVERITY) : null,
      [CF.environments]: defect ? rng.some(ENVIRONMENTS, 1, 3) : null,
      [CF.platforms]: rng.chance(0.5) ? rng.some(PLATFORMS, 1, 2) : null,
      [CF.customer]: rng.chance(0.3) ? rng.pick(CUSTOMERS) : null,
      [CF.productArea]: rng.chance(0.6) ? { ...option(10130 + areaIdx * 3, area[0]), child: option(10131 + areaIdx * 3 + rng.int(0, 1), rng.pick(area[1])) } : null,
      [CF.quarter]: rng.chance(0.5) ? rng.pick(QUARTERS) : null,
      [CF.tags]: rng.chance(0.4) ? rng.some(['q-review', 'okr', 'hotfix', 'client-fr', 'à-trier'], 1, 2) : null,
      [CF.qaOwner]: rng.chance(0.3) ? (rng.pick(users) as JsonObject) : null,
      [CF.reviewers]: rng.chance(0.3) ? rng.some(users, 1, 3) : null,
      [CF.businessValue]: rng.chance(0.3) ? rng.int(1, 200) / 2 : null,
      [CF.designDoc]: rng.chance(0.2) ? `https://docs.example.com/design/${key.toLowerCase()}` : null,
      [CF.goLive]: rng.chance(0.1) ? jiraTime(d.created + rng.int(10, 90) * DAY) : null,
      [CF.flagged]: walk.final.id === '10005' ? [FLAG] : null,
    };
    if (done !== null) fields.resolution = walk.final.id === '10007' || walk.final.id === '6' ? { self: `${api}/resolution/10001`, id: '10001', description: 'This issue will not be worked on.', name: "Won't Do" } : { self: `${api}/resolution/10000`, id: '10000', description: 'Work has been completed.', name: 'Done' };
    const issue: JiraIssue = {
      expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
      id,
      self: `${api}/issue/${id}`,
      key,
      fields,
      changelog: { startAt: 0, maxResults: numbered.length, total: numbered.length, histories: numbered.reverse() },
    };
    if (parent) {
      fields.parent = link(parent.issue);
      if (type.level < 0) (parent.issue.fields.subtasks as Json[]).push(link(issue));
    }
    const facts: IssueFacts = { issue, project: d.project, type, created: d.created, started, done, points: walk.storyPoints, sprints };
    if (type.level === 1) bucket.epics.push(facts);
    else if (type.level === 2) bucket.initiatives.push(facts);
    else if (type.level === 0) bucket.standard.push(facts);
    out.push(facts);
  });
  return out;
}

export { PRIORITIES };
