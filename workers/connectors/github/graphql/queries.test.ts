import { schema as official, validate as officialValidate } from '@octokit/graphql-schema';
import { buildClientSchema, parse, validate, type IntrospectionQuery } from 'graphql';
import { describe, expect, it } from 'vitest';

import {
  ALL_QUERIES,
  fittingThreadCommentsPageSize,
  MAX_QUERY_NODES,
  NESTED_CONNECTIONS,
  nestedPartition,
  nestedQuery,
  nestedRequest,
  parseNestedPartition,
  PR_PAGE_QUERY,
  prPageNodeCount,
  prPageVariables,
} from './queries';

/**
 * Every document against GitHub's published schema (@octokit/graphql-schema), both through the
 * package's own `validate` and through graphql-js on the introspection result. The simulator's served
 * subset is checked in tests/integration/github-queries.test.ts (workers may not import simulators).
 */
const json = official.json as { data?: IntrospectionQuery } & IntrospectionQuery;
const github = buildClientSchema(json.data ?? json);

describe('GitHub GraphQL documents', () => {
  it.each(Object.entries(ALL_QUERIES))('%s is valid against GitHub’s schema', (name, query) => {
    expect(officialValidate(query).map((e) => e.message)).toEqual([]);
    const doc = parse(query);
    expect(validate(github, doc).map((e) => e.message)).toEqual([]);
    expect(doc.definitions.filter((d) => d.kind === 'OperationDefinition').map((d) => ('name' in d ? d.name?.value : undefined))).toEqual([name]);
  });

  it('the PR page asks for every field the tables and metrics need (what the prior query missed)', () => {
    for (const field of ['additions', 'deletions', 'changedFiles', 'headRefName', 'baseRefName', 'closedAt', 'submittedAt', 'committer', 'authoredDate', 'reviewThreads', 'totalCount', 'endCursor']) {
      expect(PR_PAGE_QUERY, field).toContain(field);
    }
    expect(PR_PAGE_QUERY).toContain('orderBy: {field: UPDATED_AT, direction: DESC}');
  });

  it('has a continuation for every nested connection, each naming its PR', () => {
    for (const c of NESTED_CONNECTIONS) {
      expect(nestedQuery(c)).toContain('node(id: $id)');
      expect(nestedQuery(c)).toMatch(/number repository \{ databaseId nameWithOwner \}/);
    }
    expect(nestedQuery('threadComments')).toContain('... on PullRequestReviewThread');
  });
});

describe('variables', () => {
  it('a PR page: repository split, nested pages as big as the PR page, thread comments within the node limit', () => {
    expect(prPageVariables({ fullName: 'acme/widgets', cursor: null, pageSize: 50 })).toEqual({ owner: 'acme', name: 'widgets', cursor: null, pageSize: 50, nestedPageSize: 50, threadCommentsPageSize: 50 });
    const big = prPageVariables({ fullName: 'acme/widgets', cursor: 'abc', pageSize: 100 });
    expect(big.threadCommentsPageSize).toBe(45);
    expect(prPageNodeCount(100, 100, big.threadCommentsPageSize)).toBeLessThanOrEqual(MAX_QUERY_NODES);
    expect(prPageNodeCount(100, 100, big.threadCommentsPageSize + 1)).toBeGreaterThan(MAX_QUERY_NODES);
    expect(fittingThreadCommentsPageSize(10, 2)).toBe(2);
  });

  it('refuses what GitHub would refuse, saying what to fix', () => {
    expect(() => prPageVariables({ fullName: 'widgets', cursor: null, pageSize: 10 })).toThrow(/"owner\/name", got "widgets"/);
    expect(() => prPageVariables({ fullName: 'a/b', cursor: null, pageSize: 101 })).toThrow(/pageSize must be an integer from 1 to 100/);
    expect(() => prPageVariables({ fullName: 'a/b', cursor: null, pageSize: 0 })).toThrow(RangeError);
    expect(() => prPageVariables({ fullName: 'a/b', cursor: null, pageSize: 100, threadCommentsPageSize: 100 })).toThrow(/over GitHub's 500000/);
  });

  it('a pr_nested partition round-trips and picks its document', () => {
    expect(parseNestedPartition(nestedPartition('PR_kwDO9BCCF0162F', 'reviewThreads'))).toEqual({ nodeId: 'PR_kwDO9BCCF0162F', connection: 'reviewThreads' });
    expect(parseNestedPartition('MDExOlB1bGxSZXF1ZXN0MQ==:commits')).toEqual({ nodeId: 'MDExOlB1bGxSZXF1ZXN0MQ==', connection: 'commits' });
    expect(() => parseNestedPartition('PR_1')).toThrow(/"<nodeId>:<connection>"/);
    expect(() => parseNestedPartition('PR_1:files')).toThrow(RangeError);
    expect(() => parseNestedPartition(':commits')).toThrow(RangeError);
    expect(() => nestedPartition('a:b', 'commits')).toThrow(RangeError);
    expect(nestedRequest('PR_1:commits', 'c1', 50)).toEqual({ query: nestedQuery('commits'), variables: { id: 'PR_1', cursor: 'c1', pageSize: 50 } });
    expect(nestedRequest('PR_1:reviewThreads', 'c2', 50, 10).variables).toEqual({ id: 'PR_1', cursor: 'c2', pageSize: 50, threadCommentsPageSize: 10 });
    expect(nestedRequest('PRRT_1:threadComments', 'c3', 20).query).toBe(nestedQuery('threadComments'));
  });
});
