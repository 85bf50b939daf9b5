import type { ReviewThreadConnection } from '../payloads';
import { reviewCommentRows } from './comments';
import { present } from './parse';
import type { CommentRow, ReviewThreadRow } from './rows';

/** One page of a PR's review threads, with the first page of each thread's comments. */
export const reviewThreadRows = (prId: string, connection: ReviewThreadConnection): { threads: ReviewThreadRow[]; comments: CommentRow[] } => {
  const threads: ReviewThreadRow[] = [];
  const comments: CommentRow[] = [];
  for (const t of present(connection.nodes)) {
    threads.push({
      external_id: t.id,
      pr_external_id: prId,
      is_resolved: t.isResolved,
      is_outdated: t.isOutdated ?? null,
      path: t.path,
      line: t.line ?? null,
      reported_comment_count: t.comments.totalCount,
    });
    comments.push(...reviewCommentRows(prId, t.id, t.comments));
  }
  return { threads, comments };
};
