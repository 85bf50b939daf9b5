/**
 * Builders for GitHub REST entities in the shapes of the official OpenAPI schemas (full-repository,
 * pull-request, commit, pull-request-review, pull-request-review-comment, issue-comment).
 */
import type { GithubPull, GithubRepository, Json, JsonObject } from '../world/types';
import { githubTime } from './time';

export const GH_API = 'https://api.github.com';
export const GH_WEB = 'https://github.com';

export function ghUser(login: string, id: number, type: 'User' | 'Organization' = 'User'): JsonObject {
  const url = `${GH_API}/users/${login}`;
  return {
    login, id, node_id: Buffer.from(`04:${type}${id}`).toString('base64'), avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '', url, html_url: `${GH_WEB}/${login}`, followers_url: `${url}/followers`, following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`, starred_url: `${url}/starred{/owner}{/repo}`, subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`, repos_url: `${url}/repos`, events_url: `${url}/events{/privacy}`, received_events_url: `${url}/received_events`,
    type, user_view_type: 'public', site_admin: false,
  };
}

export interface RepoInput {
  id: number;
  owner: JsonObject;
  name: string;
  description: string;
  language: string;
  created: number;
  pushed: number;
  nodeId: string;
}

export function repository(r: RepoInput): GithubRepository {
  const full = `${r.owner.login as string}/${r.name}`;
  const url = `${GH_API}/repos/${full}`;
  const u = (s: string) => `${url}/${s}`;
  return {
    id: r.id, node_id: r.nodeId, name: r.name, full_name: full, private: true, owner: r.owner, html_url: `${GH_WEB}/${full}`,
    description: r.description, fork: false, url,
    archive_url: u('{archive_format}{/ref}'), assignees_url: u('assignees{/user}'), blobs_url: u('git/blobs{/sha}'), branches_url: u('branches{/branch}'),
    collaborators_url: u('collaborators{/collaborator}'), comments_url: u('comments{/number}'), commits_url: u('commits{/sha}'), compare_url: u('compare/{base}...{head}'),
    contents_url: u('contents/{+path}'), contributors_url: u('contributors'), deployments_url: u('deployments'), downloads_url: u('downloads'), events_url: u('events'),
    forks_url: u('forks'), git_commits_url: u('git/commits{/sha}'), git_refs_url: u('git/refs{/sha}'), git_tags_url: u('git/tags{/sha}'),
    git_url: `git://github.com/${full}.git`, issue_comment_url: u('issues/comments{/number}'), issue_events_url: u('issues/events{/number}'), issues_url: u('issues{/number}'),
    keys_url: u('keys{/key_id}'), labels_url: u('labels{/name}'), languages_url: u('languages'), merges_url: u('merges'), milestones_url: u('milestones{/number}'),
    notifications_url: u('notifications{?since,all,participating}'), pulls_url: u('pulls{/number}'), releases_url: u('releases{/id}'), ssh_url: `git@github.com:${full}.git`,
    stargazers_url: u('stargazers'), statuses_url: u('statuses/{sha}'), subscribers_url: u('subscribers'), subscription_url: u('subscription'), tags_url: u('tags'),
    teams_url: u('teams'), trees_url: u('git/trees{/sha}'), clone_url: `${GH_WEB}/${full}.git`, mirror_url: null, hooks_url: u('hooks'), svn_url: `${GH_WEB}/${full}`,
    homepage: null, language: r.language, forks_count: 0, forks: 0, stargazers_count: r.id % 17, watchers_count: r.id % 17, watchers: r.id % 17, size: 1000 + (r.id % 9000),
    default_branch: 'main', open_issues_count: 0, open_issues: 0, is_template: false, topics: [], has_issues: true, has_projects: true, has_wiki: false,
    has_pages: false, has_downloads: true, has_discussions: false, archived: false, disabled: false, visibility: 'private',
    pushed_at: githubTime(r.pushed), created_at: githubTime(r.created), updated_at: githubTime(r.pushed),
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
    allow_rebase_merge: true, temp_clone_token: '', allow_squash_merge: true, allow_auto_merge: false, delete_branch_on_merge: true, allow_merge_commit: true,
    allow_forking: false, subscribers_count: 3, network_count: 0, license: null, organization: r.owner,
  };
}

export interface PullInput {
  repo: GithubRepository;
  id: number;
  nodeId: string;
  number: number;
  title: string;
  body: string;
  user: JsonObject;
  branch: string;
  headSha: string;
  created: number;
  closed: number | null;
  merged: boolean;
  updated: number;
  mergedBy: JsonObject | null;
  mergeSha: string | null;
  counts: { comments: number; review_comments: number; commits: number; additions: number; deletions: number; changed_files: number };
  reviewers: JsonObject[];
}

export function pull(p: PullInput): GithubPull {
  const full = p.repo.full_name;
  const url = `${GH_API}/repos/${full}/pulls/${p.number}`;
  const html = `${GH_WEB}/${full}/pull/${p.number}`;
  const issueUrl = `${GH_API}/repos/${full}/issues/${p.number}`;
  const owner = p.repo.owner as JsonObject;
  const ref = (name: string, sha: string): JsonObject => ({ label: `${owner.login as string}:${name}`, ref: name, sha, user: owner, repo: p.repo });
  return {
    url, id: p.id, node_id: p.nodeId, html_url: html, diff_url: `${html}.diff`, patch_url: `${html}.patch`, issue_url: issueUrl,
    commits_url: `${url}/commits`, review_comments_url: `${url}/comments`, review_comment_url: `${GH_API}/repos/${full}/pulls/comments{/number}`,
    comments_url: `${issueUrl}/comments`, statuses_url: `${GH_API}/repos/${full}/statuses/${p.headSha}`,
    number: p.number, state: p.closed === null ? 'open' : 'closed', locked: false, title: p.title, user: p.user, body: p.body,
    labels: [], milestone: null, active_lock_reason: null,
    created_at: githubTime(p.created), updated_at: githubTime(p.updated),
    closed_at: p.closed === null ? null : githubTime(p.closed), merged_at: p.merged && p.closed !== null ? githubTime(p.closed) : null,
    merge_commit_sha: p.mergeSha, assignee: null, assignees: [], requested_reviewers: p.closed === null ? p.reviewers : [], requested_teams: [],
    head: ref(p.branch, p.headSha), base: ref('main', p.mergeSha ?? p.headSha),
    _links: {
      self: { href: url }, html: { href: html }, issue: { href: issueUrl }, comments: { href: `${issueUrl}/comments` },
      review_comments: { href: `${url}/comments` }, review_comment: { href: `${GH_API}/repos/${full}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` }, statuses: { href: `${GH_API}/repos/${full}/statuses/${p.headSha}` },
    },
    author_association: 'MEMBER', auto_merge: null, draft: false,
    merged: p.merged, mergeable: p.closed === null ? true : null, rebaseable: p.closed === null ? true : null, mergeable_state: p.closed === null ? 'clean' : 'unknown',
    merged_by: p.mergedBy, comments: p.counts.comments, review_comments: p.counts.review_comments, maintainer_can_modify: false,
    commits: p.counts.commits, additions: p.counts.additions, deletions: p.counts.deletions, changed_files: p.counts.changed_files,
  };
}

/** The keys of the full pull-request that the list endpoint (pull-request-simple) does not return. */
export const FULL_ONLY_PULL_KEYS = ['merged', 'mergeable', 'rebaseable', 'mergeable_state', 'merged_by', 'comments', 'review_comments', 'maintainer_can_modify', 'commits', 'additions', 'deletions', 'changed_files'];

export function commit(full: string, sha: string, parent: string, message: string, author: JsonObject, name: string, date: number): JsonObject {
  const email = `${author.login as string}@users.noreply.github.com`;
  const sig = { name, email, date: githubTime(date) };
  return {
    url: `${GH_API}/repos/${full}/commits/${sha}`, sha, node_id: Buffer.from(`06:Commit${sha.slice(0, 12)}`).toString('base64'),
    html_url: `${GH_WEB}/${full}/commit/${sha}`, comments_url: `${GH_API}/repos/${full}/commits/${sha}/comments`,
    commit: {
      url: `${GH_API}/repos/${full}/git/commits/${sha}`, author: sig, committer: sig, message,
      tree: { url: `${GH_API}/repos/${full}/git/trees/${sha.split('').reverse().join('')}`, sha: sha.split('').reverse().join('') },
      comment_count: 0, verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
    author, committer: author,
    parents: [{ sha: parent, url: `${GH_API}/repos/${full}/commits/${parent}`, html_url: `${GH_WEB}/${full}/commit/${parent}` }],
  };
}

export function review(full: string, number: number, id: number, user: JsonObject, state: string, body: string, at: number, commitId: string): JsonObject {
  const html = `${GH_WEB}/${full}/pull/${number}#pullrequestreview-${id}`;
  const pr = `${GH_API}/repos/${full}/pulls/${number}`;
  return {
    id, node_id: `PRR_kwDO${id.toString(36).toUpperCase().padStart(8, '0')}`, user, body, state, html_url: html, pull_request_url: pr,
    _links: { html: { href: html }, pull_request: { href: pr } }, submitted_at: githubTime(at), commit_id: commitId, author_association: 'MEMBER',
  };
}

export function reviewComment(full: string, number: number, id: number, reviewId: number, user: JsonObject, body: string, at: number, commitId: string, path: string, line: number, replyTo: number | null): JsonObject {
  const url = `${GH_API}/repos/${full}/pulls/comments/${id}`;
  const html = `${GH_WEB}/${full}/pull/${number}#discussion_r${id}`;
  const pr = `${GH_API}/repos/${full}/pulls/${number}`;
  const out: JsonObject = {
    url, pull_request_review_id: reviewId, id, node_id: `PRRC_kwDO${id.toString(36).toUpperCase().padStart(8, '0')}`,
    diff_hunk: `@@ -${line},6 +${line},7 @@ export function handler() {`, path, position: 4, original_position: 4, commit_id: commitId, original_commit_id: commitId,
    user, body, created_at: githubTime(at), updated_at: githubTime(at), html_url: html, pull_request_url: pr, author_association: 'MEMBER',
    _links: { self: { href: url }, html: { href: html }, pull_request: { href: pr } },
    start_line: null, original_start_line: null, start_side: null, line, original_line: line, side: 'RIGHT', subject_type: 'line',
  };
  if (replyTo !== null) out.in_reply_to_id = replyTo;
  return out;
}

export function issueComment(full: string, number: number, id: number, user: JsonObject, body: string, at: number): JsonObject {
  return {
    id, node_id: `IC_kwDO${id.toString(36).toUpperCase().padStart(8, '0')}`, url: `${GH_API}/repos/${full}/issues/comments/${id}`,
    html_url: `${GH_WEB}/${full}/pull/${number}#issuecomment-${id}`, body, user, created_at: githubTime(at), updated_at: githubTime(at),
    issue_url: `${GH_API}/repos/${full}/issues/${number}`, author_association: 'MEMBER',
  };
}

export type { Json };
