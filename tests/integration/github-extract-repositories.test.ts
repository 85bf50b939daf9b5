import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { generateWorld, startGithubSimulator, type RunningSimulator } from '../../simulators';
import { GithubClient } from '../../workers/connectors/github/client';
import { repositoriesPage } from '../../workers/connectors/github/extract/repositories';
import { SourceRejectedError } from '../../workers/connectors/http/source-errors';
import type { ExtractRequest, IntegrationInfo } from '../../workers/pipeline/connector';
import { RateLimitedError } from '../../workers/pipeline/rate-limited';
import { crawl, type Crawl } from './support/crawl';

/**
 * Repository discovery against the GitHub simulator: every repository once whatever the patterns,
 * past the search API's 1000-result cap by splitting on creation date, repositories named by Jira
 * links, and GitHub's rate-limit and permission answers told apart.
 */
const TOKEN = 'gh-extract-token';

const extract = (request: ExtractRequest) => repositoriesPage(request, new GithubClient(request.integration, request.secret ?? null, request.signal, request.previousRateLimits ?? 0));

const integrationAt = (url: string, settings: Record<string, unknown>): IntegrationInfo => ({ id: 7, tenantId: 1, provider: 'github', baseUrl: url, settings: { organization: 'sluice-demo', ...settings } });

const reposFound = (c: Crawl): string[] => [...new Set(c.pages.flatMap((p) => (p.children ?? []).filter((x) => x.stream === 'pull_requests').map((x) => x.partition)))].sort();

describe('GitHub repository discovery against the simulator', () => {
  const world = generateWorld({ scale: { projects: 1, issues: 20, repositories: 1300, pulls: 100, sprintsPerProject: 1 }, seed: 5 });
  const allRepos = world.github.repositories.map((r) => r.full_name).sort();
  let sim: RunningSimulator;

  beforeAll(async () => {
    // Search is 30 requests a minute on GitHub; the simulator enforces it unless told otherwise.
    sim = await startGithubSimulator({ world, token: TOKEN, rateLimits: { search: 1000 } });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('finds all 1,300 repositories by splitting the query on creation date past the 1000-result cap', async () => {
    const c = await crawl({ integration: integrationAt(sim.url, {}), secret: TOKEN, roots: [{ stream: 'repositories' }], extractPage: extract, follow: ['repositories'] });
    expect(reposFound(c)).toEqual(allRepos);
    const root = c.pages.find((p) => p.partition === null)!;
    expect(root.params).toMatchObject({ q: 'org:sluice-demo', totalCount: 1300, splitInto: [expect.stringContaining('created:'), expect.stringContaining('created:')] });
    // No slice was read past the cap: every query page asked for is within its first 1000 results.
    expect(c.pages.every((p) => !(p.params as { capped?: boolean }).capped)).toBe(true);
  }, 120_000);

  it('ORs name patterns, and reads a repository named by Jira links even when the search does not cover it', async () => {
    const [first, second] = allRepos;
    const nameOf = (full: string): string => full.split('/')[1]!;
    const c = await crawl({
      integration: integrationAt(sim.url, { repositoryPatterns: [nameOf(first!)] }),
      secret: TOKEN,
      roots: [{ stream: 'repositories' }, { stream: 'repositories', partition: `repo:${second!.toLowerCase()}` }, { stream: 'repositories', partition: 'repo:sluice-demo/deleted-long-ago' }],
      extractPage: extract,
      follow: ['repositories'],
    });
    const found = reposFound(c);
    expect(found).toContain(first);
    expect(found).toContain(second);
    expect(found.every((f) => f.includes(nameOf(first!)) || f === second)).toBe(true);
    const missing = c.pages.find((p) => p.partition === 'repo:sluice-demo/deleted-long-ago')!;
    expect(missing).toMatchObject({ recordCount: 0, params: { missing: true }, children: [] });
  }, 60_000);

  it('tells a secondary rate limit (wait) from a permission refusal (fail, never retry)', async () => {
    const integration = integrationAt(sim.url, {});
    const request: ExtractRequest = { integration, step: 'repositories', stream: 'repositories', partition: null, cursor: null, signal: new AbortController().signal, secret: TOKEN };
    sim.control.setFaults({ errors: [{ kind: 'github-secondary', retryAfterSeconds: 2 }] });
    const before = Date.now();
    const limited = await extract(request).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as RateLimitedError).resetAt).toBeGreaterThanOrEqual(before + 2_000);
    expect((limited as RateLimitedError).resetAt).toBeLessThan(before + 10_000);

    sim.control.setFaults({ errors: [{ kind: 'github-secondary' }] });
    const noHeader = (await extract(request).catch((e: unknown) => e)) as RateLimitedError;
    expect(noHeader).toBeInstanceOf(RateLimitedError);
    expect(noHeader.resetAt - Date.now()).toBeGreaterThan(55_000); // at least a minute without retry-after

    sim.control.setFaults({ errors: [{ kind: 'forbidden' }] });
    const refused = await extract(request).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SourceRejectedError);
    expect(refused).toMatchObject({ status: 403 });
    expect((refused as Error).message).toMatch(/lacks permission/);
    sim.control.clearFaults();
  });
});
