import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { JiraWorld } from '../../simulators';
import { generateWorld, startJiraSimulator, type RunningSimulator } from '../../simulators';
import { extractJiraPage } from '../../workers/connectors/jira/extract/streams';
import { SourceRejectedError } from '../../workers/connectors/http/source-errors';
import type { IntegrationInfo } from '../../workers/pipeline/connector';
import { crawl, type Crawl } from './support/crawl';

/**
 * The Jira streams against the simulator, driven the way the pipeline drives them but in-process
 * (support/crawl.ts), so the connector's strategies are checked on their own: every issue exactly once whatever the page size, every
 * changelog whole, the partitions the world implies, and rate limits and refusals reported as the
 * pipeline expects.
 */
const TOKEN = 'jira-extract-token';

const crawlJira = (url: string, settings: Record<string, unknown>, secret = TOKEN): Promise<Crawl> => {
  const integration: IntegrationInfo = { id: 1, tenantId: 1, provider: 'jira', baseUrl: url, settings: { email: 'etl@example.com', ...settings } };
  return crawl({ integration, secret, roots: [{ stream: 'projects' }, { stream: 'statuses' }, { stream: 'fields' }], extractPage: extractJiraPage });
};

interface Issue { id: string; key: string; changelog?: { histories?: unknown[] } }
interface IssuesPayload { search: { issues: Issue[] }; changelogs: Record<string, { values: unknown[] }[]> }

/** Every issue seen, with the number of changelog histories the crawl holds for it. */
const issuesOf = (c: Crawl): Map<string, { count: number; histories: number }> => {
  const seen = new Map<string, { count: number; histories: number }>();
  for (const p of c.pages.filter((x) => x.stream === 'issues')) {
    const payload = p.payload as IssuesPayload;
    for (const issue of payload.search.issues) {
      const completed = payload.changelogs[issue.id];
      const histories = completed ? completed.reduce((n, pg) => n + pg.values.length, 0) : (issue.changelog?.histories?.length ?? 0);
      const prev = seen.get(issue.key);
      seen.set(issue.key, { count: (prev?.count ?? 0) + 1, histories });
    }
  }
  return seen;
};

describe('Jira extract streams against the simulator', () => {
  const world = generateWorld({ scale: 'small', seed: 3 });
  const jiraWorld: JiraWorld = world.jira;
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startJiraSimulator({ world, token: TOKEN });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  const expectWholeWorld = (c: Crawl): void => {
    const seen = issuesOf(c);
    expect(seen.size).toBe(jiraWorld.issues.length);
    expect([...seen.values()].every((s) => s.count === 1)).toBe(true);
    // Each issue's whole history, including those longer than Jira embeds (more than 20, some over 100).
    for (const issue of jiraWorld.issues) {
      const histories = ((issue as unknown as Issue).changelog?.histories ?? []).length;
      expect(seen.get(issue.key)?.histories, issue.key).toBe(histories);
    }
    expect(jiraWorld.issues.some((i) => ((i as unknown as Issue).changelog?.histories ?? []).length > 100)).toBe(true);
    // One statuses page and one issues partition per project; one dev-status partition per issue with pull requests.
    const partitions = (stream: string) => new Set(c.pages.filter((p) => p.stream === stream).map((p) => p.partition));
    expect(partitions('project_statuses')).toEqual(new Set(jiraWorld.projects.map((p) => p.key)));
    expect(partitions('issues')).toEqual(new Set(jiraWorld.projects.map((p) => p.key)));
    expect(partitions('dev_status')).toEqual(new Set(jiraWorld.devStatus.map((d) => `${d.issueId}:${jiraWorld.issues.find((i) => i.id === d.issueId)!.key}`)));
    const sprintIds = new Set(c.pages.filter((p) => p.stream === 'sprints').map((p) => Number(p.partition)));
    const referenced = new Set(jiraWorld.issues.flatMap((i) => ((i.fields['customfield_10020'] as { id: number }[] | null) ?? []).map((s) => s.id)));
    expect(sprintIds).toEqual(referenced);
    // Sprint pages carry the sprint, and its report exactly when the world has one (future sprints have none).
    for (const page of c.pages.filter((p) => p.stream === 'sprints')) {
      const id = Number(page.partition);
      const hasReport = jiraWorld.sprintReports.some((r) => r.sprintId === id);
      expect(page.payload).toMatchObject({ sprint: { id }, report: hasReport ? { contents: expect.any(Object) } : null });
    }
    expect(jiraWorld.sprintReports.length).toBeGreaterThan(0);
  };

  it('walks every stream to the end: each issue once, with its whole changelog, and the partitions the world implies', async () => {
    expectWholeWorld(await crawlJira(sim.url, {}));
  }, 60_000);

  it('gives the same issues with pages of one issue and through a 429 storm', async () => {
    sim.control.setFaults({ errors: [{ kind: '429-retry-after', retryAfterSeconds: 1, times: 3, after: 5 }, { kind: '429-bare', times: 2, after: 20 }] });
    try {
      const c = await crawlJira(sim.url, { pageSize: 1 });
      expect(c.rateLimits).toBe(5);
      expectWholeWorld(c);
      // Page size 1: one issues page per issue.
      expect(c.pages.filter((p) => p.stream === 'issues')).toHaveLength(jiraWorld.issues.length);
    } finally {
      sim.control.clearFaults();
    }
  }, 120_000);

  it('limits the projects to the configured keys and names the ones Jira does not know', async () => {
    const [first] = jiraWorld.projects;
    const c = await crawlJira(sim.url, { projectKeys: [first!.key, 'NOPE'] });
    const projectPage = c.pages.find((p) => p.stream === 'projects')!;
    expect(projectPage.params).toMatchObject({ missingProjectKeys: ['NOPE'] });
    expect(new Set(c.pages.filter((p) => p.stream === 'issues').map((p) => p.partition))).toEqual(new Set([first!.key]));
  }, 60_000);

  it('refuses a bad token with a PermanentError that says what to do', async () => {
    const error = await crawlJira(sim.url, {}, 'wrong').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceRejectedError);
    expect(error).toMatchObject({ status: 401 });
    expect((error as Error).message).toMatch(/answered 401.*The token was refused/);
  });
});
