/**
 * The GitHub connector's GraphQL documents (api-contracts.md section 3.3) and their variables.
 *
 * - `PR_PAGE_QUERY`: one page of a repository's pull requests, newest update first, each PR with
 *   every field the unified tables and PR metrics need and the first page of each nested connection
 *   (commits, reviews, issue comments, review threads with the first page of their comments). The
 *   prior system asked for too little (no additions/deletions/changedFiles/branches/closedAt, no review
 *   submittedAt, no committer, no thread comments: prior-system.md section 4.4); this one asks for all.
 * - `nestedQuery(connection)`: the continuation of one nested connection from a cursor, through
 *   `node(id:)`; every continuation also names the PR (and its repository), so a nested page can be
 *   transformed and loaded on its own, before or after its PR page.
 *
 * Node selections are shared fragments, so a commit (review, comment...) looks the same whether it came
 * with its PR page or with a continuation. Every document is validated against GitHub's published
 * schema and the simulator's served subset by the tests (queries.test.ts, tests/integration/github-queries.test.ts).
 *
 * Partitions of the `pr_nested` stream are `"<nodeId>:<connection>"`: the PR's node id for `commits`,
 * `reviews`, `comments` and `reviewThreads`, the review thread's node id for `threadComments`.
 * GitHub node ids never contain a colon (base64 or `PREFIX_base64url`), so the last colon splits.
 */

/** The nested connections a PR page may leave unfinished, and the stream partitions that continue them. */
export const NESTED_CONNECTIONS = ['commits', 'reviews', 'comments', 'reviewThreads', 'threadComments'] as const;
export type NestedConnection = (typeof NESTED_CONNECTIONS)[number];

/** GitHub's limits: at most 100 per connection page, 500,000 possible nodes per query. */
export const MAX_PAGE_SIZE = 100;
export const MAX_QUERY_NODES = 500_000;

const PAGE_INFO = /* GraphQL */ `
fragment SluicePageInfo on PageInfo { hasNextPage endCursor }`;

const RATE_LIMIT = 'rateLimit { cost limit remaining used resetAt nodeCount }';

const COMMIT = /* GraphQL */ `
fragment SluicePrCommit on PullRequestCommit {
  commit {
    oid message authoredDate committedDate
    author { name email date user { login } }
    committer { name email date user { login } }
  }
}`;

const REVIEW = /* GraphQL */ `
fragment SluicePrReview on PullRequestReview {
  id databaseId state body createdAt submittedAt url
  author { login }
  commit { oid }
}`;

const ISSUE_COMMENT = /* GraphQL */ `
fragment SluiceIssueComment on IssueComment {
  id databaseId body createdAt updatedAt url
  author { login }
}`;

const REVIEW_COMMENT = /* GraphQL */ `
fragment SluiceReviewComment on PullRequestReviewComment {
  id databaseId body createdAt updatedAt url path line originalLine diffHunk
  author { login }
  replyTo { id }
  pullRequestReview { id }
}`;

const REVIEW_THREAD = /* GraphQL */ `
fragment SluiceReviewThread on PullRequestReviewThread {
  id isResolved isOutdated path line
  comments(first: $threadCommentsPageSize) {
    totalCount
    pageInfo { ...SluicePageInfo }
    nodes { ...SluiceReviewComment }
  }
}`;

/** What a continuation says about the PR it belongs to (a nested page must be loadable on its own). */
const PR_IDENTITY = 'id number repository { databaseId nameWithOwner }';

const connectionSelection = (name: string, first: string, fragment: string, after = ''): string =>
  `${name}(first: ${first}${after}) { totalCount pageInfo { ...SluicePageInfo } nodes { ...${fragment} } }`;

const PULL_REQUEST = /* GraphQL */ `
fragment SluicePullRequest on PullRequest {
  id databaseId number title body url state isDraft createdAt updatedAt closedAt mergedAt
  headRefName baseRefName additions deletions changedFiles
  author { login }
  repository { databaseId nameWithOwner }
  ${connectionSelection('commits', '$nestedPageSize', 'SluicePrCommit')}
  ${connectionSelection('reviews', '$nestedPageSize', 'SluicePrReview')}
  ${connectionSelection('comments', '$nestedPageSize', 'SluiceIssueComment')}
  ${connectionSelection('reviewThreads', '$nestedPageSize', 'SluiceReviewThread')}
}`;

/** One page of a repository's PRs, ordered by updatedAt descending (incremental runs stop at the watermark). */
export const PR_PAGE_QUERY = /* GraphQL */ `
query SluicePullRequestPage($owner: String!, $name: String!, $pageSize: Int!, $cursor: String, $nestedPageSize: Int!, $threadCommentsPageSize: Int!) {
  ${RATE_LIMIT}
  repository(owner: $owner, name: $name) {
    id databaseId nameWithOwner
    pullRequests(first: $pageSize, after: $cursor, orderBy: {field: UPDATED_AT, direction: DESC}) {
      totalCount
      pageInfo { ...SluicePageInfo }
      nodes { ...SluicePullRequest }
    }
  }
}
${PULL_REQUEST}
${COMMIT}
${REVIEW}
${ISSUE_COMMENT}
${REVIEW_THREAD}
${REVIEW_COMMENT}
${PAGE_INFO}
`;

const prContinuation = (operation: string, connection: string, fragment: string, fragments: readonly string[], extraVariables = ''): string => /* GraphQL */ `
query ${operation}($id: ID!, $pageSize: Int!, $cursor: String${extraVariables}) {
  ${RATE_LIMIT}
  node(id: $id) {
    ... on PullRequest {
      ${PR_IDENTITY}
      ${connectionSelection(connection, '$pageSize', fragment, ', after: $cursor')}
    }
  }
}
${fragments.join('\n')}
${PAGE_INFO}
`;

export const PR_COMMITS_QUERY = prContinuation('SluicePullRequestCommits', 'commits', 'SluicePrCommit', [COMMIT]);
export const PR_REVIEWS_QUERY = prContinuation('SluicePullRequestReviews', 'reviews', 'SluicePrReview', [REVIEW]);
export const PR_COMMENTS_QUERY = prContinuation('SluicePullRequestComments', 'comments', 'SluiceIssueComment', [ISSUE_COMMENT]);
export const PR_REVIEW_THREADS_QUERY = prContinuation('SluicePullRequestReviewThreads', 'reviewThreads', 'SluiceReviewThread', [REVIEW_THREAD, REVIEW_COMMENT], ', $threadCommentsPageSize: Int!');

export const THREAD_COMMENTS_QUERY = /* GraphQL */ `
query SluiceReviewThreadComments($id: ID!, $pageSize: Int!, $cursor: String) {
  ${RATE_LIMIT}
  node(id: $id) {
    ... on PullRequestReviewThread {
      id
      pullRequest { ${PR_IDENTITY} }
      ${connectionSelection('comments', '$pageSize', 'SluiceReviewComment', ', after: $cursor')}
    }
  }
}
${REVIEW_COMMENT}
${PAGE_INFO}
`;

const NESTED_QUERIES: Readonly<Record<NestedConnection, string>> = {
  commits: PR_COMMITS_QUERY,
  reviews: PR_REVIEWS_QUERY,
  comments: PR_COMMENTS_QUERY,
  reviewThreads: PR_REVIEW_THREADS_QUERY,
  threadComments: THREAD_COMMENTS_QUERY,
};

/** The continuation document for a nested connection. */
export const nestedQuery = (connection: NestedConnection): string => NESTED_QUERIES[connection];

/** Every document, by operation name (for the tests and the raw inspector). */
export const ALL_QUERIES: Readonly<Record<string, string>> = {
  SluicePullRequestPage: PR_PAGE_QUERY,
  SluicePullRequestCommits: PR_COMMITS_QUERY,
  SluicePullRequestReviews: PR_REVIEWS_QUERY,
  SluicePullRequestComments: PR_COMMENTS_QUERY,
  SluicePullRequestReviewThreads: PR_REVIEW_THREADS_QUERY,
  SluiceReviewThreadComments: THREAD_COMMENTS_QUERY,
};

const checkPageSize = (name: string, value: number): number => {
  if (!Number.isInteger(value) || value < 1 || value > MAX_PAGE_SIZE) {
    throw new RangeError(`${name} must be an integer from 1 to ${MAX_PAGE_SIZE} (GitHub's connection limit), got ${String(value)}; fix the integration's pageSize.`);
  }
  return value;
};

/**
 * Possible nodes of a PR page as GitHub counts them: the PRs, their four nested connections, and the
 * comments of every possible review thread (api-contracts.md 3.3: at most 500,000 per query).
 */
export const prPageNodeCount = (pageSize: number, nestedPageSize: number, threadCommentsPageSize: number): number =>
  pageSize + 4 * pageSize * nestedPageSize + pageSize * nestedPageSize * threadCommentsPageSize;

/** The largest thread-comments page (≤ the nested page size) that keeps a PR page under GitHub's node limit. */
export const fittingThreadCommentsPageSize = (pageSize: number, nestedPageSize: number): number => {
  const room = Math.floor((MAX_QUERY_NODES - pageSize - 4 * pageSize * nestedPageSize) / (pageSize * nestedPageSize));
  return Math.max(1, Math.min(nestedPageSize, room));
};

export interface PrPageVariables {
  readonly owner: string;
  readonly name: string;
  readonly cursor: string | null;
  readonly pageSize: number;
  readonly nestedPageSize: number;
  readonly threadCommentsPageSize: number;
}

/**
 * Variables of `PR_PAGE_QUERY` for the repository `fullName` (`owner/name`, the `pull_requests`
 * partition). Nested connections default to the PR page size; thread comments to the largest page that
 * keeps the query under GitHub's node limit (45 at 100/100).
 */
export const prPageVariables = (options: {
  readonly fullName: string;
  readonly cursor: string | null;
  readonly pageSize: number;
  readonly nestedPageSize?: number;
  readonly threadCommentsPageSize?: number;
}): PrPageVariables => {
  const [owner, name, ...rest] = options.fullName.split('/');
  if (!owner || !name || rest.length > 0) throw new RangeError(`A pull_requests partition is a repository "owner/name", got "${options.fullName}".`);
  const pageSize = checkPageSize('pageSize', options.pageSize);
  const nestedPageSize = checkPageSize('nestedPageSize', options.nestedPageSize ?? pageSize);
  const threadCommentsPageSize = checkPageSize('threadCommentsPageSize', options.threadCommentsPageSize ?? fittingThreadCommentsPageSize(pageSize, nestedPageSize));
  const nodes = prPageNodeCount(pageSize, nestedPageSize, threadCommentsPageSize);
  if (nodes > MAX_QUERY_NODES) {
    throw new RangeError(`A PR page of ${pageSize} PRs, ${nestedPageSize} nested and ${threadCommentsPageSize} thread comments may ask for ${nodes} nodes, over GitHub's ${MAX_QUERY_NODES}; use smaller pages.`);
  }
  return { owner, name, cursor: options.cursor, pageSize, nestedPageSize, threadCommentsPageSize };
};

export interface NestedVariables {
  readonly id: string;
  readonly cursor: string;
  readonly pageSize: number;
  /** Only for `reviewThreads` (the first page of each thread's comments). */
  readonly threadCommentsPageSize?: number;
}

export interface NestedPartition {
  readonly nodeId: string;
  readonly connection: NestedConnection;
}

const isNestedConnection = (value: string): value is NestedConnection => (NESTED_CONNECTIONS as readonly string[]).includes(value);

/** The `pr_nested` partition that continues `connection` of node `nodeId`. */
export const nestedPartition = (nodeId: string, connection: NestedConnection): string => {
  if (nodeId.length === 0 || nodeId.includes(':')) throw new RangeError(`"${nodeId}" is not a GitHub node id.`);
  return `${nodeId}:${connection}`;
};

/** Reads a `pr_nested` partition; a RangeError that says the expected shape when it is not one. */
export const parseNestedPartition = (partition: string): NestedPartition => {
  const at = partition.lastIndexOf(':');
  const nodeId = partition.slice(0, at);
  const connection = partition.slice(at + 1);
  if (at <= 0 || nodeId.includes(':') || !isNestedConnection(connection)) {
    throw new RangeError(`A pr_nested partition is "<nodeId>:<connection>" with connection one of ${NESTED_CONNECTIONS.join(', ')}; got "${partition.slice(0, 200)}".`);
  }
  return { nodeId, connection };
};

/** The document and variables of the request that continues a `pr_nested` partition from `cursor`. */
export const nestedRequest = (partition: string, cursor: string, pageSize: number, threadCommentsPageSize?: number): { query: string; variables: NestedVariables } => {
  const { nodeId, connection } = parseNestedPartition(partition);
  const size = checkPageSize('pageSize', pageSize);
  const variables: NestedVariables =
    connection === 'reviewThreads'
      ? { id: nodeId, cursor, pageSize: size, threadCommentsPageSize: checkPageSize('threadCommentsPageSize', threadCommentsPageSize ?? size) }
      : { id: nodeId, cursor, pageSize: size };
  return { query: nestedQuery(connection), variables };
};
