import { PermanentError } from '../../../queue/errors';
import { parseNestedPartition, type NestedPartition } from '../graphql/queries';
import { PrCommentsPayload, PrCommitsPayload, PrReviewsPayload, PrReviewThreadsPayload, ThreadCommentsPayload } from '../payloads';
import { commitRows } from './commits';
import { issueCommentRows, reviewCommentRows } from './comments';
import { commitLinks } from './links';
import { parsePayload, requireData } from './parse';
import { linkedPr } from './pull-requests';
import { reviewRows } from './reviews';
import { reviewThreadRows } from './review-threads';
import { emptyRows, type GithubRows } from './rows';

const partitionOf = (partition: string | null): NestedPartition => {
  if (partition === null) throw new PermanentError('A pr_nested unit has no partition; it must be "<nodeId>:<connection>" (the extract that stored it is wrong).');
  try {
    return parseNestedPartition(partition);
  } catch (error) {
    throw new PermanentError(`${(error as Error).message} The extract that stored this unit is wrong.`);
  }
};

/** The node answered must be the one the partition asked for, or the rows would land on the wrong PR. */
const sameNode = (asked: NestedPartition, answered: string): void => {
  if (answered !== asked.nodeId) {
    throw new PermanentError(`The pr_nested unit for ${asked.nodeId}:${asked.connection} holds node ${answered}; re-extract the partition.`);
  }
};

/**
 * A `pr_nested` unit: one further page of one nested connection, the partition saying which. A node
 * GitHub no longer resolves (`node: null`, NOT_FOUND in `errors`: the PR or thread was deleted) gives
 * no rows.
 */
export const transformNested = (payload: unknown, partition: string | null): GithubRows => {
  const asked = partitionOf(partition);
  const what = `${asked.connection} continuation`;
  const rows = emptyRows();
  switch (asked.connection) {
    case 'commits': {
      const node = requireData(parsePayload(PrCommitsPayload, payload, what), what).node;
      if (!node) return rows;
      sameNode(asked, node.id);
      rows.prs_commits = commitRows(node.id, node.commits);
      rows.work_items_prs_links = commitLinks(linkedPr(node), rows.prs_commits);
      return rows;
    }
    case 'reviews': {
      const node = requireData(parsePayload(PrReviewsPayload, payload, what), what).node;
      if (!node) return rows;
      sameNode(asked, node.id);
      rows.prs_reviews = reviewRows(node.id, node.reviews);
      return rows;
    }
    case 'comments': {
      const node = requireData(parsePayload(PrCommentsPayload, payload, what), what).node;
      if (!node) return rows;
      sameNode(asked, node.id);
      rows.prs_comments = issueCommentRows(node.id, node.comments);
      return rows;
    }
    case 'reviewThreads': {
      const node = requireData(parsePayload(PrReviewThreadsPayload, payload, what), what).node;
      if (!node) return rows;
      sameNode(asked, node.id);
      const threads = reviewThreadRows(node.id, node.reviewThreads);
      rows.prs_review_threads = threads.threads;
      rows.prs_comments = threads.comments;
      return rows;
    }
    case 'threadComments': {
      const node = requireData(parsePayload(ThreadCommentsPayload, payload, what), what).node;
      if (!node) return rows;
      sameNode(asked, node.id);
      rows.prs_comments = reviewCommentRows(node.pullRequest.id, node.id, node.comments);
      return rows;
    }
  }
};
