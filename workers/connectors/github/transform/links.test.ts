import { describe, expect, it } from 'vitest';

import { commitLinks, issueKeys, prLinks } from './links';
import type { CommitRow } from './rows';

const pr = { prId: 'PR_1', number: 7, repoFullName: 'Acme/Widgets', repoExternalId: '42' };

const commitRow = (oid: string, message: string, authored_at: string): CommitRow => ({
  pr_external_id: 'PR_1',
  oid,
  message,
  author_name: null,
  author_email: null,
  author_login: null,
  committer_name: null,
  committer_email: null,
  committer_login: null,
  authored_at,
  committed_at: authored_at,
});

describe('issue keys', () => {
  it.each([
    ['[ENG-12] Add login', ['ENG-12']],
    ['feature/ENG-12-add-login', ['ENG-12']],
    ['ENG-12_fix and OPS_2-7: both', ['ENG-12', 'OPS_2-7']],
    ['Fixes ENG-12, ENG-13 and ENG-12 again', ['ENG-12', 'ENG-13']],
    ['(A1-3)', ['A1-3']],
    ['ENG-007 is ENG-7', ['ENG-7']],
    ['Merge branch "release/CORE-40"', ['CORE-40']],
  ])('%s names %j', (text, keys) => {
    expect(issueKeys(text)).toEqual(keys);
  });

  it.each([
    ['lower case eng-12 is not a key', 'eng-12'],
    ['a letter before: xENG-12', 'xENG-12'],
    ['a letter after: ENG-12a', 'ENG-12a'],
    ['a digit before: 1ENG-12', '1ENG-12'],
    ['one-letter project: E-12', 'E-12'],
    ['no number: ENG-', 'ENG-'],
    ['a version: v1.2-3', 'v1.2-3'],
  ])('%s', (_why, text) => {
    expect(issueKeys(text)).toEqual([]);
  });
});

describe('link rows', () => {
  it('from the title and the branch, each with its source, repository lower case', () => {
    const rows = prLinks({ ...pr, title: '[ENG-12] Add login (see OPS-3)', branch: 'feature/ENG-12-login', state: 'OPEN', url: 'https://github.com/Acme/Widgets/pull/7' });
    expect(rows.map((r) => [r.source, r.work_item_key])).toEqual([
      ['pr_title', 'ENG-12'],
      ['pr_title', 'OPS-3'],
      ['pr_branch', 'ENG-12'],
    ]);
    expect(rows[0]).toEqual({
      source: 'pr_title',
      work_item_key: 'ENG-12',
      repo_full_name: 'acme/widgets',
      pr_number: 7,
      external_repo_id: '42',
      pr_external_id: 'PR_1',
      branch_name: 'feature/ENG-12-login',
      commit_sha: null,
      pr_status: 'OPEN',
      pr_url: 'https://github.com/Acme/Widgets/pull/7',
    });
  });

  it('from commit messages: one row per key, naming the earliest commit that mentions it', () => {
    const rows = commitLinks(pr, [
      commitRow('c'.repeat(40), 'ENG-12 later', '2024-01-03T00:00:00.000Z'),
      commitRow('b'.repeat(40), 'ENG-12 first, and OPS-3', '2024-01-01T00:00:00.000Z'),
      commitRow('a'.repeat(40), 'OPS-3 same time, smaller oid', '2024-01-01T00:00:00.000Z'),
      commitRow('d'.repeat(40), 'wip', '2024-01-02T00:00:00.000Z'),
    ]);
    expect(rows.map((r) => [r.source, r.work_item_key, r.commit_sha])).toEqual([
      ['commit_message', 'ENG-12', 'b'.repeat(40)],
      ['commit_message', 'OPS-3', 'a'.repeat(40)],
    ]);
    expect(rows[0]).toMatchObject({ repo_full_name: 'acme/widgets', pr_number: 7, pr_external_id: 'PR_1', branch_name: null, pr_status: null });
  });
});
