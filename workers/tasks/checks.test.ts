import { describe, expect, it } from 'vitest';

import { GithubSettings, JiraSettings } from '../../shared/connectors/settings';
import { runChecks } from './checks';
import { graphqlUrl, repositoryQuery } from './github';
import { RequestFailure } from './http';
import { checkJql } from './jira';

describe('runChecks', () => {
  it('keeps going after a soft failure, and marks the rest not tried after a fatal one', async () => {
    const results = await runChecks([
      { name: 'One', run: async () => 'fine.' },
      { name: 'Two', run: async () => ({ ok: false, detail: 'Project X is not visible.' }) },
      { name: 'Three', run: () => Promise.reject(new RequestFailure('network', 'could not reach x (ECONNREFUSED)')) },
      { name: 'Four', run: async () => 'never run' },
    ]);
    expect(results).toEqual([
      { name: 'One', ok: true, detail: 'fine.' },
      { name: 'Two', ok: false, detail: 'Project X is not visible.' },
      { name: 'Three', ok: false, detail: 'Could not reach x (ECONNREFUSED).' },
      { name: 'Four', ok: false, detail: 'Not tried: the Three check failed.' },
    ]);
  });

  it('does not block later checks on a non-fatal HTTP failure (403, 400)', async () => {
    const results = await runChecks([
      { name: 'A', run: () => Promise.reject(new RequestFailure('http', 'permission denied (403)', 403)) },
      { name: 'B', run: async () => 'ok.' },
    ]);
    expect(results.map((r) => r.ok)).toEqual([false, true]);
  });
});

describe('provider queries', () => {
  const jira = (s: Partial<JiraSettings>) => ({ provider: 'jira' as const, baseUrl: 'https://x', token: 't', settings: JiraSettings.parse(s) });
  it('bounds the Jira check search by projects and base JQL, or by a recent window', () => {
    expect(checkJql(jira({ projectKeys: ['ENG', 'OPS'], baseJql: 'issuetype != Epic' }))).toBe('project IN (ENG, OPS) AND (issuetype != Epic) ORDER BY updated DESC');
    expect(checkJql(jira({}))).toBe('updated >= -30d ORDER BY updated DESC');
  });

  it('finds GitHub GraphQL next to the REST base, on github.com and Enterprise Server', () => {
    expect(graphqlUrl('https://api.github.com')).toBe('https://api.github.com/graphql');
    expect(graphqlUrl('https://ghe.acme.io/api/v3/')).toBe('https://ghe.acme.io/api/graphql');
    const gh = (s: Partial<GithubSettings>) => ({ provider: 'github' as const, baseUrl: 'https://x', token: 't', settings: GithubSettings.parse({ organization: 'acme', ...s }) });
    expect(repositoryQuery(gh({}))).toBe('org:acme');
    expect(repositoryQuery(gh({ repositoryPatterns: ['api-', 'web'] }))).toBe('org:acme api- in:name OR web in:name');
  });
});
