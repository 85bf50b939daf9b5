/** Fault switches, set at start, through the in-process control and through `/__control` over HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWorld, startGithubSimulator, startJiraSimulator, type RunningSimulator } from '../../simulators';
import { TOKEN, call } from './sim-helpers';

let jira: RunningSimulator;
let github: RunningSimulator;
const JQL = encodeURIComponent('project in (CORE, PAY) ORDER BY updated ASC');

beforeAll(async () => {
  const world = generateWorld({ scale: 'small', seed: 3 });
  jira = await startJiraSimulator({ world, token: TOKEN, faults: { pageSize: 7 } });
  github = await startGithubSimulator({ world, token: TOKEN });
});
afterAll(async () => {
  await jira.stop();
  await github.stop();
});

describe('simulator faults', () => {
  it('forces page sizes from the start options', async () => {
    const res = await call<{ issues: unknown[] }>(`${jira.url}/rest/api/3/search/jql?jql=${JQL}&maxResults=100&fields=summary`);
    expect(res.body.issues.length).toBe(7);
  });

  it('answers Jira 429s with Retry-After, with only X-RateLimit-Reset, with neither, and 503s', async () => {
    jira.control.mergeFaults({ errors: [
      { kind: '429-retry-after', retryAfterSeconds: 3 },
      { kind: '429-reset-only' },
      { kind: '429-bare' },
      { kind: '503', retryAfterSeconds: 1 },
    ] });
    const url = `${jira.url}/rest/api/3/field`;
    const a = await call<{ errorMessages: string[] }>(url);
    expect([a.status, a.headers.get('retry-after')]).toEqual([429, '3']);
    expect(a.body.errorMessages.length).toBe(1);
    const b = await call(url);
    expect([b.status, b.headers.get('retry-after')]).toEqual([429, null]);
    expect(b.headers.get('x-ratelimit-reset')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
    const c = await call(url);
    expect([c.status, c.headers.get('retry-after'), c.headers.get('x-ratelimit-reset')]).toEqual([429, null, null]);
    const d = await call(url);
    expect([d.status, d.headers.get('retry-after')]).toEqual([503, '1']);
    expect((await call(url)).status).toBe(200);
  });

  it('counts a budget down to rate-limited answers and flags NearLimit', async () => {
    const set = await call(`${jira.url}/__control/faults`, { method: 'POST', body: JSON.stringify({ budget: 2, nearLimit: true }) });
    expect(set.status).toBe(200);
    const one = await call(`${jira.url}/rest/api/3/status`);
    expect([one.status, one.headers.get('x-ratelimit-remaining'), one.headers.get('x-ratelimit-nearlimit')]).toEqual([200, '1', 'true']);
    expect((await call(`${jira.url}/rest/api/3/status`)).status).toBe(200);
    const out = await call(`${jira.url}/rest/api/3/status`);
    expect([out.status, out.headers.get('retry-after')]).toEqual([429, '60']);
    await call(`${jira.url}/__control/faults`, { method: 'POST', body: JSON.stringify({ budget: null, nearLimit: false }) });
    expect((await call(`${jira.url}/rest/api/3/status`)).status).toBe(200);
    const bad = await call<{ message: string }>(`${jira.url}/__control/faults`, { method: 'POST', body: JSON.stringify({ pageSize: 'big' }) });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('pageSize');
  });

  it('updates records between pages, so an offset-paged sync sees them move to the end', async () => {
    jira.control.mergeFaults({ updateBetweenPages: 2 });
    const first = await call<{ issues: { key: string }[]; nextPageToken: string }>(`${jira.url}/rest/api/3/search/jql?jql=${JQL}`);
    jira.control.mergeFaults({ updateBetweenPages: 0 });
    const all = await call<{ issues: { key: string }[] }>(`${jira.url}/rest/api/3/search/jql?jql=${JQL}&maxResults=5000`);
    expect(all.body.issues.length).toBe(7); // the forced page size still applies
    const latest = jira.world.jira.issues.map((i) => i.fields.updated as string).sort().at(-1) as string;
    expect(Date.parse(latest.replace('+0000', 'Z'))).toBeGreaterThan(Date.now() - 60_000);
    expect(first.body.nextPageToken).toBeTruthy();
    const changed = await call<{ updated: string[] }>(`${jira.url}/__control/update-issues`, { method: 'POST', body: JSON.stringify({ count: 3 }) });
    expect(changed.body.updated.length).toBe(3);
  });

  it('serves a poison record on the chosen page only', async () => {
    jira.control.mergeFaults({ poison: { page: 2, path: '/search/jql' } });
    const p1 = await call<{ issues: { fields: { updated: string } }[]; nextPageToken: string }>(`${jira.url}/rest/api/3/search/jql?jql=${JQL}&fields=updated,issuetype`);
    expect(p1.body.issues.every((i) => !Number.isNaN(Date.parse(i.fields.updated.replace('+0000', 'Z'))))).toBe(true);
    const p2 = await call<{ issues: { fields: { updated: string; issuetype: unknown } }[] }>(`${jira.url}/rest/api/3/search/jql?jql=${JQL}&fields=updated,issuetype&nextPageToken=${encodeURIComponent(p1.body.nextPageToken)}`);
    expect(p2.body.issues[0]?.fields.issuetype).toBe('BROKEN');
    jira.control.clearFaults();
  });

  it('answers GitHub primary and secondary limits, permission errors, and alternate Link paths', async () => {
    const repo = github.world.github.repositories[0]?.full_name as string;
    github.control.mergeFaults({ errors: [
      { kind: 'github-primary', status: 429, retryAfterSeconds: 30 },
      { kind: 'github-secondary', retryAfterSeconds: 5 },
      { kind: 'github-secondary' },
      { kind: 'forbidden' },
    ] });
    const url = `${github.url}/repos/${repo}`;
    const p = await call<{ message: string }>(url);
    expect([p.status, p.headers.get('x-ratelimit-remaining')]).toEqual([429, '0']);
    expect(Number(p.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 + 20);
    const s = await call<{ message: string }>(url);
    expect([s.status, s.headers.get('retry-after')]).toEqual([403, '5']);
    expect(s.body.message).toContain('secondary rate limit');
    const s2 = await call(url);
    expect([s2.status, s2.headers.get('retry-after')]).toEqual([403, null]);
    expect(Number(s2.headers.get('x-ratelimit-remaining'))).toBeGreaterThan(0);
    const f = await call<{ message: string }>(url);
    expect(f.status).toBe(403);
    expect(f.body.message).not.toContain('rate limit');
    github.control.setFaults({ alternateLinks: true, pageSize: 2 });
    const pulls = await call<unknown[]>(`${github.url}/repos/${repo}/pulls?state=all`);
    expect(pulls.body.length).toBe(2);
    const next = /<([^>]+)>; rel="next"/.exec(pulls.headers.get('link') ?? '')?.[1] as string;
    expect(next).toMatch(/\/repositories\/\d+\/pulls\?/);
    expect((await call<unknown[]>(next)).body.length).toBe(2);
    github.control.clearFaults();
    const upd = await call<{ updated: string[] }>(`${github.url}/__control/update-pulls`, { method: 'POST', body: JSON.stringify({ count: 2 }) });
    expect(upd.body.updated.length).toBe(2);
  });

  it('answers a renamed repository with 301 to its id URL, which serves the same data', async () => {
    const repo = github.world.github.repositories[0] as { full_name: string; id: number };
    const [owner] = repo.full_name.split('/');
    github.control.setFaults({ renamedRepositories: { [`${owner}/old-name`]: repo.full_name } });
    const moved = await fetch(`${github.url}/repos/${owner}/old-name/pulls?state=all&per_page=3`, { headers: { authorization: `Bearer ${TOKEN}` }, redirect: 'manual' });
    expect(moved.status).toBe(301);
    const location = moved.headers.get('location') ?? '';
    expect(location).toBe(`${github.url}/repositories/${repo.id}/pulls?state=all&per_page=3`);
    const followed = await call<unknown[]>(location);
    const direct = await call<unknown[]>(`${github.url}/repos/${repo.full_name}/pulls?state=all&per_page=3`);
    expect(followed.body).toEqual(direct.body);
    github.control.clearFaults();
    expect((await call(`${github.url}/repos/${owner}/old-name`)).status).toBe(404);
  });

  it('slows responses when asked', async () => {
    jira.control.setFaults({ latencyMs: 150 });
    const t = performance.now();
    await call(`${jira.url}/rest/api/3/status`);
    expect(performance.now() - t).toBeGreaterThanOrEqual(140);
    jira.control.clearFaults();
  });
});
