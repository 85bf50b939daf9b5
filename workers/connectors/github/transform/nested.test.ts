import { describe, expect, it } from 'vitest';

import { PermanentError } from '../../../queue/errors';
import { commit, connection, issueComment, notFound, prContinuation, review, reviewComment, thread, threadContinuation } from '../sample-payloads';
import { transformNested } from './nested';

describe('nested page transform', () => {
  it('commits: rows and commit-message links of the page', () => {
    const rows = transformNested(prContinuation('commits', connection([commit(3, 'OPS-3 fix'), commit(4, 'wip')])), 'PR_1:commits');
    expect(rows.prs_commits.map((c) => [c.pr_external_id, c.message])).toEqual([
      ['PR_1', 'OPS-3 fix'],
      ['PR_1', 'wip'],
    ]);
    expect(rows.work_items_prs_links).toEqual([expect.objectContaining({ source: 'commit_message', work_item_key: 'OPS-3', repo_full_name: 'acme/widgets', pr_number: 7, external_repo_id: '42' })]);
  });

  it('reviews, issue comments, review threads with their comments, thread comments', () => {
    expect(transformNested(prContinuation('reviews', connection([review('PRR_9', 'APPROVED', 'bo')])), 'PR_1:reviews').prs_reviews.map((r) => r.external_id)).toEqual(['PRR_9']);
    expect(transformNested(prContinuation('reviews', null), 'PR_1:reviews').prs_reviews).toEqual([]);
    expect(transformNested(prContinuation('comments', connection([issueComment('IC_9')])), 'PR_1:comments').prs_comments.map((c) => c.comment_type)).toEqual(['issue']);
    const threads = transformNested(prContinuation('reviewThreads', connection([thread('PRRT_9', [reviewComment('PRRC_9')])])), 'PR_1:reviewThreads');
    expect(threads.prs_review_threads.map((t) => t.external_id)).toEqual(['PRRT_9']);
    expect(threads.prs_comments.map((c) => [c.external_id, c.thread_external_id])).toEqual([['PRRC_9', 'PRRT_9']]);
    const replies = transformNested(threadContinuation(connection([reviewComment('PRRC_10', 'PRRC_1')])), 'PRRT_1:threadComments');
    expect(replies.prs_comments.map((c) => [c.external_id, c.pr_external_id, c.thread_external_id, c.reply_to_external_id])).toEqual([['PRRC_10', 'PR_1', 'PRRT_1', 'PRRC_1']]);
    expect(replies.prs_review_threads).toEqual([]);
  });

  it('a node GitHub no longer resolves gives no rows', () => {
    for (const c of ['commits', 'reviews', 'comments', 'reviewThreads', 'threadComments']) {
      expect(Object.values(transformNested(notFound(), `PR_1:${c}`)).every((list) => list.length === 0), c).toBe(true);
    }
  });

  it('refuses a unit whose partition or node does not fit', () => {
    const page = prContinuation('commits', connection([]));
    expect(() => transformNested(page, null)).toThrow(/has no partition/);
    expect(() => transformNested(page, 'PR_1:files')).toThrow(PermanentError);
    expect(() => transformNested(page, 'PR_2:commits')).toThrow(/holds node PR_1; re-extract/);
    // A node of another type answers with an empty object (the fragment does not apply).
    expect(() => transformNested({ data: { node: {} } }, 'R_1:commits')).toThrow(/commits continuation payload does not match/);
  });
});
