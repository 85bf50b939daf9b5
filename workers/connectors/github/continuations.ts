import { z } from 'zod';

import { PermanentError } from '../../queue/errors';
import { nestedPartition, parseNestedPartition, type NestedConnection } from './graphql/queries';
import {
  PrCommentsPayload,
  PrCommitsPayload,
  PrPagePayload,
  PrReviewsPayload,
  PrReviewThreadsPayload,
  ThreadCommentsPayload,
  type PageInfo,
  type ReviewThreadConnection,
} from './payloads';
import { iso, parsePayload, present, requireData } from './transform/parse';

/**
 * Where paging goes on after a stored GitHub page (pure: the lead's extract calls these on the page it
 * just fetched). The prior system lost every nested page past the first (prior-system.md 4.4, 10.2 #5):
 * here every nested connection with `hasNextPage` becomes a `pr_nested` partition of its own, continued
 * from its `endCursor`, and a review-threads page names the thread-comment partitions it leaves open.
 */

export interface Continuation {
  /** `"<nodeId>:<connection>"` (queries.ts `nestedPartition`). */
  readonly partition: string;
  /** The `endCursor` to continue after. */
  readonly cursor: string;
}

/** `endCursor` when there is a next page; a next page without a cursor is a broken answer, not the end. */
const nextCursor = (pageInfo: PageInfo, where: string): string | null => {
  if (!pageInfo.hasNextPage) return null;
  if (pageInfo.endCursor === null || pageInfo.endCursor === '') {
    throw new PermanentError(`GitHub says ${where} has a next page but gives no endCursor; re-extract the page (stopping here would silently drop the rest).`);
  }
  return pageInfo.endCursor;
};

const continuation = (nodeId: string, connection: NestedConnection, pageInfo: PageInfo): Continuation[] => {
  const cursor = nextCursor(pageInfo, `${connection} of ${nodeId}`);
  return cursor === null ? [] : [{ partition: nestedPartition(nodeId, connection), cursor }];
};

const threadCommentContinuations = (threads: ReviewThreadConnection): Continuation[] =>
  present(threads.nodes).flatMap((t) => continuation(t.id, 'threadComments', t.comments.pageInfo));

const prPage = (payload: unknown) => requireData(parsePayload(PrPagePayload, payload, 'pull request page'), 'pull request page').repository?.pullRequests ?? null;

/**
 * Every nested connection of a `pull_requests` page that has more pages: each PR's commits, reviews,
 * issue comments and review threads, and the comments of each review thread on the page.
 */
export const prPageContinuations = (payload: unknown): Continuation[] => {
  const prs = prPage(payload);
  if (!prs) return [];
  return present(prs.nodes).flatMap((pr) => [
    ...continuation(pr.id, 'commits', pr.commits.pageInfo),
    ...(pr.reviews ? continuation(pr.id, 'reviews', pr.reviews.pageInfo) : []),
    ...continuation(pr.id, 'comments', pr.comments.pageInfo),
    ...continuation(pr.id, 'reviewThreads', pr.reviewThreads.pageInfo),
    ...threadCommentContinuations(pr.reviewThreads),
  ]);
};

/**
 * The cursor of the repository's next PR page, or null when there is none, or when this page already
 * reached a PR last updated before `watermark` (PRs come newest update first, so every later page is
 * older still: an incremental run stops paging the repository here). PRs updated exactly at the
 * watermark are read again rather than risk missing one updated in the same second.
 */
export const nextPrPageCursor = (payload: unknown, watermark: string | null): string | null => {
  const prs = prPage(payload);
  if (!prs) return null;
  if (watermark !== null) {
    const since = Date.parse(watermark);
    if (Number.isNaN(since)) throw new RangeError(`The watermark "${watermark}" is not an ISO 8601 time.`);
    if (present(prs.nodes).some((pr) => Date.parse(pr.updatedAt) < since)) return null;
  }
  return nextCursor(prs.pageInfo, 'the pull request list');
};

/** The highest `updatedAt` on a `pull_requests` page (ISO 8601, UTC), or null for a page without PRs. */
export const prPageWatermark = (payload: unknown): string | null => {
  const prs = prPage(payload);
  let highest: string | null = null;
  for (const pr of present(prs?.nodes ?? [])) {
    const at = iso(pr.updatedAt);
    if (highest === null || at > highest) highest = at;
  }
  return highest;
};

export interface NestedNext {
  /** The cursor of the same connection's next page; null at its end. */
  readonly cursor: string | null;
  /** For a `reviewThreads` page: the thread-comment partitions it leaves unfinished. */
  readonly children: readonly Continuation[];
}

const END: NestedNext = { cursor: null, children: [] };

/** Which continuation a `pr_nested` payload answers, from its shape (a thread names its pullRequest). */
const connectionOf = (payload: unknown): NestedConnection => {
  const node = z.object({ data: z.object({ node: z.record(z.string(), z.unknown()).nullable() }) }).safeParse(payload);
  const keys = node.success && node.data.data.node ? Object.keys(node.data.data.node) : [];
  if (keys.includes('pullRequest')) return 'threadComments';
  const found = (['commits', 'reviews', 'comments', 'reviewThreads'] as const).find((k) => keys.includes(k));
  // No node (deleted) or an unexpected shape: the commits schema reports either precisely below.
  return found ?? 'commits';
};

/**
 * For a `pr_nested` page: the next cursor of the same connection and, for review threads, the
 * thread-comment continuations. Pass the unit's partition when known: then the payload must be that
 * connection's answer. A node GitHub no longer resolves ends the partition.
 */
export const nestedPageNext = (payload: unknown, partition?: string): NestedNext => {
  const connection = partition === undefined ? connectionOf(payload) : parseNestedPartition(partition).connection;
  const what = `${connection} continuation`;
  switch (connection) {
    case 'commits': {
      const node = requireData(parsePayload(PrCommitsPayload, payload, what), what).node;
      return node ? { cursor: nextCursor(node.commits.pageInfo, `commits of ${node.id}`), children: [] } : END;
    }
    case 'reviews': {
      const node = requireData(parsePayload(PrReviewsPayload, payload, what), what).node;
      return node?.reviews ? { cursor: nextCursor(node.reviews.pageInfo, `reviews of ${node.id}`), children: [] } : END;
    }
    case 'comments': {
      const node = requireData(parsePayload(PrCommentsPayload, payload, what), what).node;
      return node ? { cursor: nextCursor(node.comments.pageInfo, `comments of ${node.id}`), children: [] } : END;
    }
    case 'reviewThreads': {
      const node = requireData(parsePayload(PrReviewThreadsPayload, payload, what), what).node;
      return node ? { cursor: nextCursor(node.reviewThreads.pageInfo, `review threads of ${node.id}`), children: threadCommentContinuations(node.reviewThreads) } : END;
    }
    case 'threadComments': {
      const node = requireData(parsePayload(ThreadCommentsPayload, payload, what), what).node;
      return node ? { cursor: nextCursor(node.comments.pageInfo, `comments of thread ${node.id}`), children: [] } : END;
    }
  }
};
