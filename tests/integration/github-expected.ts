/**
 * What a GitHub world should load as, computed straight from the world's REST-shaped entities (not
 * through the connector), so the tests compare two independent derivations.
 */
import type { World } from '../../simulators';
import { parentKey } from '../../simulators/github/store';

type Obj = Record<string, unknown>;

/** GitHub serves at most 250 commits of a PR (REST and GraphQL alike); the simulator honours that. */
export const PR_COMMIT_CAP = 250;

export interface ExpectedPr {
  readonly key: string;
  readonly nodeId: string;
  readonly repo: string;
  readonly number: number;
  readonly author: string;
  readonly commitOids: readonly string[];
  readonly reviewIds: readonly string[];
  readonly issueCommentIds: readonly string[];
  readonly reviewCommentIds: readonly string[];
  readonly threadRootIds: readonly string[];
  readonly metrics: {
    readonly commit_count: number;
    readonly review_count: number;
    readonly reviewers: readonly string[];
    readonly reviewer_count: number;
    readonly first_review_at: string | null;
    readonly review_cycles: number;
    readonly rework_commit_count: number;
    readonly comment_count: number;
    readonly review_comment_count: number;
    readonly review_thread_count: number;
    readonly additions: number;
    readonly deletions: number;
    readonly changed_files: number;
    readonly source_branch: string;
    readonly target_branch: string;
  };
}

const group = <T>(items: readonly T[], keyOf: (item: T) => string | null): Map<string, T[]> => {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = keyOf(item);
    if (k === null) continue;
    out.set(k, [...(out.get(k) ?? []), item]);
  }
  return out;
};

const login = (user: unknown): string => String((user as Obj).login);

export const expectedPrs = (world: World): ExpectedPr[] => {
  const g = world.github;
  const commits = group(g.commits, (c) => `${c.repository.toLowerCase()}#${c.pull_number}`);
  const reviews = group(g.reviews, (r) => parentKey(r.pull_request_url));
  const issueComments = group(g.issueComments, (c) => parentKey(c.issue_url));
  const reviewComments = group(g.reviewComments, (c) => parentKey(c.pull_request_url));
  return g.pulls.map((p) => {
    const repo = String(((p.base as Obj).repo as Obj).full_name).toLowerCase();
    const key = `${repo}#${p.number}`;
    const author = login(p.user);
    const served = (commits.get(key) ?? []).slice(0, PR_COMMIT_CAP).map((c) => c.commit as Obj);
    const byOthers = (reviews.get(key) ?? []).filter((r) => r.state !== 'PENDING' && login(r.user) !== author);
    const firstReview = byOthers.map((r) => Date.parse(String(r.submitted_at))).sort((a, b) => a - b)[0];
    const rc = reviewComments.get(key) ?? [];
    const reviewers = [...new Set(byOthers.map((r) => login(r.user)))].sort();
    return {
      key,
      nodeId: String(p.node_id),
      repo,
      number: p.number,
      author,
      commitOids: served.map((c) => String(c.sha)),
      reviewIds: (reviews.get(key) ?? []).map((r) => String(r.node_id)),
      issueCommentIds: (issueComments.get(key) ?? []).map((c) => String(c.node_id)),
      reviewCommentIds: rc.map((c) => String(c.node_id)),
      threadRootIds: rc.filter((c) => typeof c.in_reply_to_id !== 'number').map((c) => String(c.node_id)),
      metrics: {
        commit_count: served.length,
        review_count: byOthers.length,
        reviewers,
        reviewer_count: reviewers.length,
        first_review_at: firstReview === undefined ? null : new Date(firstReview).toISOString(),
        review_cycles: byOthers.filter((r) => r.state === 'CHANGES_REQUESTED').length,
        rework_commit_count: firstReview === undefined ? 0 : served.filter((c) => Date.parse(String(((c.commit as Obj).author as Obj).date)) > firstReview).length,
        comment_count: (issueComments.get(key) ?? []).length,
        review_comment_count: rc.length,
        review_thread_count: rc.filter((c) => typeof c.in_reply_to_id !== 'number').length,
        additions: Number(p.additions),
        deletions: Number(p.deletions),
        changed_files: Number(p.changed_files),
        source_branch: String((p.head as Obj).ref),
        target_branch: String((p.base as Obj).ref),
      },
    };
  });
};

/**
 * The PR ↔ issue links the generator recorded: every PR it made for an issue is in that issue's
 * dev-status detail (and mentions the issue key in its title, branch and first commit message).
 * As `KEY repo#number`, repo lower case.
 */
export const expectedLinks = (world: World): string[] => {
  const keyOf = new Map(world.jira.issues.map((i) => [i.id, i.key]));
  const links: string[] = [];
  for (const d of world.jira.devStatus) {
    const detail = (d.body.detail as Obj[])[0] as Obj;
    for (const pr of detail.pullRequests as Obj[]) {
      links.push(`${keyOf.get(d.issueId)!} ${String(pr.repositoryName).toLowerCase()}#${String(pr.id).replace('#', '')}`);
    }
  }
  return links.sort();
};
