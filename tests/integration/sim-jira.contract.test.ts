/**
 * Contract: every Jira response the connectors use validates against jira.js's zod schemas (Jira Cloud
 * v3 models), and the behaviours that matter (cursors, truncation, auth, errors) match Jira Cloud.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as cloud from 'jira.js/cloud';
import * as agile from 'jira.js/agile';
import { startJiraSimulator, type RunningSimulator } from '../../simulators';
import { TOKEN, call } from './sim-helpers';

let sim: RunningSimulator;
const JQL = 'project in (CORE, PAY) ORDER BY updated ASC';

function valid(schema: z.ZodType, value: unknown): void {
  const r = schema.safeParse(value);
  if (!r.success) throw new Error(`Schema mismatch: ${JSON.stringify(r.error.issues.slice(0, 3))}`);
}

beforeAll(async () => {
  sim = await startJiraSimulator({ scale: 'small', seed: 7, token: TOKEN });
});
afterAll(async () => sim.stop());

describe('Jira simulator contract', () => {
  it('serves project/search with expand=issueTypes, keys and offset pages', async () => {
    const first = await call<{ values: { key: string; issueTypes?: unknown[] }[]; isLast: boolean; nextPage?: string }>(`${sim.url}/rest/api/3/project/search?maxResults=1&expand=issueTypes&keys=CORE&keys=PAY`);
    expect(first.status).toBe(200);
    valid(cloud.PageProjectSchema, first.body);
    expect(first.body.values[0]?.issueTypes?.length).toBeGreaterThan(0);
    expect(first.body.isLast).toBe(false);
    expect(first.body.nextPage).toMatch(new RegExp(`^${sim.url}/`));
    const second = await call<{ values: { key: string }[]; isLast: boolean; nextPage?: string }>(first.body.nextPage as string);
    expect(second.body.isLast).toBe(true);
    expect(second.body.nextPage).toBeUndefined();
    expect([first.body.values[0]?.key, second.body.values[0]?.key].sort()).toEqual(['CORE', 'PAY']);
    const plain = await call<{ values: object[] }>(`${sim.url}/rest/api/3/project/search`);
    expect(plain.body.values.every((p) => !('issueTypes' in p))).toBe(true);
  });

  it('serves issuetype, status, project statuses and field in the documented shapes', async () => {
    const types = await call<unknown[]>(`${sim.url}/rest/api/3/issuetype`);
    valid(z.array(cloud.IssueTypeDetailsSchema), types.body);
    expect(new Set((types.body as { hierarchyLevel: number }[]).map((t) => t.hierarchyLevel))).toEqual(new Set([-1, 0, 1, 2]));
    const statuses = await call<{ statusCategory: { key: string } }[]>(`${sim.url}/rest/api/3/status`);
    valid(z.array(cloud.StatusDetailsSchema), statuses.body);
    expect(new Set(statuses.body.map((s) => s.statusCategory.key))).toEqual(new Set(['undefined', 'new', 'indeterminate', 'done']));
    const ps = await call(`${sim.url}/rest/api/3/project/CORE/statuses`);
    valid(z.array(cloud.IssueTypeWithStatusSchema), ps.body);
    const missing = await call<{ errorMessages: string[] }>(`${sim.url}/rest/api/3/project/NOPE/statuses`);
    expect(missing.status).toBe(404);
    expect(missing.body.errorMessages[0]).toContain('NOPE');
    const fields = await call<{ id: string; schema: { type: string; items?: string } }[]>(`${sim.url}/rest/api/3/field`);
    valid(z.array(cloud.FieldDetailsSchema), fields.body);
    const types2 = new Set(fields.body.filter((f) => f.id.startsWith('customfield_')).map((f) => `${f.schema.type}/${f.schema.items ?? ''}`));
    expect(types2).toContain('option/');
    expect(types2).toContain('array/option');
    expect(types2).toContain('array/json');
  });

  it('pages search/jql (GET and POST) with opaque cursors until isLast, every page valid', async () => {
    const seen = new Set<string>();
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await call<{ issues: { key: string; fields: { updated: string }; changelog: { total: number; histories: unknown[] } }[]; nextPageToken?: string; isLast: boolean }>(`${sim.url}/rest/api/3/search/jql`, {
        method: 'POST',
        body: JSON.stringify({ jql: JQL, maxResults: 25, fields: ['*all'], expand: 'changelog', ...(token ? { nextPageToken: token } : {}) }),
      });
      expect(res.status).toBe(200);
      valid(cloud.SearchAndReconcileResultsSchema, res.body);
      expect('total' in res.body).toBe(false);
      for (const i of res.body.issues) seen.add(i.key);
      token = res.body.nextPageToken;
      expect(res.body.isLast).toBe(token === undefined);
      pages += 1;
    } while (token);
    expect(seen.size).toBe(sim.world.jira.issues.length);
    expect(pages).toBe(Math.ceil(seen.size / 25));
    const get = await call<{ issues: { id: string; fields?: unknown }[] }>(`${sim.url}/rest/api/3/search/jql?jql=${encodeURIComponent(JQL)}&maxResults=3`);
    valid(cloud.SearchAndReconcileResultsSchema, get.body);
    expect(get.body.issues[0]?.fields).toBeUndefined(); // default fields is id only
  });

  it('truncates the embedded changelog of long histories and pages the full one oldest first', async () => {
    const long = sim.world.jira.issues.find((i) => ((i.changelog as { total: number }).total ?? 0) > 100);
    expect(long).toBeDefined();
    const key = (long as { key: string }).key;
    const res = await call<{ issues: { changelog: { total: number; histories: { created: string }[] } }[] }>(`${sim.url}/rest/api/3/search/jql?jql=${encodeURIComponent(`key = ${key}`)}&fields=summary&expand=changelog`);
    const embedded = res.body.issues[0]?.changelog;
    expect(embedded?.total).toBeGreaterThan(100);
    expect(embedded?.histories.length).toBeLessThan(embedded?.total as number);
    const all: { created: string }[] = [];
    let url: string | undefined = `${sim.url}/rest/api/3/issue/${key}/changelog`;
    while (url) {
      const page: { status: number; body: { values: { created: string }[]; nextPage?: string; isLast: boolean } } = await call(url);
      valid(cloud.PageChangelogSchema, page.body);
      all.push(...page.body.values);
      url = page.body.nextPage;
    }
    expect(all.length).toBe(embedded?.total);
    const times = all.map((h) => Date.parse(h.created.replace('+0000', 'Z')));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(embedded?.histories[0]?.created).toBe(all[all.length - 1]?.created); // embedded is newest first
  });

  it('rejects garbage, unbounded, unknown-project and old-search requests the way Jira does', async () => {
    const garbage = await call<{ errorMessages: string[]; errors: object }>(`${sim.url}/rest/api/3/search/jql?jql=${encodeURIComponent(JQL)}&nextPageToken=abc.def`);
    expect(garbage.status).toBe(400);
    expect(garbage.body.errors).toEqual({});
    const first = await call<{ nextPageToken: string }>(`${sim.url}/rest/api/3/search/jql?jql=${encodeURIComponent(JQL)}&maxResults=5`);
    const other = await call(`${sim.url}/rest/api/3/search/jql?jql=${encodeURIComponent('project = CORE')}&nextPageToken=${first.body.nextPageToken}`);
    expect(other.status).toBe(400); // a token is bound to its query
    expect((await call(`${sim.url}/rest/api/3/search/jql?jql=${encodeURIComponent('ORDER BY updated ASC')}`)).status).toBe(400);
    expect((await call(`${sim.url}/rest/api/3/search/jql?jql=${encodeURIComponent('project in (NOPE)')}`)).status).toBe(400);
    const old = await call<{ errorMessages: string[] }>(`${sim.url}/rest/api/3/search?jql=project=CORE`);
    expect(old.status).toBe(410);
    expect(old.body.errorMessages[0]).toContain('/rest/api/3/search/jql');
  });

  it('filters by updated window and accepts /rest/api/latest like Jira', async () => {
    const issues = sim.world.jira.issues;
    const mid = issues.map((i) => i.fields.updated as string).sort()[Math.floor(issues.length / 2)] as string;
    const at = mid.slice(0, 10);
    const res = await call<{ issues: { fields: { updated: string } }[] }>(`${sim.url}/rest/api/latest/search/jql`, {
      method: 'POST',
      body: JSON.stringify({ jql: `project IN (CORE, PAY) AND updated >= '${at} 00:00' AND updated < '2030-01-01 00:00' ORDER BY updated ASC`, maxResults: 100, fields: ['updated'] }),
    });
    expect(res.status).toBe(200);
    const got = res.body.issues.map((i) => i.fields.updated);
    expect(got.length).toBeGreaterThan(0);
    expect(got.every((u) => u.slice(0, 10) >= at)).toBe(true);
    expect([...got].sort()).toEqual(got);
  });

  it('requires Bearer or Basic credentials', async () => {
    expect((await call(`${sim.url}/rest/api/3/field`, { auth: null })).status).toBe(401);
    expect((await call(`${sim.url}/rest/api/3/field`, { auth: 'Bearer wrong' })).status).toBe(401);
    const basic = `Basic ${Buffer.from(`ops@example.com:${TOKEN}`).toString('base64')}`;
    expect((await call(`${sim.url}/rest/api/3/field`, { auth: basic })).status).toBe(200);
    const body = (await call<{ errorMessages: string[] }>(`${sim.url}/rest/api/3/field`, { auth: null })).body;
    expect(body.errorMessages.length).toBe(1);
  });

  it('serves dev-status pull requests and agile sprints', async () => {
    const dev = sim.world.jira.devStatus[0];
    expect(dev).toBeDefined();
    const res = await call<{ detail: { pullRequests: { url: string; repositoryId: string; source: { branch: string }; lastCommit: { id: string } }[] }[] }>(
      `${sim.url}/rest/dev-status/latest/issue/detail?issueId=${dev?.issueId}&applicationType=GitHub&dataType=pullrequest`,
    );
    const pr = res.body.detail[0]?.pullRequests[0];
    expect(pr?.url).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+\/pull\/\d+$/);
    const key = sim.world.jira.issues.find((i) => i.id === dev?.issueId)?.key as string;
    expect(pr?.source.branch).toContain(key);
    expect((await call(`${sim.url}/rest/dev-status/1.0/issue/detail?issueId=${key}`)).status).toBe(400);
    const sprints = await call<{ values: unknown[] }>(`${sim.url}/rest/agile/1.0/board/1/sprint`);
    valid(z.array(agile.SprintSchema), sprints.body.values);
    const closed = sim.world.jira.sprintReports[0];
    const report = await call<{ contents: { completedIssuesEstimateSum: { value: number } } }>(`${sim.url}/rest/greenhopper/1.0/rapid/charts/sprintreport?rapidViewId=${closed?.boardId}&sprintId=${closed?.sprintId}`);
    expect(typeof report.body.contents.completedIssuesEstimateSum.value).toBe('number');
  });
});
