import { describe, expect, it } from 'vitest';

import { IssueCommentConnection, ReviewCommentConnection } from '../payloads';
import { connection, issueComment, reviewComment } from '../sample-payloads';
import { issueCommentRows, reviewCommentRows } from './comments';

describe('comment rows', () => {
  it('issue comments are the conversation: no thread, no diff position', () => {
    expect(issueCommentRows('PR_1', IssueCommentConnection.parse(connection([issueComment('IC_1'), issueComment('IC_2', null)])))).toEqual([
      {
        external_id: 'IC_1',
        pr_external_id: 'PR_1',
        comment_type: 'issue',
        thread_external_id: null,
        review_external_id: null,
        reply_to_external_id: null,
        database_id: 9,
        author_login: 'bo',
        body: 'A comment',
        url: 'https://github.com/o/r/pull/1#issuecomment-IC_1',
        path: null,
        line: null,
        original_line: null,
        diff_hunk: null,
        github_created_at: '2024-01-04T08:00:00.000Z',
        github_updated_at: '2024-01-04T08:00:00.000Z',
      },
      expect.objectContaining({ external_id: 'IC_2', author_login: null }),
    ]);
  });

  it('review-thread comments carry their thread, review, reply and place in the diff', () => {
    const rows = reviewCommentRows('PR_1', 'PRRT_1', ReviewCommentConnection.parse(connection([reviewComment('PRRC_1'), reviewComment('PRRC_2', 'PRRC_1')])));
    expect(rows[1]).toEqual({
      external_id: 'PRRC_2',
      pr_external_id: 'PR_1',
      comment_type: 'review_thread',
      thread_external_id: 'PRRT_1',
      review_external_id: 'PRR_1',
      reply_to_external_id: 'PRRC_1',
      database_id: 11,
      author_login: 'cy',
      body: 'nit',
      url: 'https://github.com/o/r/pull/1#discussion_rPRRC_2',
      path: 'src/a.ts',
      line: 12,
      original_line: 10,
      diff_hunk: '@@ -1,3 +1,4 @@',
      github_created_at: '2024-01-03T12:00:00.000Z',
      github_updated_at: '2024-01-03T12:00:00.000Z',
    });
    expect(rows[0]!.reply_to_external_id).toBeNull();
  });
});
