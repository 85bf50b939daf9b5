import { z } from 'zod';

/**
 * The rows the GitHub transform produces, one schema per unified table (migration
 * 0010_github_unified.sql, and 0006 for the links). They are the contract between transform and load:
 * the output is stored as JSON in `raw_extraction_data.transformed` until load reads it back, so load
 * validates it with these same schemas (an output stored by an older transform fails loudly instead of
 * loading half a row).
 *
 * Rows name no tenant, integration or raw unit: load adds them from the unit's lineage. Rows refer to
 * each other by natural keys only (a commit names its PR's node id), so any unit can load first.
 * Timestamps are ISO 8601 strings in UTC.
 */

const Iso = z.iso.datetime();
const Text = z.string();
const Count = z.int().nonnegative();

export const RepositoryRow = z.strictObject({
  /** GitHub's numeric repository id, as text (what Jira dev-status calls repositoryId). */
  external_id: Text,
  node_id: Text.nullable(),
  name: Text,
  /** As GitHub spells it; joins use lower(full_name). */
  full_name: Text,
  owner_login: Text,
  description: Text.nullable(),
  language: Text.nullable(),
  default_branch: Text.nullable(),
  visibility: Text.nullable(),
  is_private: z.boolean(),
  is_fork: z.boolean().nullable(),
  is_archived: z.boolean().nullable(),
  is_disabled: z.boolean().nullable(),
  is_template: z.boolean().nullable(),
  topics: z.array(Text),
  license: Text.nullable(),
  stargazers_count: Count.nullable(),
  forks_count: Count.nullable(),
  open_issues_count: Count.nullable(),
  size_kb: Count.nullable(),
  html_url: Text,
  github_created_at: Iso.nullable(),
  github_updated_at: Iso.nullable(),
  pushed_at: Iso.nullable(),
});
export type RepositoryRow = z.infer<typeof RepositoryRow>;

export const PrRow = z.strictObject({
  /** The PR's GraphQL node id: the natural key every nested row refers to. */
  external_id: Text,
  database_id: z.int().nullable(),
  repo_external_id: Text.nullable(),
  /** Lower case `owner/name`, as in work_items_prs_links. */
  repo_full_name: Text,
  number: z.int().positive(),
  title: Text,
  body: Text,
  url: Text,
  state: z.enum(['OPEN', 'CLOSED', 'MERGED']),
  is_draft: z.boolean(),
  author_login: Text.nullable(),
  source_branch: Text,
  target_branch: Text,
  additions: Count,
  deletions: Count,
  changed_files: Count,
  github_created_at: Iso,
  github_updated_at: Iso,
  closed_at: Iso.nullable(),
  merged_at: Iso.nullable(),
  /** `totalCount` of each nested connection as GitHub reported it on this PR page (completeness check). */
  reported_commit_count: Count,
  reported_review_count: Count,
  reported_comment_count: Count,
  reported_review_thread_count: Count,
});
export type PrRow = z.infer<typeof PrRow>;

export const CommitRow = z.strictObject({
  pr_external_id: Text,
  oid: Text,
  message: Text,
  author_name: Text.nullable(),
  author_email: Text.nullable(),
  author_login: Text.nullable(),
  committer_name: Text.nullable(),
  committer_email: Text.nullable(),
  committer_login: Text.nullable(),
  authored_at: Iso,
  committed_at: Iso,
});
export type CommitRow = z.infer<typeof CommitRow>;

export const ReviewRow = z.strictObject({
  external_id: Text,
  pr_external_id: Text,
  database_id: z.int().nullable(),
  state: z.enum(['PENDING', 'COMMENTED', 'APPROVED', 'CHANGES_REQUESTED', 'DISMISSED']),
  author_login: Text.nullable(),
  body: Text,
  url: Text.nullable(),
  commit_oid: Text.nullable(),
  github_created_at: Iso,
  submitted_at: Iso.nullable(),
});
export type ReviewRow = z.infer<typeof ReviewRow>;

export const ReviewThreadRow = z.strictObject({
  external_id: Text,
  pr_external_id: Text,
  is_resolved: z.boolean(),
  is_outdated: z.boolean().nullable(),
  path: Text,
  line: z.int().nullable(),
  reported_comment_count: Count,
});
export type ReviewThreadRow = z.infer<typeof ReviewThreadRow>;

/** Issue comments (the PR conversation) and review-thread comments (on the diff), told apart by comment_type. */
export const CommentRow = z.strictObject({
  external_id: Text,
  pr_external_id: Text,
  comment_type: z.enum(['issue', 'review_thread']),
  thread_external_id: Text.nullable(),
  review_external_id: Text.nullable(),
  reply_to_external_id: Text.nullable(),
  database_id: z.int().nullable(),
  author_login: Text.nullable(),
  body: Text,
  url: Text.nullable(),
  path: Text.nullable(),
  line: z.int().nullable(),
  original_line: z.int().nullable(),
  diff_hunk: Text.nullable(),
  github_created_at: Iso,
  github_updated_at: Iso,
});
export type CommentRow = z.infer<typeof CommentRow>;

export const LINK_SOURCES = ['pr_title', 'pr_branch', 'commit_message'] as const;
export type LinkSource = (typeof LINK_SOURCES)[number];

/** A row of work_items_prs_links (migration 0006) found on the GitHub side. */
export const LinkRow = z.strictObject({
  source: z.enum(LINK_SOURCES),
  work_item_key: z.string().regex(/^[A-Z][A-Z0-9_]*-[0-9]+$/),
  repo_full_name: z.string().refine((s) => s === s.toLowerCase() && s.includes('/'), 'lower case owner/name'),
  pr_number: z.int().positive(),
  external_repo_id: Text.nullable(),
  pr_external_id: Text,
  branch_name: Text.nullable(),
  commit_sha: Text.nullable(),
  pr_status: Text.nullable(),
  pr_url: Text.nullable(),
});
export type LinkRow = z.infer<typeof LinkRow>;

/** The tables of a GitHub transform output, each optional (a unit fills only some). */
export const GithubTables = z.strictObject({
  repositories: z.array(RepositoryRow).optional(),
  prs: z.array(PrRow).optional(),
  prs_commits: z.array(CommitRow).optional(),
  prs_reviews: z.array(ReviewRow).optional(),
  prs_review_threads: z.array(ReviewThreadRow).optional(),
  prs_comments: z.array(CommentRow).optional(),
  work_items_prs_links: z.array(LinkRow).optional(),
});
export type GithubTables = z.infer<typeof GithubTables>;

/** What one unit's rows add up to, before `TransformOutput` (which only knows rows are records). */
export interface GithubRows {
  repositories: RepositoryRow[];
  prs: PrRow[];
  prs_commits: CommitRow[];
  prs_reviews: ReviewRow[];
  prs_review_threads: ReviewThreadRow[];
  prs_comments: CommentRow[];
  work_items_prs_links: LinkRow[];
}

export const emptyRows = (): GithubRows => ({
  repositories: [],
  prs: [],
  prs_commits: [],
  prs_reviews: [],
  prs_review_threads: [],
  prs_comments: [],
  work_items_prs_links: [],
});
