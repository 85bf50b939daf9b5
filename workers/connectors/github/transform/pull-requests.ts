import { PrPagePayload, type PullRequestNode, type RepositoryRef } from '../payloads';
import { commitRows } from './commits';
import { issueCommentRows } from './comments';
import { commitLinks, prLinks, type LinkedPr } from './links';
import { iso, isoOrNull, parsePayload, present, requireData } from './parse';
import { reviewRows } from './reviews';
import { reviewThreadRows } from './review-threads';
import { emptyRows, type GithubRows, type PrRow } from './rows';

/** The identity of a PR as link rows name it. */
export const linkedPr = (pr: { readonly id: string; readonly number: number; readonly repository: RepositoryRef }): LinkedPr => ({
  prId: pr.id,
  number: pr.number,
  repoFullName: pr.repository.nameWithOwner,
  repoExternalId: pr.repository.databaseId === null ? null : String(pr.repository.databaseId),
});

export const prRow = (pr: PullRequestNode): PrRow => ({
  external_id: pr.id,
  database_id: pr.databaseId,
  repo_external_id: pr.repository.databaseId === null ? null : String(pr.repository.databaseId),
  repo_full_name: pr.repository.nameWithOwner.toLowerCase(),
  number: pr.number,
  title: pr.title,
  body: pr.body,
  url: pr.url,
  state: pr.state,
  is_draft: pr.isDraft,
  author_login: pr.author?.login ?? null,
  source_branch: pr.headRefName,
  target_branch: pr.baseRefName,
  additions: pr.additions,
  deletions: pr.deletions,
  changed_files: pr.changedFiles,
  github_created_at: iso(pr.createdAt),
  github_updated_at: iso(pr.updatedAt),
  closed_at: isoOrNull(pr.closedAt),
  merged_at: isoOrNull(pr.mergedAt),
  reported_commit_count: pr.commits.totalCount,
  reported_review_count: pr.reviews?.totalCount ?? 0,
  reported_comment_count: pr.comments.totalCount,
  reported_review_thread_count: pr.reviewThreads.totalCount,
});

/**
 * A `pull_requests` unit: the PRs of one page with the first page of each nested connection, and the
 * links their titles, branches and commit messages name. Later nested pages are `pr_nested` units
 * (continuations.ts finds them). A repository GitHub no longer resolves (`repository: null`, with a
 * NOT_FOUND in `errors`) gives no rows; a null PR in the list (a partial error) is skipped, the rest kept.
 */
export const transformPrPage = (payload: unknown): GithubRows => {
  const data = requireData(parsePayload(PrPagePayload, payload, 'pull request page'), 'pull request page');
  const rows = emptyRows();
  if (!data.repository) return rows;
  for (const pr of present(data.repository.pullRequests.nodes)) {
    const commits = commitRows(pr.id, pr.commits);
    const threads = reviewThreadRows(pr.id, pr.reviewThreads);
    rows.prs.push(prRow(pr));
    rows.prs_commits.push(...commits);
    rows.prs_reviews.push(...reviewRows(pr.id, pr.reviews));
    rows.prs_review_threads.push(...threads.threads);
    rows.prs_comments.push(...issueCommentRows(pr.id, pr.comments), ...threads.comments);
    const identity = linkedPr(pr);
    rows.work_items_prs_links.push(...prLinks({ ...identity, title: pr.title, branch: pr.headRefName, state: pr.state, url: pr.url }), ...commitLinks(identity, commits));
  }
  return rows;
};
