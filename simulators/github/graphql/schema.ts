/**
 * The executable subset of GitHub's GraphQL schema the simulator serves. Every type, field and argument
 * here exists with the same type in `@octokit/graphql-schema` (checked by the contract test), and the
 * whole request is also validated against the official schema when that package is installed, so a query
 * real GitHub would reject fails here too.
 */
export const SUBSET_SDL = /* GraphQL */ `
scalar DateTime
scalar URI
scalar GitObjectID
scalar GitTimestamp

enum PullRequestState { OPEN CLOSED MERGED }
enum PullRequestReviewState { PENDING COMMENTED APPROVED CHANGES_REQUESTED DISMISSED }
enum IssueOrderField { CREATED_AT UPDATED_AT COMMENTS }
enum IssueCommentOrderField { UPDATED_AT }
enum OrderDirection { ASC DESC }
input IssueOrder { field: IssueOrderField!, direction: OrderDirection! }
input IssueCommentOrder { field: IssueCommentOrderField!, direction: OrderDirection! }

interface Node { id: ID! }
interface Actor { login: String!, avatarUrl(size: Int): URI!, url: URI!, resourcePath: URI! }
interface RepositoryOwner { id: ID!, login: String!, avatarUrl(size: Int): URI!, url: URI! }

type Query {
  repository(owner: String!, name: String!, followRenames: Boolean): Repository
  rateLimit(dryRun: Boolean): RateLimit
  node(id: ID!): Node
  viewer: User!
}

type RateLimit { cost: Int!, limit: Int!, nodeCount: Int!, remaining: Int!, resetAt: DateTime!, used: Int! }
type PageInfo { endCursor: String, hasNextPage: Boolean!, hasPreviousPage: Boolean!, startCursor: String }

type User implements Node & Actor & RepositoryOwner {
  id: ID!, databaseId: Int, login: String!, name: String, email: String!, avatarUrl(size: Int): URI!, url: URI!, resourcePath: URI!
}
type Organization implements Node & Actor & RepositoryOwner {
  id: ID!, databaseId: Int, login: String!, name: String, avatarUrl(size: Int): URI!, url: URI!, resourcePath: URI!
}

type Repository implements Node {
  id: ID!
  databaseId: Int
  name: String!
  nameWithOwner: String!
  owner: RepositoryOwner!
  url: URI!
  isPrivate: Boolean!
  createdAt: DateTime!
  updatedAt: DateTime!
  pushedAt: DateTime
  pullRequests(states: [PullRequestState!], labels: [String!], headRefName: String, baseRefName: String, orderBy: IssueOrder, after: String, before: String, first: Int, last: Int): PullRequestConnection!
}

type PullRequestConnection { edges: [PullRequestEdge], nodes: [PullRequest], pageInfo: PageInfo!, totalCount: Int! }
type PullRequestEdge { cursor: String!, node: PullRequest }

type PullRequest implements Node {
  id: ID!
  databaseId: Int
  number: Int!
  title: String!
  body: String!
  state: PullRequestState!
  url: URI!
  createdAt: DateTime!
  updatedAt: DateTime!
  closedAt: DateTime
  mergedAt: DateTime
  merged: Boolean!
  isDraft: Boolean!
  author: Actor
  mergedBy: Actor
  additions: Int!
  deletions: Int!
  changedFiles: Int!
  headRefName: String!
  baseRefName: String!
  headRefOid: GitObjectID!
  repository: Repository!
  commits(after: String, before: String, first: Int, last: Int): PullRequestCommitConnection!
  reviews(after: String, before: String, first: Int, last: Int, states: [PullRequestReviewState!], author: String): PullRequestReviewConnection
  comments(orderBy: IssueCommentOrder, after: String, before: String, first: Int, last: Int): IssueCommentConnection!
  reviewThreads(after: String, before: String, first: Int, last: Int): PullRequestReviewThreadConnection!
}

type PullRequestCommitConnection { edges: [PullRequestCommitEdge], nodes: [PullRequestCommit], pageInfo: PageInfo!, totalCount: Int! }
type PullRequestCommitEdge { cursor: String!, node: PullRequestCommit }
type PullRequestCommit implements Node { id: ID!, commit: Commit!, url: URI! }
type Commit implements Node {
  id: ID!, oid: GitObjectID!, message: String!, messageHeadline: String!, author: GitActor, committer: GitActor,
  authoredDate: DateTime!, committedDate: DateTime!, additions: Int!, deletions: Int!, url: URI!
}
type GitActor { name: String, email: String, date: GitTimestamp, user: User }

type PullRequestReviewConnection { edges: [PullRequestReviewEdge], nodes: [PullRequestReview], pageInfo: PageInfo!, totalCount: Int! }
type PullRequestReviewEdge { cursor: String!, node: PullRequestReview }
type PullRequestReview implements Node {
  id: ID!, databaseId: Int, state: PullRequestReviewState!, author: Actor, body: String!, createdAt: DateTime!, submittedAt: DateTime, commit: Commit, url: URI!
}

type IssueCommentConnection { edges: [IssueCommentEdge], nodes: [IssueComment], pageInfo: PageInfo!, totalCount: Int! }
type IssueCommentEdge { cursor: String!, node: IssueComment }
type IssueComment implements Node { id: ID!, databaseId: Int, body: String!, author: Actor, createdAt: DateTime!, updatedAt: DateTime!, url: URI! }

type PullRequestReviewThreadConnection { edges: [PullRequestReviewThreadEdge], nodes: [PullRequestReviewThread], pageInfo: PageInfo!, totalCount: Int! }
type PullRequestReviewThreadEdge { cursor: String!, node: PullRequestReviewThread }
type PullRequestReviewThread implements Node {
  id: ID!, isResolved: Boolean!, isOutdated: Boolean!, path: String!, line: Int, pullRequest: PullRequest!
  comments(after: String, before: String, first: Int, last: Int, skip: Int): PullRequestReviewCommentConnection!
}
type PullRequestReviewCommentConnection { edges: [PullRequestReviewCommentEdge], nodes: [PullRequestReviewComment], pageInfo: PageInfo!, totalCount: Int! }
type PullRequestReviewCommentEdge { cursor: String!, node: PullRequestReviewComment }
type PullRequestReviewComment implements Node {
  id: ID!, databaseId: Int, body: String!, author: Actor, createdAt: DateTime!, updatedAt: DateTime!, path: String!, url: URI!,
  diffHunk: String!, line: Int, originalLine: Int, replyTo: PullRequestReviewComment, pullRequestReview: PullRequestReview
}
`;
