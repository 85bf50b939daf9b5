import { z } from 'zod';

/**
 * Zod schemas of the GitHub responses the connector stores as raw units (api-contracts.md 3.2, 3.3):
 * lenient where we do not look (unknown fields are dropped, GitHub adds fields all the time), strict on
 * what the transform and the continuation helpers use (ids, numbers, dates, cursors, enums).
 *
 * GraphQL responses are `{data, errors?}` together: a partial error (a PR the token may not see, a
 * node deleted between pages) is a `null` in `data` plus an entry in `errors`, and the rest of `data`
 * is good. So every node list and every object GitHub may null out is nullable here, and the readers
 * skip the nulls instead of failing the page.
 */

/** GitHub's DateTime (`2024-01-02T03:04:05Z`) and GitTimestamp (may carry an offset). */
const DateTime = z.iso.datetime({ offset: true });
const NodeId = z.string().min(1);
const Count = z.int().nonnegative();

/** An Actor reduced to its login; null for a deleted account ("ghost"). */
const Login = z.object({ login: z.string() }).nullable();

export const PageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });
export type PageInfo = z.infer<typeof PageInfo>;

const connectionOf = <T extends z.ZodType>(node: T) => z.object({ totalCount: Count, pageInfo: PageInfo, nodes: z.array(node.nullable()) });

export const GitActor = z
  .object({
    name: z.string().nullable().optional(),
    email: z.string().nullable().optional(),
    date: DateTime.nullable().optional(),
    user: Login.optional(),
  })
  .nullable();

export const PrCommitNode = z.object({
  commit: z.object({
    oid: z.string().regex(/^[0-9a-f]{40}$/, 'a 40-character git object id'),
    message: z.string(),
    authoredDate: DateTime,
    committedDate: DateTime,
    author: GitActor.optional(),
    committer: GitActor.optional(),
  }),
});
export type PrCommitNode = z.infer<typeof PrCommitNode>;

export const ReviewState = z.enum(['PENDING', 'COMMENTED', 'APPROVED', 'CHANGES_REQUESTED', 'DISMISSED']);

export const ReviewNode = z.object({
  id: NodeId,
  databaseId: z.int().nullable().optional(),
  state: ReviewState,
  body: z.string(),
  createdAt: DateTime,
  submittedAt: DateTime.nullable(),
  url: z.string().optional(),
  author: Login,
  commit: z.object({ oid: z.string() }).nullable().optional(),
});
export type ReviewNode = z.infer<typeof ReviewNode>;

export const IssueCommentNode = z.object({
  id: NodeId,
  databaseId: z.int().nullable().optional(),
  body: z.string(),
  createdAt: DateTime,
  updatedAt: DateTime,
  url: z.string().optional(),
  author: Login,
});
export type IssueCommentNode = z.infer<typeof IssueCommentNode>;

export const ReviewCommentNode = z.object({
  id: NodeId,
  databaseId: z.int().nullable().optional(),
  body: z.string(),
  createdAt: DateTime,
  updatedAt: DateTime,
  url: z.string().optional(),
  path: z.string(),
  line: z.int().nullable().optional(),
  originalLine: z.int().nullable().optional(),
  diffHunk: z.string().optional(),
  author: Login,
  replyTo: z.object({ id: NodeId }).nullable().optional(),
  pullRequestReview: z.object({ id: NodeId }).nullable().optional(),
});
export type ReviewCommentNode = z.infer<typeof ReviewCommentNode>;

export const CommitConnection = connectionOf(PrCommitNode);
export const ReviewConnection = connectionOf(ReviewNode);
export const IssueCommentConnection = connectionOf(IssueCommentNode);
export const ReviewCommentConnection = connectionOf(ReviewCommentNode);
export type CommitConnection = z.infer<typeof CommitConnection>;
export type ReviewConnection = z.infer<typeof ReviewConnection>;
export type IssueCommentConnection = z.infer<typeof IssueCommentConnection>;
export type ReviewCommentConnection = z.infer<typeof ReviewCommentConnection>;

export const ReviewThreadNode = z.object({
  id: NodeId,
  isResolved: z.boolean(),
  isOutdated: z.boolean().optional(),
  path: z.string(),
  line: z.int().nullable().optional(),
  comments: ReviewCommentConnection,
});
export type ReviewThreadNode = z.infer<typeof ReviewThreadNode>;
export const ReviewThreadConnection = connectionOf(ReviewThreadNode);
export type ReviewThreadConnection = z.infer<typeof ReviewThreadConnection>;

/** The repository a PR names, as `repository { databaseId nameWithOwner }`. */
export const RepositoryRef = z.object({
  databaseId: z.int().nullable(),
  nameWithOwner: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'owner/name'),
});
export type RepositoryRef = z.infer<typeof RepositoryRef>;

export const PullRequestNode = z.object({
  id: NodeId,
  databaseId: z.int().nullable(),
  number: z.int().positive(),
  title: z.string(),
  body: z.string(),
  url: z.string(),
  state: z.enum(['OPEN', 'CLOSED', 'MERGED']),
  isDraft: z.boolean(),
  createdAt: DateTime,
  updatedAt: DateTime,
  closedAt: DateTime.nullable(),
  mergedAt: DateTime.nullable(),
  headRefName: z.string(),
  baseRefName: z.string(),
  additions: Count,
  deletions: Count,
  changedFiles: Count,
  author: Login,
  repository: RepositoryRef,
  commits: CommitConnection,
  // Nullable in GitHub's schema (`reviews: PullRequestReviewConnection`): absent means none we may see.
  reviews: ReviewConnection.nullable(),
  comments: IssueCommentConnection,
  reviewThreads: ReviewThreadConnection,
});
export type PullRequestNode = z.infer<typeof PullRequestNode>;

export const GraphqlError = z.object({
  message: z.string(),
  type: z.string().optional(),
  path: z.array(z.union([z.string(), z.number()])).optional(),
});
export type GraphqlError = z.infer<typeof GraphqlError>;

const RateLimit = z.object({ cost: z.number(), remaining: z.number(), resetAt: DateTime }).partial();

const envelope = <T extends z.ZodType>(data: T) => z.object({ data: data.nullable().optional(), errors: z.array(GraphqlError).optional() });

/** A `pull_requests` unit: the whole response of `PR_PAGE_QUERY`. */
export const PrPagePayload = envelope(
  z.object({
    rateLimit: RateLimit.nullable().optional(),
    repository: z
      .object({
        id: NodeId,
        databaseId: z.int().nullable(),
        nameWithOwner: z.string(),
        pullRequests: connectionOf(PullRequestNode),
      })
      .nullable(),
  }),
);
export type PrPagePayload = z.infer<typeof PrPagePayload>;

/** What every PR continuation says about its PR. */
const PrIdentity = { id: NodeId, number: z.int().positive(), repository: RepositoryRef };
const continuation = <T extends z.ZodType>(node: T) => envelope(z.object({ rateLimit: RateLimit.nullable().optional(), node: node.nullable() }));

/** `pr_nested` units: the whole response of the continuation query of their connection (queries.ts). */
export const PrCommitsPayload = continuation(z.object({ ...PrIdentity, commits: CommitConnection }));
export const PrReviewsPayload = continuation(z.object({ ...PrIdentity, reviews: ReviewConnection.nullable() }));
export const PrCommentsPayload = continuation(z.object({ ...PrIdentity, comments: IssueCommentConnection }));
export const PrReviewThreadsPayload = continuation(z.object({ ...PrIdentity, reviewThreads: ReviewThreadConnection }));
export const ThreadCommentsPayload = continuation(z.object({ id: NodeId, pullRequest: z.object(PrIdentity), comments: ReviewCommentConnection }));
export type PrCommitsPayload = z.infer<typeof PrCommitsPayload>;
export type PrReviewsPayload = z.infer<typeof PrReviewsPayload>;
export type PrCommentsPayload = z.infer<typeof PrCommentsPayload>;
export type PrReviewThreadsPayload = z.infer<typeof PrReviewThreadsPayload>;
export type ThreadCommentsPayload = z.infer<typeof ThreadCommentsPayload>;

/** A repository as the REST API returns it (full-repository, or an item of the repository search). */
export const RestRepository = z.object({
  id: z.int().positive(),
  node_id: z.string().optional(),
  name: z.string(),
  full_name: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'owner/name'),
  owner: z.object({ login: z.string() }),
  private: z.boolean(),
  html_url: z.string(),
  description: z.string().nullable().optional(),
  fork: z.boolean().optional(),
  language: z.string().nullable().optional(),
  default_branch: z.string().optional(),
  visibility: z.string().optional(),
  archived: z.boolean().optional(),
  disabled: z.boolean().optional(),
  is_template: z.boolean().optional(),
  topics: z.array(z.string()).optional(),
  license: z.object({ spdx_id: z.string().nullable().optional(), key: z.string().optional() }).nullable().optional(),
  stargazers_count: Count.optional(),
  forks_count: Count.optional(),
  open_issues_count: Count.optional(),
  size: Count.optional(),
  created_at: DateTime.nullable().optional(),
  updated_at: DateTime.nullable().optional(),
  pushed_at: DateTime.nullable().optional(),
});
export type RestRepository = z.infer<typeof RestRepository>;

/** `GET /search/repositories` body. */
export const RepositorySearchPage = z.object({
  total_count: Count,
  incomplete_results: z.boolean(),
  items: z.array(RestRepository),
});
export type RepositorySearchPage = z.infer<typeof RepositorySearchPage>;
