import { describe, expect, it } from 'vitest';

import { PermanentError } from '../../../queue/errors';
import { connection, prPage, pullRequest } from '../sample-payloads';
import { transformPrPage } from './pull-requests';

describe('PR page transform', () => {
  it('a PR row with its fields, totals and branches; nested first pages; links from title, branch and commits', () => {
    const rows = transformPrPage(prPage([pullRequest()]));
    expect(rows.prs).toEqual([
      {
        external_id: 'PR_1',
        database_id: 1001,
        repo_external_id: '42',
        repo_full_name: 'acme/widgets',
        number: 7,
        title: '[ENG-12] Add login',
        body: 'Closes ENG-12',
        url: 'https://github.com/Acme/Widgets/pull/7',
        state: 'MERGED',
        is_draft: false,
        author_login: 'ana',
        source_branch: 'feature/ENG-12-login',
        target_branch: 'main',
        additions: 10,
        deletions: 2,
        changed_files: 3,
        github_created_at: '2024-01-02T09:00:00.000Z',
        github_updated_at: '2024-01-05T09:00:00.000Z',
        closed_at: '2024-01-05T09:00:00.000Z',
        merged_at: '2024-01-05T09:00:00.000Z',
        reported_commit_count: 2,
        reported_review_count: 1,
        reported_comment_count: 1,
        reported_review_thread_count: 1,
      },
    ]);
    expect(rows.prs_commits).toHaveLength(2);
    expect(rows.prs_reviews.map((r) => r.external_id)).toEqual(['PRR_1']);
    expect(rows.prs_review_threads.map((r) => r.external_id)).toEqual(['PRRT_1']);
    expect(rows.prs_comments.map((c) => [c.external_id, c.comment_type])).toEqual([
      ['IC_1', 'issue'],
      ['PRRC_1', 'review_thread'],
      ['PRRC_2', 'review_thread'],
    ]);
    expect(rows.work_items_prs_links.map((l) => `${l.source} ${l.work_item_key}`)).toEqual(['pr_title ENG-12', 'pr_branch ENG-12', 'commit_message ENG-12', 'commit_message OPS-3']);
    expect([...rows.prs_commits, ...rows.prs_reviews, ...rows.prs_comments, ...rows.prs_review_threads].every((r) => r.pr_external_id === 'PR_1')).toBe(true);
  });

  it('a partial error (a null PR) keeps the other PRs; a repository GitHub no longer resolves gives nothing', () => {
    const partial = prPage([null, pullRequest({ id: 'PR_2', number: 8 })], undefined, [{ type: 'FORBIDDEN', path: ['repository', 'pullRequests', 'nodes', 0], message: 'no access' }]);
    expect(transformPrPage(partial).prs.map((p) => p.external_id)).toEqual(['PR_2']);
    const gone = { data: { rateLimit: null, repository: null }, errors: [{ type: 'NOT_FOUND', path: ['repository'], message: "Could not resolve to a Repository with the name 'acme/gone'." }] };
    expect(Object.values(transformPrPage(gone)).every((list) => list.length === 0)).toBe(true);
  });

  it('a PR without reviews connection, author or merge is still a PR', () => {
    const rows = transformPrPage(prPage([pullRequest({ reviews: null, author: null, state: 'OPEN', closedAt: null, mergedAt: null, commits: connection([]) })]));
    expect(rows.prs[0]).toMatchObject({ author_login: null, reported_review_count: 0, reported_commit_count: 0, closed_at: null, merged_at: null });
    expect(rows.prs_reviews).toEqual([]);
  });

  it('refuses a page that can never be transformed, saying why', () => {
    expect(() => transformPrPage({ errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded' }] })).toThrow(/has no data \(RATE_LIMITED/);
    // The simulator's poison record: updatedAt not a date.
    const poison = () => transformPrPage(prPage([pullRequest({ updatedAt: 'not-a-date' })]));
    expect(poison).toThrow(PermanentError);
    expect(poison).toThrow(/data\.repository\.pullRequests\.nodes\.0\.updatedAt/);
    expect(() => transformPrPage('not json')).toThrow(PermanentError);
  });
});
