/**
 * Small GitHub GraphQL answers in the exact shape of the connector's queries, for the unit tests of
 * the transform and the continuation helpers (edge cases a generated world does not have: deleted
 * authors, partial errors, broken cursors). Realistic data comes from the simulator in
 * tests/integration/github-*.test.ts. Not imported by product code.
 */

type Json = Record<string, unknown>;

export const page = (hasNextPage = false, endCursor: string | null = hasNextPage ? 'Y3Vyc29yOnYyOjE=' : null) => ({ hasNextPage, endCursor });

export const connection = (nodes: readonly unknown[], pageInfo = page(), totalCount = nodes.length) => ({ totalCount, pageInfo, nodes });

export const sha = (n: number): string => n.toString(16).padStart(40, '0');

export const commit = (n: number, message: string, authoredDate = `2024-01-0${(n % 9) + 1}T10:00:00Z`): Json => ({
  commit: {
    oid: sha(n),
    message,
    authoredDate,
    committedDate: authoredDate,
    author: { name: 'Ana Lima', email: 'ana@example.com', date: authoredDate, user: { login: 'ana' } },
    committer: { name: 'GitHub', email: 'noreply@github.com', date: authoredDate, user: null },
  },
});

export const review = (id: string, state: string, login: string | null, submittedAt: string | null = '2024-01-03T12:00:00Z'): Json => ({
  id,
  databaseId: 7,
  state,
  body: 'looks fine',
  createdAt: submittedAt ?? '2024-01-03T11:00:00Z',
  submittedAt,
  url: `https://github.com/o/r/pull/1#pullrequestreview-${id}`,
  author: login === null ? null : { login },
  commit: { oid: sha(1) },
});

export const issueComment = (id: string, login: string | null = 'bo'): Json => ({
  id,
  databaseId: 9,
  body: 'A comment',
  createdAt: '2024-01-04T08:00:00Z',
  updatedAt: '2024-01-04T09:00:00+01:00',
  url: `https://github.com/o/r/pull/1#issuecomment-${id}`,
  author: login === null ? null : { login },
});

export const reviewComment = (id: string, replyTo: string | null = null): Json => ({
  id,
  databaseId: 11,
  body: 'nit',
  createdAt: '2024-01-03T12:00:00Z',
  updatedAt: '2024-01-03T12:00:00Z',
  url: `https://github.com/o/r/pull/1#discussion_r${id}`,
  path: 'src/a.ts',
  line: 12,
  originalLine: 10,
  diffHunk: '@@ -1,3 +1,4 @@',
  author: { login: 'cy' },
  replyTo: replyTo === null ? null : { id: replyTo },
  pullRequestReview: { id: 'PRR_1' },
});

export const thread = (id: string, comments: readonly unknown[], pageInfo = page()): Json => ({
  id,
  isResolved: false,
  isOutdated: true,
  path: 'src/a.ts',
  line: null,
  comments: connection(comments, pageInfo),
});

export const repository = { databaseId: 42, nameWithOwner: 'Acme/Widgets' };

export const pullRequest = (overrides: Json = {}): Json => ({
  id: 'PR_1',
  databaseId: 1001,
  number: 7,
  title: '[ENG-12] Add login',
  body: 'Closes ENG-12',
  url: 'https://github.com/Acme/Widgets/pull/7',
  state: 'MERGED',
  isDraft: false,
  createdAt: '2024-01-02T09:00:00Z',
  updatedAt: '2024-01-05T09:00:00Z',
  closedAt: '2024-01-05T09:00:00Z',
  mergedAt: '2024-01-05T09:00:00Z',
  headRefName: 'feature/ENG-12-login',
  baseRefName: 'main',
  additions: 10,
  deletions: 2,
  changedFiles: 3,
  author: { login: 'ana' },
  repository,
  commits: connection([commit(1, 'ENG-12: first'), commit(2, 'wip, see OPS-3')]),
  reviews: connection([review('PRR_1', 'CHANGES_REQUESTED', 'bo')]),
  comments: connection([issueComment('IC_1')]),
  reviewThreads: connection([thread('PRRT_1', [reviewComment('PRRC_1'), reviewComment('PRRC_2', 'PRRC_1')])]),
  ...overrides,
});

export const prPage = (nodes: readonly unknown[], pageInfo = page(), errors?: readonly unknown[]): Json => ({
  data: {
    rateLimit: { cost: 1, limit: 5000, remaining: 4999, used: 1, resetAt: '2024-01-05T10:00:00Z', nodeCount: 10 },
    repository: { id: 'R_1', databaseId: 42, nameWithOwner: 'Acme/Widgets', pullRequests: connection(nodes, pageInfo) },
  },
  ...(errors ? { errors } : {}),
});

/** A PR continuation answer: `node` holds the PR's identity and the one connection. */
export const prContinuation = (key: string, value: unknown, id = 'PR_1'): Json => ({
  data: { rateLimit: { cost: 1 }, node: { id, number: 7, repository, [key]: value } },
});

export const threadContinuation = (comments: unknown, id = 'PRRT_1'): Json => ({
  data: { rateLimit: { cost: 1 }, node: { id, pullRequest: { id: 'PR_1', number: 7, repository }, comments } },
});

export const notFound = (what = 'node'): Json => ({
  data: { rateLimit: { cost: 1 }, node: null },
  errors: [{ type: 'NOT_FOUND', path: [what], message: `Could not resolve to a node with the global id of 'X'` }],
});
