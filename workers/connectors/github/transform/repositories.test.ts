import { describe, expect, it } from 'vitest';

import { PermanentError } from '../../../queue/errors';
import { transformRepositories } from './repositories';

const repo = {
  id: 500000,
  node_id: 'R_kgDO',
  name: 'api',
  full_name: 'Sluice-Demo/api',
  owner: { login: 'Sluice-Demo', id: 9 },
  private: true,
  html_url: 'https://github.com/Sluice-Demo/api',
  description: null,
  fork: false,
  language: 'Go',
  default_branch: 'main',
  visibility: 'private',
  archived: false,
  disabled: false,
  is_template: false,
  topics: ['etl'],
  license: { key: 'mit', spdx_id: 'MIT' },
  stargazers_count: 3,
  forks_count: 0,
  open_issues_count: 1,
  size: 1200,
  created_at: '2023-01-01T00:00:00Z',
  updated_at: '2024-01-01T00:00:00Z',
  pushed_at: null,
  permissions: { admin: false },
};

describe('repositories transform', () => {
  it('maps a search page and a single repository alike', () => {
    const fromSearch = transformRepositories({ total_count: 1, incomplete_results: false, items: [repo] });
    expect(fromSearch).toEqual([
      {
        external_id: '500000',
        node_id: 'R_kgDO',
        name: 'api',
        full_name: 'Sluice-Demo/api',
        owner_login: 'Sluice-Demo',
        description: null,
        language: 'Go',
        default_branch: 'main',
        visibility: 'private',
        is_private: true,
        is_fork: false,
        is_archived: false,
        is_disabled: false,
        is_template: false,
        topics: ['etl'],
        license: 'MIT',
        stargazers_count: 3,
        forks_count: 0,
        open_issues_count: 1,
        size_kb: 1200,
        html_url: 'https://github.com/Sluice-Demo/api',
        github_created_at: '2023-01-01T00:00:00.000Z',
        github_updated_at: '2024-01-01T00:00:00.000Z',
        pushed_at: null,
      },
    ]);
    expect(transformRepositories(repo)).toEqual(fromSearch);
    expect(transformRepositories({ total_count: 0, incomplete_results: false, items: [] })).toEqual([]);
    // A Jira-linked repository GitHub does not show (404/403): the extract stores null.
    expect(transformRepositories(null)).toEqual([]);
  });

  it('keeps optional fields optional and refuses a repository without its identity', () => {
    const { license: _l, topics: _t, visibility: _v, ...minimal } = repo;
    expect(transformRepositories(minimal)[0]).toMatchObject({ license: null, topics: [], visibility: null });
    expect(() => transformRepositories({ ...repo, full_name: 'no-slash' })).toThrow(PermanentError);
    expect(() => transformRepositories({ message: 'Not Found' })).toThrow(/repository payload does not match/);
    expect(() => transformRepositories({ total_count: 1, incomplete_results: false, items: [{ ...repo, id: 'x' }] })).toThrow(/repository search payload .*items\.0\.id/);
  });
});
