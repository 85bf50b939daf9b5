/**
 * The Jira transform on real simulator responses, fetched over HTTP the way the extract stores them
 * (one document per unit), checked against the world the simulator serves, then loaded into Postgres
 * with the tenant's seeded mappings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { generateWorld, startJiraSimulator, type RunningSimulator, type World } from '../../simulators';
import type { TransformOutput } from '../../workers/pipeline/connector';
import type { JiraMappings, WorkItemRow } from '../../workers/connectors/jira/transform';
import { openJiraDb, type JiraDb } from './jira-harness';

const TOKEN = 'jira-transform-token';

interface Unit {
  readonly stream: string;
  readonly partition: string | null;
  readonly payload: unknown;
}

/** Fetches every stream of the site as the extract stores it, one unit per page / partition. */
const extractSite = async (base: string): Promise<Unit[]> => {
  const get = async <T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } });
    return { status: res.status, body: (await res.json()) as T };
  };
  const units: Unit[] = [];
  const projectKeys: string[] = [];
  for (let startAt = 0; ; ) {
    const page = await get<{ values: { key: string }[]; isLast: boolean }>(`/rest/api/3/project/search?expand=issueTypes&startAt=${startAt}&maxResults=1`);
    units.push({ stream: 'projects', partition: null, payload: page.body });
    projectKeys.push(...page.body.values.map((p) => p.key));
    if (page.body.isLast) break;
    startAt += page.body.values.length;
  }
  units.push({ stream: 'statuses', partition: null, payload: (await get('/rest/api/3/status')).body });
  for (const key of projectKeys) units.push({ stream: 'project_statuses', partition: key, payload: (await get(`/rest/api/3/project/${key}/statuses`)).body });
  units.push({ stream: 'fields', partition: null, payload: (await get('/rest/api/3/field')).body });

  type SearchIssue = { id: string; key: string; fields: Record<string, unknown>; changelog: { total: number; histories: unknown[] } };
  const issues: SearchIssue[] = [];
  for (const key of projectKeys) {
    let token: string | undefined;
    do {
      const body = { jql: `project = ${key} ORDER BY updated ASC`, maxResults: 20, fields: ['*all'], expand: 'changelog,names,schema', ...(token ? { nextPageToken: token } : {}) };
      const search = (await get<{ issues: SearchIssue[]; nextPageToken?: string }>('/rest/api/3/search/jql', { method: 'POST', body: JSON.stringify(body) })).body;
      const changelogs: Record<string, unknown[]> = {};
      for (const issue of search.issues) {
        if (issue.changelog.total <= issue.changelog.histories.length) continue;
        const pages: unknown[] = [];
        for (let startAt = 0; ; ) {
          const page = (await get<{ values: unknown[]; isLast: boolean }>(`/rest/api/3/issue/${issue.id}/changelog?startAt=${startAt}&maxResults=100`)).body;
          pages.push(page);
          if (page.isLast) break;
          startAt += page.values.length;
        }
        changelogs[issue.id] = pages;
      }
      units.push({ stream: 'issues', partition: key, payload: { search, changelogs } });
      issues.push(...search.issues);
      token = search.nextPageToken;
    } while (token);
  }
  const sprintIds = new Set<number>();
  for (const issue of issues) {
    if (typeof issue.fields.customfield_10000 === 'string' && issue.fields.customfield_10000 !== '{}') {
      const dev = await get(`/rest/dev-status/1.0/issue/detail?issueId=${issue.id}&applicationType=GitHub&dataType=pullrequest`);
      units.push({ stream: 'dev_status', partition: `${issue.id}:${issue.key}`, payload: dev.body });
    }
    for (const s of (issue.fields.customfield_10020 as { id: number }[] | null) ?? []) sprintIds.add(s.id);
  }
  for (const id of [...sprintIds].sort((a, b) => a - b)) {
    const sprint = (await get<{ originBoardId: number }>(`/rest/agile/1.0/sprint/${id}`)).body;
    const report = await get(`/rest/greenhopper/1.0/rapid/charts/sprintreport?rapidViewId=${sprint.originBoardId}&sprintId=${id}`);
    units.push({ stream: 'sprints', partition: String(id), payload: { sprint, report: report.status === 200 ? report.body : null } });
  }
  return units;
};

type Item = { field: string; from: string | null; to: string | null };
type WorldHistory = { id: string; created: string; items: Item[] };
const historiesOf = (issue: World['jira']['issues'][number]): WorldHistory[] => ((issue.changelog as { histories: WorldHistory[] }).histories ?? []);

describe('the Jira transform on simulator responses', () => {
  const world = generateWorld({ scale: 'small', seed: 1 });
  let sim: RunningSimulator;
  let j: JiraDb;
  let mappings: JiraMappings;
  let units: Unit[];
  let outputs: TransformOutput[];
  const rows = <T = Record<string, unknown>>(table: string): T[] => outputs.flatMap((o) => (o.tables[table] ?? []) as T[]);

  beforeAll(async () => {
    sim = await startJiraSimulator({ world, token: TOKEN });
    j = await openJiraDb('jiratransform');
    mappings = await j.mappings();
    units = await extractSite(sim.url);
    outputs = units.map((u) => j.transform(u.stream, u.payload, u.partition, mappings));
  });
  afterAll(async () => {
    await sim?.stop();
    await j?.close();
  });

  it('made truncated-changelog units, so the changelog pages are exercised', () => {
    const paged = units.filter((u) => u.stream === 'issues' && Object.keys((u.payload as { changelogs: object }).changelogs).length > 0);
    expect(paged.length).toBeGreaterThan(0);
  });

  it('turns every issue of the world into a work item with its key, type, status and mapped flow position', () => {
    const items = rows<WorkItemRow>('work_items');
    expect(items.map((i) => i.key).sort()).toEqual(world.jira.issues.map((i) => i.key).sort());
    const byId = new Map(items.map((i) => [i.external_id, i]));
    for (const issue of world.jira.issues) {
      const item = byId.get(issue.id)!;
      const f = issue.fields as { issuetype: { id: string; name: string }; status: { id: string; name: string }; project: { key: string }; resolutiondate: string | null };
      expect(item).toMatchObject({ key: issue.key, wit_external_id: f.issuetype.id, wit_name: f.issuetype.name, status_external_id: f.status.id, status_name: f.status.name, project_key: f.project.key });
      // The seed covers the demo site: nothing unmapped.
      expect(item).toMatchObject({ wit_mapped: true, status_mapped: true, unmapped_statuses: [] });
      // Resolved exactly when the flow ends in Done or Discarded (Won't Do).
      expect(f.resolutiondate !== null).toBe(item.workflow_category === 'Done' || item.workflow_category === 'Discarded');
      if (item.workflow_category === 'Done') expect(item.last_completed_at).not.toBeNull();
      if (item.cycle_time_seconds !== null) expect(item.cycle_time_seconds).toBeGreaterThanOrEqual(0);
    }
  });

  it('keeps each issue\'s full status changelog, in order, including histories beyond the embedded 20', () => {
    const changelogs = rows<{ work_item_external_id: string; history_id: string; to_status_external_id: string; transition_end: string }>('changelogs');
    const byIssue = new Map<string, typeof changelogs>();
    for (const c of changelogs) byIssue.set(c.work_item_external_id, [...(byIssue.get(c.work_item_external_id) ?? []), c]);
    let long = 0;
    for (const issue of world.jira.issues) {
      const histories = [...historiesOf(issue)].reverse(); // the world stores them newest first
      if (histories.length > 100) long += 1;
      const expected = histories.flatMap((h) => h.items.filter((i) => i.field === 'status').map((i) => [h.id, i.to]));
      expect((byIssue.get(issue.id) ?? []).map((c) => [c.history_id, c.to_status_external_id])).toEqual(expected);
    }
    expect(long).toBeGreaterThan(0);
  });

  it('recognises the special fields from the schema and links dev-status pull requests', () => {
    const items = new Map(rows<WorkItemRow>('work_items').map((i) => [i.external_id, i]));
    for (const issue of world.jira.issues) {
      const f = issue.fields as Record<string, unknown>;
      const item = items.get(issue.id)!;
      expect(item.story_points).toBe((f.customfield_10016 as number | null) ?? null);
      expect(item.team).toBe((f.customfield_10001 as { name: string } | null)?.name ?? null);
      expect(item.development).toBe(f.customfield_10000 !== '{}');
    }
    const links = rows<{ work_item_key: string; repo_full_name: string; pr_number: number }>('work_items_prs_links');
    const expected = world.jira.devStatus.flatMap((d) => {
      const key = world.jira.issues.find((i) => i.id === d.issueId)!.key;
      return ((d.body.detail as { pullRequests: { url: string; repositoryName: string }[] }[])[0]?.pullRequests ?? []).map((p) => `${key} ${p.repositoryName.toLowerCase()}#${/\/pull\/(\d+)/.exec(p.url)![1]}`);
    });
    expect(links.map((l) => `${l.work_item_key} ${l.repo_full_name}#${l.pr_number}`).sort()).toEqual(expected.sort());
  });

  it('associates issues with the sprints of their sprint field', () => {
    const associations = rows<{ work_item_external_id: string; sprint_external_id: string; in_sprint: boolean }>('work_items_sprints').filter((a) => a.in_sprint);
    const expected = world.jira.issues.flatMap((i) => ((i.fields.customfield_10020 as { id: number }[] | null) ?? []).map((s) => `${i.id}/${s.id}`));
    expect(associations.map((a) => `${a.work_item_external_id}/${a.sprint_external_id}`).sort()).toEqual(expected.sort());
  });

  it('loads the site into Postgres with sprint outcomes from the reports', async () => {
    let rawId = 0;
    for (const o of outputs) await j.load(o, (rawId += 1));
    const counts = (await j.pool.query<Record<string, number>>(
      `SELECT (SELECT count(*)::int FROM work_items) AS items, (SELECT count(*)::int FROM projects) AS projects, (SELECT count(*)::int FROM projects_statuses) AS relations,
              (SELECT count(*)::int FROM sprints) AS sprints, (SELECT count(*)::int FROM work_items_sprints WHERE sprint_outcome IS NOT NULL) AS outcomes`,
    )).rows[0]!;
    expect(counts).toMatchObject({ items: world.jira.issues.length, projects: world.jira.projects.length });
    expect(counts.relations).toBeGreaterThan(0);
    expect(counts.outcomes).toBeGreaterThan(0);
    // Every issue a report lists as completed, and whose history puts it in that sprint, has the outcome.
    const associated = new Set(rows<{ work_item_external_id: string; sprint_external_id: string }>('work_items_sprints').map((a) => `${a.work_item_external_id}/${a.sprint_external_id}`));
    const completed = world.jira.sprintReports.flatMap((r) => (r.body.contents as { completedIssues: { id: number }[] }).completedIssues.map((i) => `${i.id}/${r.sprintId}`)).filter((k) => associated.has(k));
    const { rows: outcomes } = await j.pool.query<{ k: string }>("SELECT work_item_external_id || '/' || sprint_external_id AS k FROM work_items_sprints WHERE sprint_outcome = 'completed'");
    expect(completed.length).toBeGreaterThan(0);
    expect(outcomes.map((o) => o.k).sort()).toEqual(completed.sort());
  });
});
