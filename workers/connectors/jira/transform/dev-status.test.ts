import { describe, expect, it } from 'vitest';

import { PermanentError } from '../../../queue/errors';
import { parseDevStatusPartition, transformDevStatus } from './dev-status';

const pr = (n: number, repo = 'Sluice-Demo/Payments-API', extra: Record<string, unknown> = {}) => ({
  id: `#${n}`,
  name: `Fix ${n}`,
  url: `https://github.com/${repo}/pull/${n}`,
  status: 'MERGED',
  source: { branch: `feature/ENG-7-${n}`, url: 'x' },
  destination: { branch: 'main' },
  lastCommit: { id: `abc${n}`, displayId: 'abc' },
  repositoryId: '42',
  repositoryName: repo,
  repositoryUrl: `https://github.com/${repo}`,
  ...extra,
});

describe('dev-status transform', () => {
  it('links each pull request to the issue with normalised keys, replacing the issue\'s dev-status links', () => {
    const body = { errors: [], detail: [{ pullRequests: [pr(12), pr(12), pr(3, 'other/repo', { repositoryName: 'repo', id: null })], branches: [] }] };
    const out = transformDevStatus(body, '10042:eng-7');
    expect(out.work_items_prs_links).toEqual([
      { source: 'jira_dev_status', work_item_key: 'ENG-7', work_item_external_id: '10042', repo_full_name: 'sluice-demo/payments-api', pr_number: 12, external_repo_id: '42', pr_external_id: null, branch_name: 'feature/ENG-7-12', commit_sha: 'abc12', pr_status: 'MERGED', pr_url: 'https://github.com/Sluice-Demo/Payments-API/pull/12' },
      expect.objectContaining({ repo_full_name: 'other/repo', pr_number: 3 }),
    ]);
    expect(out.replaced_sets).toEqual([{ table: 'work_items_prs_links', value: 'ENG-7' }]);
  });

  it('has no links (and still replaces the set) when the issue has no pull requests', () => {
    expect(transformDevStatus({ errors: [], detail: [] }, '1:ENG-1')).toEqual({ work_items_prs_links: [], replaced_sets: [{ table: 'work_items_prs_links', value: 'ENG-1' }] });
  });

  it('refuses a pull request without a repository or number, and a bad partition', () => {
    expect(() => transformDevStatus({ detail: [{ pullRequests: [{ id: 'x', url: 'https://example.com/' }] }] }, '1:ENG-1')).toThrow(PermanentError);
    expect(() => parseDevStatusPartition('ENG-1')).toThrow(/<issueId>:<issueKey>/);
    expect(() => parseDevStatusPartition(null)).toThrow(PermanentError);
  });
});
