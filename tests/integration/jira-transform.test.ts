/**
 * The Jira transform on real simulator responses, fetched over HTTP by the connector's own extract
 * streams (so this is also the contract test between extract and transform), checked against the world
 * the simulator serves, then loaded into Postgres with the tenant's seeded mappings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { generateWorld, startJiraSimulator, type RunningSimulator, type World } from '../../simulators';
import { extractJiraPage } from '../../workers/connectors/jira/extract/streams';
import type { IntegrationInfo, TransformOutput } from '../../workers/pipeline/connector';
import type { JiraMappings, WorkItemRow } from '../../workers/connectors/jira/transform';
import { openJiraDb, type JiraDb } from './jira-harness';

const TOKEN = 'jira-transform-token';

interface Unit {
  readonly stream: string;
  readonly partition: string | null;
  readonly payload: unknown;
}

/**
 * Every unit of the site as the connector's extract stores it (workers/connectors/jira/extract), driven
 * as the pipeline drives it: each partition's cursor to the end, each child partition once.
 */
const extractSite = async (baseUrl: string): Promise<Unit[]> => {
  const integration: IntegrationInfo = { id: 1, tenantId: 1, provider: 'jira', baseUrl, settings: { email: 'etl@example.com', pageSize: 20 } };
  const todo: { stream: string; partition: string | null; cursor: string | null }[] = ['projects', 'statuses', 'fields'].map((stream) => ({ stream, partition: null, cursor: null }));
  const started = new Set<string>();
  const units: Unit[] = [];
  while (todo.length > 0) {
    const next = todo.shift()!;
    const page = await extractJiraPage({ integration, step: next.stream, ...next, signal: new AbortController().signal, secret: TOKEN, watermark: null });
    units.push({ stream: next.stream, partition: next.partition, payload: JSON.parse(JSON.stringify(page.payload)) });
    if (page.nextCursor !== null) todo.push({ ...next, cursor: page.nextCursor });
    for (const child of page.children ?? []) {
      if (started.has(`${child.stream}/${child.partition}`)) continue;
      started.add(`${child.stream}/${child.partition}`);
      todo.push({ stream: child.stream, partition: child.partition, cursor: null });
    }
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
