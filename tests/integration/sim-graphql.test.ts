/** GitHub GraphQL: the served subset is GitHub's schema, the connector's query runs, cursors and limits behave. */
import { buildClientSchema, buildSchema, parse, type GraphQLNamedType, type IntrospectionQuery } from 'graphql';
import { schema as official, validate as officialValidate } from '@octokit/graphql-schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubSimulator, type RunningSimulator } from '../../simulators';
import { SUBSET_SDL } from '../../simulators/github/graphql/schema';
import { TOKEN, call } from './sim-helpers';

let sim: RunningSimulator;
const gql = <T>(query: string, variables: Record<string, unknown> = {}) => call<T>(`${sim.url}/graphql`, { method: 'POST', body: JSON.stringify({ query, variables }) });

/** The PR page query of the prior connector (prior-system §4.3), with the fields it should have asked for. */
const PR_PAGE = `query getPrBatchWithDetails($owner: String!, $name: String!, $prCursor: String) {
  rateLimit { remaining resetAt cost }
  repository(owner: $owner, name: $name) {
    pullRequests(first: 50, after: $prCursor, orderBy: {field: UPDATED_AT, direction: DESC}) {
      totalCount
      pageInfo { endCursor hasNextPage }
      nodes {
        id number title body state createdAt updatedAt mergedAt closedAt additions deletions changedFiles headRefName baseRefName
        author { login }
        commits(first: 50) { totalCount pageInfo { endCursor hasNextPage } nodes { commit { oid message author { name email date } } } }
        reviews(first: 50) { pageInfo { endCursor hasNextPage } nodes { id state submittedAt author { login } } }
        comments(first: 50) { pageInfo { endCursor hasNextPage } nodes { id body createdAt author { login } } }
        reviewThreads(first: 50) { pageInfo { endCursor hasNextPage } nodes { id isResolved comments(first: 10) { nodes { id body } } } }
      }
    }
  }
}`;

beforeAll(async () => {
  sim = await startGithubSimulator({ scale: 'small', seed: 7, token: TOKEN });
});
afterAll(async () => sim.stop());

describe('GitHub GraphQL simulator', () => {
  it('serves only types, fields and arguments that exist with the same types in GitHub’s schema', () => {
    const json = official.json as { data?: IntrospectionQuery } & IntrospectionQuery;
    const real = buildClientSchema(json.data ?? json);
    const subset = buildSchema(SUBSET_SDL);
    const problems: string[] = [];
    for (const [name, type] of Object.entries(subset.getTypeMap()) as [string, GraphQLNamedType][]) {
      if (name.startsWith('__') || ['String', 'Int', 'Boolean', 'ID', 'Float'].includes(name)) continue;
      const twin = real.getType(name);
      if (!twin) {
        problems.push(`type ${name}`);
        continue;
      }
      if (!('getFields' in type) || !('getFields' in twin)) continue;
      const realFields = (twin as unknown as { getFields(): Record<string, { type: unknown; args?: { name: string; type: unknown }[] }> }).getFields();
      for (const [fname, f] of Object.entries((type as unknown as { getFields(): Record<string, { type: unknown; args?: { name: string; type: unknown }[] }> }).getFields())) {
        const rf = realFields[fname];
        if (!rf || String(rf.type) !== String(f.type)) problems.push(`${name}.${fname}: ${String(f.type)} vs ${String(rf?.type)}`);
        for (const a of f.args ?? []) {
          const ra = rf?.args?.find((x) => x.name === a.name);
          if (!ra || String(ra.type) !== String(a.type)) problems.push(`${name}.${fname}(${a.name})`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('runs the connector PR query, valid for GitHub, and pages every PR by cursor', async () => {
    expect(officialValidate(PR_PAGE)).toEqual([]);
    const repo = sim.world.github.repositories[0] as { name: string; full_name: string };
    const expected = sim.world.github.pulls.filter((p) => ((p.base as { repo: { full_name: string } }).repo.full_name === repo.full_name)).length;
    const seen: number[] = [];
    let cursor: string | null = null;
    let last = Infinity;
    do {
      const res: { body: { data: { rateLimit: { cost: number }; repository: { pullRequests: { pageInfo: { endCursor: string; hasNextPage: boolean }; nodes: { number: number; updatedAt: string; commits: { totalCount: number } }[] } } }; errors?: unknown } } = await gql(PR_PAGE, { owner: sim.world.meta.organization, name: repo.name, prCursor: cursor });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.rateLimit.cost).toBeGreaterThanOrEqual(1);
      const pr = res.body.data.repository.pullRequests;
      for (const n of pr.nodes) {
        expect(Date.parse(n.updatedAt)).toBeLessThanOrEqual(last);
        last = Date.parse(n.updatedAt);
        seen.push(n.number);
      }
      cursor = pr.pageInfo.hasNextPage ? pr.pageInfo.endCursor : null;
    } while (cursor);
    expect(new Set(seen).size).toBe(expected);
  });

  it('returns GitHub’s pagination-boundary, cursor, unknown-field and node-limit errors', async () => {
    const owner = sim.world.meta.organization;
    const name = (sim.world.github.repositories[0] as { name: string }).name;
    const missing = await gql<{ errors: { type: string; message: string }[] }>(`{ repository(owner:"${owner}", name:"${name}") { pullRequests { totalCount } } }`);
    expect(missing.body.errors[0]?.type).toBe('MISSING_PAGINATION_BOUNDARIES');
    const excessive = await gql<{ errors: { type: string; message: string }[] }>(`{ repository(owner:"${owner}", name:"${name}") { pullRequests(first: 101) { totalCount } } }`);
    expect(excessive.body.errors[0]?.type).toBe('EXCESSIVE_PAGINATION');
    expect(excessive.body.errors[0]?.message).toContain('101');
    const badCursor = await gql<{ errors: { type: string }[] }>(`{ repository(owner:"${owner}", name:"${name}") { pullRequests(first: 1, after: "garbage") { totalCount } } }`);
    expect(badCursor.body.errors[0]?.type).toBe('INVALID_CURSOR_ARGUMENTS');
    const unknown = await gql<{ errors: { message: string }[]; data?: unknown }>(`{ repository(owner:"${owner}", name:"${name}") { notAField } }`);
    expect(unknown.body.errors.length).toBe(1);
    expect(unknown.body.data).toBeUndefined();
    const huge = await gql<{ errors: { type: string }[] }>(`{ repository(owner:"${owner}", name:"${name}") { pullRequests(first: 100) { nodes { commits(first: 100) { nodes { id } } reviewThreads(first: 100) { nodes { comments(first: 100) { totalCount } } } } } } }`);
    expect(huge.body.errors[0]?.type).toBe('MAX_NODE_LIMIT_EXCEEDED');
    expect(parse(PR_PAGE).definitions.length).toBe(1);
  });

  it('answers RATE_LIMITED with HTTP 200 when the fault is set, and graphql rate headers otherwise', async () => {
    sim.control.mergeFaults({ errors: [{ kind: 'graphql-rate-limited', times: 1 }] });
    const limited = await gql<{ errors: { type: string }[] }>('{ rateLimit { remaining } }');
    expect(limited.status).toBe(200);
    expect(limited.body.errors[0]?.type).toBe('RATE_LIMITED');
    const ok = await gql<{ data: { rateLimit: { remaining: number } } }>('{ rateLimit { remaining } }');
    expect(ok.body.data.rateLimit.remaining).toBeGreaterThan(0);
    expect(ok.headers.get('x-ratelimit-resource')).toBe('graphql');
  });
});
