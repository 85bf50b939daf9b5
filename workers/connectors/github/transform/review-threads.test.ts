import { describe, expect, it } from 'vitest';

import { ReviewThreadConnection } from '../payloads';
import { connection, page, reviewComment, thread } from '../sample-payloads';
import { reviewThreadRows } from './review-threads';

describe('review thread rows', () => {
  it('a thread row per thread with GitHub’s comment count, and the comments of its first page', () => {
    const threads = ReviewThreadConnection.parse(connection([thread('PRRT_1', [reviewComment('PRRC_1')], page(true)), null, thread('PRRT_2', [])]));
    const out = reviewThreadRows('PR_1', threads);
    expect(out.threads).toEqual([
      { external_id: 'PRRT_1', pr_external_id: 'PR_1', is_resolved: false, is_outdated: true, path: 'src/a.ts', line: null, reported_comment_count: 1 },
      { external_id: 'PRRT_2', pr_external_id: 'PR_1', is_resolved: false, is_outdated: true, path: 'src/a.ts', line: null, reported_comment_count: 0 },
    ]);
    expect(out.comments.map((c) => [c.external_id, c.thread_external_id, c.pr_external_id])).toEqual([['PRRC_1', 'PRRT_1', 'PR_1']]);
  });
});
