import { describe, expect, it } from 'vitest';

import { PermanentError } from '../../queue/errors';
import { nestedPageNext, nextPrPageCursor, prPageContinuations, prPageWatermark } from './continuations';
import { commit, connection, notFound, page, prContinuation, prPage, pullRequest, reviewComment, thread, threadContinuation } from './sample-payloads';

const open = (cursor: string) => page(true, cursor);

describe('PR page continuations', () => {
  it('every unfinished nested connection of every PR, and of every review thread on the page', () => {
    const busy = pullRequest({
      commits: connection([commit(1, 'a')], open('c-commits'), 300),
      reviews: connection([], open('c-reviews')),
      comments: connection([], open('c-comments')),
      reviewThreads: connection([thread('PRRT_1', [reviewComment('PRRC_1')], open('c-thread')), thread('PRRT_2', [])], open('c-threads')),
    });
    const quiet = pullRequest({ id: 'PR_2', number: 8 });
    expect(prPageContinuations(prPage([busy, null, quiet]))).toEqual([
      { partition: 'PR_1:commits', cursor: 'c-commits' },
      { partition: 'PR_1:reviews', cursor: 'c-reviews' },
      { partition: 'PR_1:comments', cursor: 'c-comments' },
      { partition: 'PR_1:reviewThreads', cursor: 'c-threads' },
      { partition: 'PRRT_1:threadComments', cursor: 'c-thread' },
    ]);
    expect(prPageContinuations(prPage([quiet]))).toEqual([]);
    expect(prPageContinuations({ data: { repository: null }, errors: [{ type: 'NOT_FOUND', message: 'gone' }] })).toEqual([]);
  });

  it('a next page without a cursor is an error, not the end', () => {
    expect(() => prPageContinuations(prPage([pullRequest({ commits: connection([], page(true, null)) })]))).toThrow(PermanentError);
    expect(() => prPageContinuations(prPage([pullRequest({ commits: connection([], page(true, null)) })]))).toThrow(/commits of PR_1 has a next page but gives no endCursor/);
  });
});

describe('next PR page', () => {
  const prs = [pullRequest({ id: 'A', updatedAt: '2024-03-03T00:00:00Z' }), pullRequest({ id: 'B', updatedAt: '2024-03-02T00:00:00Z' })];

  it('follows the cursor on a full run and stops at the last page', () => {
    expect(nextPrPageCursor(prPage(prs, open('next')), null)).toBe('next');
    expect(nextPrPageCursor(prPage(prs, page(false)), null)).toBeNull();
    expect(nextPrPageCursor({ data: { repository: null } }, null)).toBeNull();
  });

  it('stops once the page reaches PRs updated before the watermark; PRs updated at it are read again', () => {
    expect(nextPrPageCursor(prPage(prs, open('next')), '2024-03-02T00:00:00Z')).toBe('next');
    expect(nextPrPageCursor(prPage(prs, open('next')), '2024-03-02T00:00:01Z')).toBeNull();
    expect(nextPrPageCursor(prPage(prs, open('next')), '2024-03-02T01:00:00+01:00')).toBe('next');
    expect(() => nextPrPageCursor(prPage(prs, open('next')), 'yesterday')).toThrow(/not an ISO 8601 time/);
  });

  it('the watermark of a page is its newest updatedAt', () => {
    expect(prPageWatermark(prPage([prs[1], null, prs[0]]))).toBe('2024-03-03T00:00:00.000Z');
    expect(prPageWatermark(prPage([]))).toBeNull();
  });
});

describe('nested page next', () => {
  it('continues the same connection, and a review-threads page names its threads’ comment pages', () => {
    expect(nestedPageNext(prContinuation('commits', connection([commit(1, 'x')], open('c2'))), 'PR_1:commits')).toEqual({ cursor: 'c2', children: [] });
    expect(nestedPageNext(prContinuation('commits', connection([commit(1, 'x')])), 'PR_1:commits')).toEqual({ cursor: null, children: [] });
    expect(nestedPageNext(prContinuation('reviews', connection([], open('r2'))), 'PR_1:reviews').cursor).toBe('r2');
    expect(nestedPageNext(prContinuation('reviews', null), 'PR_1:reviews')).toEqual({ cursor: null, children: [] });
    expect(nestedPageNext(prContinuation('comments', connection([], open('i2'))), 'PR_1:comments').cursor).toBe('i2');
    const threads = prContinuation('reviewThreads', connection([thread('PRRT_7', [], open('t7')), thread('PRRT_8', [])], open('th2')));
    expect(nestedPageNext(threads, 'PR_1:reviewThreads')).toEqual({ cursor: 'th2', children: [{ partition: 'PRRT_7:threadComments', cursor: 't7' }] });
    expect(nestedPageNext(threadContinuation(connection([reviewComment('PRRC_3')], open('tc2'))), 'PRRT_1:threadComments')).toEqual({ cursor: 'tc2', children: [] });
  });

  it('tells the connection from the payload when no partition is given', () => {
    expect(nestedPageNext(prContinuation('reviewThreads', connection([thread('PRRT_7', [], open('t7'))], open('th2'))))).toEqual({ cursor: 'th2', children: [{ partition: 'PRRT_7:threadComments', cursor: 't7' }] });
    expect(nestedPageNext(threadContinuation(connection([], open('tc2')))).cursor).toBe('tc2');
    expect(nestedPageNext(prContinuation('comments', connection([], open('i2')))).cursor).toBe('i2');
  });

  it('a node GitHub no longer resolves ends the partition; a broken answer is an error', () => {
    expect(nestedPageNext(notFound(), 'PR_1:commits')).toEqual({ cursor: null, children: [] });
    expect(nestedPageNext(notFound())).toEqual({ cursor: null, children: [] });
    expect(() => nestedPageNext(prContinuation('commits', connection([], page(true, null))), 'PR_1:commits')).toThrow(PermanentError);
    expect(() => nestedPageNext({ errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded' }] }, 'PR_1:commits')).toThrow(/RATE_LIMITED/);
    expect(() => nestedPageNext(prContinuation('commits', connection([])), 'PR_1:nope')).toThrow(RangeError);
  });
});
