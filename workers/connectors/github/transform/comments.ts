import type { IssueCommentConnection, ReviewCommentConnection } from '../payloads';
import { iso, present } from './parse';
import type { CommentRow } from './rows';

/** The PR conversation: one page of its `comments` (issue comments). */
export const issueCommentRows = (prId: string, connection: IssueCommentConnection): CommentRow[] =>
  present(connection.nodes).map((c) => ({
    external_id: c.id,
    pr_external_id: prId,
    comment_type: 'issue',
    thread_external_id: null,
    review_external_id: null,
    reply_to_external_id: null,
    database_id: c.databaseId ?? null,
    author_login: c.author?.login ?? null,
    body: c.body,
    url: c.url ?? null,
    path: null,
    line: null,
    original_line: null,
    diff_hunk: null,
    github_created_at: iso(c.createdAt),
    github_updated_at: iso(c.updatedAt),
  }));

/** Comments on the diff: one page of a review thread's `comments`. */
export const reviewCommentRows = (prId: string, threadId: string, connection: ReviewCommentConnection): CommentRow[] =>
  present(connection.nodes).map((c) => ({
    external_id: c.id,
    pr_external_id: prId,
    comment_type: 'review_thread',
    thread_external_id: threadId,
    review_external_id: c.pullRequestReview?.id ?? null,
    reply_to_external_id: c.replyTo?.id ?? null,
    database_id: c.databaseId ?? null,
    author_login: c.author?.login ?? null,
    body: c.body,
    url: c.url ?? null,
    path: c.path,
    line: c.line ?? null,
    original_line: c.originalLine ?? null,
    diff_hunk: c.diffHunk ?? null,
    github_created_at: iso(c.createdAt),
    github_updated_at: iso(c.updatedAt),
  }));
