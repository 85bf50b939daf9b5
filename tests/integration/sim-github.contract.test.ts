/**
 * Contract: GitHub REST responses validate against the official OpenAPI schemas (the subset extracted from
 * @octokit/openapi into simulators/contract-fixtures), with Link pagination, caps and rate headers.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubSimulator, type RunningSimulator } from '../../simulators';
import { TOKEN, call, githubOpenapi, openapiToJsonSchema } from './sim-helpers';

let sim: RunningSimulator;
const spec = githubOpenapi();
// OpenAPI 3.0 schemas converted to JSON Schema (nullable); vendor keywords and formats are not checked.
const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
const validators = new Map<string, ValidateFunction>();

function valid(path: string, body: unknown): void {
  let v = validators.get(path);
  if (!v) {
    v = ajv.compile(openapiToJsonSchema(spec[path]?.schema) as object);
    validators.set(path, v);
  }
  if (!v(body)) throw new Error(`GET ${path} does not match the OpenAPI schema: ${ajv.errorsText(v.errors?.slice(0, 3))}`);
}

function links(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(',')) {
    const m = /<([^>]+)>;\s*rel="(\w+)"/.exec(part.trim());
    if (m) out[m[2] as string] = m[1] as string;
  }
  return out;
}

beforeAll(async () => {
  sim = await startGithubSimulator({ scale: 'small', seed: 7, token: TOKEN });
});
afterAll(async () => sim.stop());

describe('GitHub REST simulator contract', () => {
  const org = () => sim.world.meta.organization;
  const repo = () => sim.world.github.repositories[0]?.full_name as string;
  const heavy = () => sim.world.github.pulls.find((p) => p.commits === 260) as unknown as { number: number; base: { repo: { full_name: string } } };

  it('answers search, repo, pulls, pull, commits, reviews and comments in the official shapes', async () => {
    const search = await call(`${sim.url}/search/repositories?q=${encodeURIComponent(`org:${org()} api in:name`)}&sort=updated&order=asc&per_page=100`);
    valid('/search/repositories', search.body);
    valid('/repos/{owner}/{repo}', (await call(`${sim.url}/repos/${repo()}`)).body);
    valid('/orgs/{org}/repos', (await call(`${sim.url}/orgs/${org()}/repos`)).body);
    const pulls = await call<{ number: number }[]>(`${sim.url}/repos/${repo()}/pulls?state=all&sort=updated&direction=desc&per_page=100`);
    valid('/repos/{owner}/{repo}/pulls', pulls.body);
    expect(pulls.body.length).toBeGreaterThan(0);
    const h = heavy();
    const base = `${sim.url}/repos/${h.base.repo.full_name}/pulls/${h.number}`;
    const full = (await call<Record<string, unknown>>(base)).body;
    valid('/repos/{owner}/{repo}/pulls/{pull_number}', full);
    expect(() => valid('/repos/{owner}/{repo}/pulls/{pull_number}', { ...full, number: 'x' })).toThrow(/OpenAPI/);
    valid('/repos/{owner}/{repo}/pulls/{pull_number}/commits', (await call(`${base}/commits?per_page=100`)).body);
    valid('/repos/{owner}/{repo}/pulls/{pull_number}/reviews', (await call(`${base}/reviews?per_page=100`)).body);
    valid('/repos/{owner}/{repo}/pulls/{pull_number}/comments', (await call(`${base}/comments`)).body);
    valid('/repos/{owner}/{repo}/pulls/comments', (await call(`${sim.url}/repos/${repo()}/pulls/comments`)).body);
    valid('/repos/{owner}/{repo}/issues/comments', (await call(`${sim.url}/repos/${repo()}/issues/comments`)).body);
    valid('/repos/{owner}/{repo}/commits', (await call(`${sim.url}/repos/${repo()}/commits`)).body);
    valid('/rate_limit', (await call(`${sim.url}/rate_limit`)).body);
  });

  it('paginates with Link headers, clamps per_page to 100 and caps PR commits at 250', async () => {
    const h = heavy();
    let url: string | undefined = `${sim.url}/repos/${h.base.repo.full_name}/pulls/${h.number}/commits?per_page=500`;
    let total = 0;
    let pages = 0;
    while (url) {
      const res: { headers: Headers; body: unknown[] } = await call(url);
      total += res.body.length;
      pages += 1;
      expect(res.body.length).toBeLessThanOrEqual(100);
      const l = links(res.headers.get('link'));
      if (pages === 1) expect(Object.keys(l).sort()).toEqual(['last', 'next']);
      url = l.next;
      if (!url) expect(Object.keys(l).sort()).toEqual(['first', 'prev']);
    }
    expect(total).toBe(250);
    expect(pages).toBe(3);
    const reviews = await call<unknown[]>(`${sim.url}/repos/${h.base.repo.full_name}/pulls/${h.number}/reviews?per_page=100&page=2`);
    expect(reviews.body.length).toBe(20); // 120 reviews in pages of 100
    const one = await call(`${sim.url}/repos/${repo()}`);
    expect(one.headers.get('link')).toBeNull();
  });

  it('caps search at 1000 results and puts x-ratelimit-* on every response', async () => {
    const far = await call<{ message: string }>(`${sim.url}/search/repositories?q=org:${org()}&per_page=100&page=11`);
    expect(far.status).toBe(422);
    expect(far.body.message).toContain('1000');
    expect(far.headers.get('x-ratelimit-resource')).toBe('search');
    const ok = await call(`${sim.url}/repos/${repo()}/pulls`);
    for (const h of ['limit', 'remaining', 'used', 'reset', 'resource']) expect(ok.headers.get(`x-ratelimit-${h}`)).not.toBeNull();
    expect(Number(ok.headers.get('x-ratelimit-reset'))).toBeLessThan(Date.now() / 1000 + 3601);
    const before = Number(ok.headers.get('x-ratelimit-remaining'));
    const rl = await call<{ resources: { core: { remaining: number } } }>(`${sim.url}/rate_limit`);
    expect(rl.body.resources.core.remaining).toBe(before); // /rate_limit is free
  });

  it('requires a Bearer or token credential', async () => {
    const bad = await call<{ message: string }>(`${sim.url}/repos/${repo()}`, { auth: null });
    expect(bad.status).toBe(401);
    expect(bad.body.message).toBe('Bad credentials');
    expect((await call(`${sim.url}/repos/${repo()}`, { auth: `token ${TOKEN}` })).status).toBe(200);
    expect((await call(`${sim.url}/repos/nobody/nothing`)).status).toBe(404);
  });

  it('links PRs to real Jira issue keys through titles, branches and commits', () => {
    const keys = new Set(sim.world.jira.issues.map((i) => i.key));
    const keyed = sim.world.github.pulls.filter((p) => /^\[([A-Z]+-\d+)\]/.test(String(p.title)));
    expect(keyed.length).toBeGreaterThan(sim.world.github.pulls.length / 2);
    for (const p of keyed) {
      const key = /^\[([A-Z]+-\d+)\]/.exec(String(p.title))?.[1] as string;
      expect(keys.has(key)).toBe(true);
      expect(String((p.head as { ref: string }).ref)).toContain(key);
    }
  });
});
