/**
 * The world: deterministic generation with the hard shapes present, the NDJSON directory format written
 * and read back identically, and the official spec examples seeded through it and served back unchanged.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { generateWorld, loadWorld, startDemoSimulators, startGithubSimulator, startJiraSimulator, worldCounts, writeWorld } from '../../simulators';
import { TOKEN, call, githubOpenapi, jiraExample } from './sim-helpers';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'sluice-world-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const hash = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex');
const ndjson = (dir: string, file: string, items: unknown[]) => {
  mkdirSync(join(dir, file, '..'), { recursive: true });
  writeFileSync(join(dir, file), items.map((i) => JSON.stringify(i)).join('\n') + '\n');
};

describe('world generator and format', () => {
  it('is deterministic for a seed and different for another', () => {
    expect(hash(generateWorld({ scale: 'small', seed: 5 }))).toBe(hash(generateWorld({ scale: 'small', seed: 5 })));
    expect(hash(generateWorld({ scale: 'small', seed: 5 }))).not.toBe(hash(generateWorld({ scale: 'small', seed: 6 })));
  });

  it('holds the hard cases: long changelogs, rework, non-ASCII, option and array custom fields, sprints, heavy PRs', () => {
    const w = generateWorld({ scale: 'small', seed: 2 });
    const c = worldCounts(w);
    expect(c.issuesWithOver100Histories).toBeGreaterThan(0);
    const text = JSON.stringify(w.jira.issues);
    expect([...text].some((ch) => ch.charCodeAt(0) > 0x7f)).toBe(true);
    const statusMoves = w.jira.issues.flatMap((i) => ((i.changelog as { histories: { items: { field: string; toString: string }[] }[] }).histories).flatMap((h) => h.items.filter((x) => x.field === 'status')));
    expect(statusMoves.some((m) => m.toString === 'Backlog')).toBe(true); // backlog returns
    const fields = w.jira.issues.map((i) => i.fields);
    expect(fields.some((f) => f.customfield_10030 && typeof (f.customfield_10030 as { value?: string }).value === 'string')).toBe(true);
    expect(fields.some((f) => Array.isArray(f.customfield_10031) && f.customfield_10031.length > 0)).toBe(true);
    expect(fields.some((f) => Array.isArray(f.customfield_10020) && f.customfield_10020.length > 1)).toBe(true); // carried over
    expect(fields.some((f) => String(f.customfield_10000).startsWith('{pullrequest='))).toBe(true);
    expect(w.github.pulls.some((p) => Number(p.commits) > 250)).toBe(true);
    expect(Math.max(...[...new Set(w.github.reviews.map((r) => r.pull_request_url))].map((u) => w.github.reviews.filter((r) => r.pull_request_url === u).length))).toBeGreaterThan(100);
  });

  it('writes and loads the NDJSON directory without changing a byte', async () => {
    const w = generateWorld({ scale: 'small', seed: 4 });
    const dir = tmp();
    await writeWorld(w, dir);
    expect(hash(await loadWorld(dir))).toBe(hash(w));
    writeFileSync(join(dir, 'jira', 'issues.ndjson'), '{"id":"1"}\n');
    await expect(loadWorld(dir)).rejects.toThrow(/issues\.ndjson line 1/);
  });
});

describe('demo simulators', () => {
  it('start both on one recent demo world whose PRs name issues Jira serves', async () => {
    const demo = await startDemoSimulators({ token: TOKEN });
    try {
      expect(demo.world.jira.issues.length).toBe(1500);
      expect(Date.parse(demo.world.meta.anchor)).toBeGreaterThan(Date.now() - 2 * 86_400_000);
      const pr = (await call<{ title: string }[]>(`${demo.github.url}/repos/${demo.world.github.repositories[0]?.full_name}/pulls?state=all`)).body.find((p) => /^\[[A-Z]+-\d+\]/.test(p.title));
      const key = /^\[([A-Z]+-\d+)\]/.exec(pr?.title ?? '')?.[1] as string;
      const found = await call<{ issues: { key: string }[] }>(`${demo.jira.url}/rest/api/3/search/jql?jql=${encodeURIComponent(`key = ${key}`)}&fields=summary`);
      expect(found.body.issues[0]?.key).toBe(key);
    } finally {
      await demo.stop();
    }
  });
});

describe('official spec examples round-trip through the seeding format', () => {
  it('serves the Jira v3 examples back unchanged', async () => {
    const dir = tmp();
    const projects = jiraExample('/rest/api/3/project/search') as { values: { key: string }[] };
    const search = jiraExample('/rest/api/3/search/jql') as { issues: { key: string }[] };
    const changelog = jiraExample('/rest/api/3/issue/{issueIdOrKey}/changelog') as { values: unknown[] };
    ndjson(dir, 'jira/projects.ndjson', projects.values);
    ndjson(dir, 'jira/issue-types.ndjson', jiraExample('/rest/api/3/issuetype') as unknown[]);
    ndjson(dir, 'jira/statuses.ndjson', jiraExample('/rest/api/3/status') as unknown[]);
    ndjson(dir, 'jira/fields.ndjson', jiraExample('/rest/api/3/field') as unknown[]);
    ndjson(dir, 'jira/project-statuses.ndjson', [{ project: 'EX', body: jiraExample('/rest/api/3/project/{projectIdOrKey}/statuses') }]);
    const history = { id: '99999', key: 'TT-1', fields: { project: { key: 'EX' } }, changelog: { startAt: 0, maxResults: 2, total: 2, histories: [...changelog.values].reverse() } };
    ndjson(dir, 'jira/issues.ndjson', [...search.issues, history]);
    const sim = await startJiraSimulator({ worldDir: dir, token: TOKEN });
    try {
      expect((await call(`${sim.url}/rest/api/3/issuetype`)).body).toEqual(jiraExample('/rest/api/3/issuetype'));
      expect((await call(`${sim.url}/rest/api/3/status`)).body).toEqual(jiraExample('/rest/api/3/status'));
      expect((await call(`${sim.url}/rest/api/3/field`)).body).toEqual(jiraExample('/rest/api/3/field'));
      expect((await call(`${sim.url}/rest/api/3/project/EX/statuses`)).body).toEqual(jiraExample('/rest/api/3/project/{projectIdOrKey}/statuses'));
      expect((await call<{ values: unknown[] }>(`${sim.url}/rest/api/3/project/search?maxResults=100&orderBy=id`)).body.values).toEqual(projects.values);
      const found = await call<{ issues: unknown[] }>(`${sim.url}/rest/api/3/search/jql?jql=${encodeURIComponent('key = ED-1')}&fields=*all`);
      expect(found.body.issues).toEqual(search.issues);
      const log = await call<{ values: unknown[] }>(`${sim.url}/rest/api/3/issue/TT-1/changelog`);
      expect(log.body.values).toEqual(changelog.values);
    } finally {
      await sim.stop();
    }
  });

  it('serves the GitHub OpenAPI examples back unchanged', async () => {
    const gh = githubOpenapi();
    const ex = (p: string) => gh[p]?.example as Record<string, unknown>;
    const repo = ex('/repos/{owner}/{repo}');
    const pull = ex('/repos/{owner}/{repo}/pulls/{pull_number}');
    // Hosts for the reviews (PR 12) and review comments (PR 1) of the examples, which name other PRs.
    const host = (n: number) => ({ ...pull, id: 9000 + n, node_id: `host-${n}`, number: n });
    const dir = tmp();
    ndjson(dir, 'github/repositories.ndjson', [repo]);
    ndjson(dir, 'github/pulls.ndjson', [pull, host(12), host(1)]);
    const commits = ex('/repos/{owner}/{repo}/pulls/{pull_number}/commits') as unknown as unknown[];
    ndjson(dir, 'github/commits.ndjson', commits.map((commit) => ({ repository: 'octocat/Hello-World', pull_number: 1347, commit })));
    ndjson(dir, 'github/reviews.ndjson', ex('/repos/{owner}/{repo}/pulls/{pull_number}/reviews') as unknown as unknown[]);
    ndjson(dir, 'github/review-comments.ndjson', ex('/repos/{owner}/{repo}/pulls/{pull_number}/comments') as unknown as unknown[]);
    ndjson(dir, 'github/issue-comments.ndjson', ex('/repos/{owner}/{repo}/issues/comments') as unknown as unknown[]);
    const sim = await startGithubSimulator({ worldDir: dir, token: TOKEN });
    try {
      const base = `${sim.url}/repos/octocat/Hello-World`;
      expect((await call(base)).body).toEqual(repo);
      expect((await call(`${base}/pulls/1347`)).body).toEqual(pull);
      expect((await call(`${base}/pulls/1347/commits`)).body).toEqual(commits);
      expect((await call(`${base}/pulls/12/reviews`)).body).toEqual(ex('/repos/{owner}/{repo}/pulls/{pull_number}/reviews'));
      expect((await call(`${base}/pulls/1/comments`)).body).toEqual(ex('/repos/{owner}/{repo}/pulls/{pull_number}/comments'));
      expect((await call(`${base}/issues/1347/comments`)).body).toEqual(ex('/repos/{owner}/{repo}/issues/comments'));
    } finally {
      await sim.stop();
    }
  });
});
