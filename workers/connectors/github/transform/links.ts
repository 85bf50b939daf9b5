import type { CommitRow, LinkRow } from './rows';

/**
 * PR ↔ work item links found on the GitHub side (DESIGN.md section 6): Jira issue keys mentioned in a
 * PR's title, its source branch and its commit messages. The prior system only had Jira's side
 * (prior-system.md 4.6); the Jira connector writes that one (`jira_dev_status`), and the view
 * `pr_work_item_links` (migration 0006) merges both, each row keeping its source.
 *
 * An issue key is `PROJECT-123`: a capital letter, then capitals, digits or `_`, a dash and digits,
 * bounded by anything but a letter or digit. Underscores, slashes, dashes and brackets are boundaries,
 * so `feature/ENG-12-login`, `ENG-12_fix` and `[ENG-12]` all name ENG-12, while `xENG-12` and
 * `ENG-12a` name nothing. Matching is case-sensitive, as Jira's own smart-commit matching is: lower
 * case would turn `utf-8` or `sha-256` into issue keys.
 */
const ISSUE_KEY = /(?<![A-Za-z0-9])([A-Z][A-Z0-9_]+)-(\d+)(?![A-Za-z0-9])/g;

/** Distinct issue keys in `text`, in order of first mention; `ENG-007` is ENG-7 (Jira numbers have no leading zeros). */
export const issueKeys = (text: string): string[] => {
  const keys = new Set<string>();
  for (const m of text.matchAll(ISSUE_KEY)) keys.add(`${m[1]!}-${m[2]!.replace(/^0+(?=\d)/, '')}`);
  return [...keys];
};

/** What a link row says about its PR. */
export interface LinkedPr {
  readonly prId: string;
  readonly number: number;
  /** `owner/name`, any case (links store it lower case). */
  readonly repoFullName: string;
  readonly repoExternalId: string | null;
}

const base = (pr: LinkedPr) => ({
  repo_full_name: pr.repoFullName.toLowerCase(),
  pr_number: pr.number,
  external_repo_id: pr.repoExternalId,
  pr_external_id: pr.prId,
});

/** Links from a PR's title and source branch (known only on its PR page, with its state and URL). */
export const prLinks = (pr: LinkedPr & { readonly title: string; readonly branch: string; readonly state: string; readonly url: string }): LinkRow[] => {
  const from = (source: 'pr_title' | 'pr_branch', text: string): LinkRow[] =>
    issueKeys(text).map((key) => ({ source, work_item_key: key, ...base(pr), branch_name: pr.branch, commit_sha: null, pr_status: pr.state, pr_url: pr.url }));
  return [...from('pr_title', pr.title), ...from('pr_branch', pr.branch)];
};

/** Commits in the order "which named the key first": author time, then oid (a total order, same on every page). */
const earlier = (a: CommitRow, b: CommitRow): boolean => a.authored_at < b.authored_at || (a.authored_at === b.authored_at && a.oid < b.oid);

/**
 * Links from the commit messages of one page of a PR's commits: one row per key, naming the earliest
 * commit of the page that mentions it (a link is per PR, not per commit; the commits table has the
 * rest). A key mentioned on several pages gives a row from each; load keeps the earliest commit of all,
 * so the link does not depend on paging or load order.
 */
export const commitLinks = (pr: LinkedPr, commits: readonly CommitRow[]): LinkRow[] => {
  const first = new Map<string, CommitRow>();
  for (const c of commits) {
    for (const key of issueKeys(c.message)) {
      const seen = first.get(key);
      if (!seen || earlier(c, seen)) first.set(key, c);
    }
  }
  return [...first].map(([key, c]) => ({ source: 'commit_message', work_item_key: key, ...base(pr), branch_name: null, commit_sha: c.oid, pr_status: null, pr_url: null }));
};
