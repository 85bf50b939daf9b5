/**
 * Generates the GitHub half of a world from the Jira half: repositories per project, PRs whose title,
 * branch and commit messages mention real issue keys, commits, reviews, review threads and conversation
 * comments; and, on the Jira side, the dev-status detail and Development field those PRs produce.
 */
import type { DevStatusDetail, GithubPull, GithubRepository, GithubWorld, JiraProject, JsonObject, PullCommit } from '../world/types';
import { CF } from './jira-catalog';
import type { IssueFacts } from './jira-issues';
import { commit, ghUser, issueComment, pull, repository, review, reviewComment } from './github-objects';
import { COMMENT_BODIES, PEOPLE, REPO_WORDS, loginOf } from './names';
import type { Rng } from './random';
import type { WorldCounts } from './scale';
import { DAY, HOUR } from './time';

const LANGS = ['TypeScript', 'Go', 'Python', 'Kotlin', 'Swift', 'Rust', 'HCL'];
const FILES = ['src/index.ts', 'src/api/handler.ts', 'lib/retry.go', 'app/models.py', 'README.md', 'src/ui/Panel.tsx', 'infra/main.tf'];
const CHORES = ['Bump dependencies', 'Update CI workflow', 'Mise à jour des traductions', 'Fix flaky test', 'Refactor logging', 'Tidy README'];

export interface GithubGeneration {
  github: GithubWorld;
  devStatus: DevStatusDetail[];
}

export function generateGithub(rng: Rng, counts: WorldCounts, anchor: number, org: string, projects: readonly JiraProject[], facts: readonly IssueFacts[]): GithubGeneration {
  const orgUser = ghUser(org, 9000, 'Organization');
  const users = PEOPLE.map((n, i) => ({ name: n, user: ghUser(loginOf(n), 1000 + i) }));
  const repos: GithubRepository[] = [];
  for (let i = 0; i < counts.repositories; i++) {
    const word = REPO_WORDS[i % REPO_WORDS.length] as string;
    const name = i < REPO_WORDS.length ? word : `${word}-${Math.floor(i / REPO_WORDS.length) + 1}`;
    const created = anchor - rng.int(400, 1500) * DAY;
    repos.push(repository({ id: 500000 + i, owner: orgUser, name, description: `${name} service — équipe ${projects[i % Math.max(1, projects.length)]?.name ?? 'core'}`, language: rng.pick(LANGS), created, pushed: created, nodeId: `R_kgDO${rng.hex(8).toUpperCase()}` }));
  }
  const reposOfProject = (p: number) => repos.filter((_, i) => projects.length === 0 || i % projects.length === p % projects.length);
  const linkable = facts.filter((f) => f.started !== null && f.type.level <= 0);
  const earliest = anchor - 500 * DAY;

  // Drafts first: numbers are given per repository in creation order, as GitHub does.
  const drafts = Array.from({ length: repos.length ? counts.pulls : 0 }, (_, i) => {
    const f = linkable.length && rng.chance(0.8) ? rng.pick(linkable) : null;
    const repo = f ? rng.pick(reposOfProject(f.project)) : rng.pick(repos);
    const created = f ? Math.min(anchor - HOUR, (f.started as number) + rng.int(0, 72) * HOUR) : anchor - Math.floor((anchor - earliest) * Math.pow(rng.next(), 1.4));
    return { i, f, repo, created };
  }).sort((a, b) => a.created - b.created);
  // The first keyed PR of the first repository is the heavy one in every world (over the 250-commit cap
  // and over 100 reviews), so even the small world exercises nested pagination.
  const heavy = drafts.find((d) => d.f && d.repo === repos[0]) ?? drafts[0];

  const pulls: GithubPull[] = [];
  const commits: PullCommit[] = [];
  const reviews: JsonObject[] = [];
  const reviewComments: JsonObject[] = [];
  const issueComments: JsonObject[] = [];
  const devByIssue = new Map<string, JsonObject[]>();
  const numbers = new Map<GithubRepository, number>();
  let reviewId = 80000000;
  let commentId = 90000000;

  for (const d of drafts) {
    const full = d.repo.full_name;
    const number = (numbers.get(d.repo) ?? 0) + 1;
    numbers.set(d.repo, number);
    const author = rng.pick(users);
    const key = d.f?.issue.key ?? null;
    const summary = (d.f?.issue.fields.summary as string | undefined) ?? rng.pick(CHORES);
    const title = key ? `[${key}] ${summary}` : summary;
    const branch = key ? `feature/${key}-${loginOf(summary).slice(0, 24)}` : `chore/${loginOf(summary).slice(0, 24)}-${number}`;
    const isHeavy = d === heavy;
    const roll = rng.next();
    const lifetime = Math.min(anchor - d.created - 60_000, rng.skewed(20, 24 * 25) * HOUR);
    const closed = d.created + lifetime < anchor - HOUR && roll < 0.85 ? d.created + lifetime : null;
    const merged = closed !== null && roll < 0.75;
    const end = closed ?? anchor - 60_000;

    const nCommits = isHeavy ? 260 : rng.chance(0.004) ? rng.int(101, 200) : rng.skewed(3, 40);
    const shas: string[] = [];
    let parent = rng.hex(40);
    for (let c = 0; c < nCommits; c++) {
      const sha = rng.hex(40);
      const when = d.created - HOUR + Math.floor(((end - d.created + HOUR) * (c + 1)) / (nCommits + 1));
      const msg = key && (c === 0 || rng.chance(0.3)) ? `${key}: ${summary.toLowerCase()} (part ${c + 1})` : rng.pick(['wip', 'address review comments', 'fix lint', 'add tests', 'corrige le cas limite']);
      const who = c % 5 === 4 ? rng.pick(users) : author;
      commits.push({ repository: full, pull_number: number, commit: commit(full, sha, parent, msg, who.user, who.name, when) });
      shas.push(sha);
      parent = sha;
    }
    const headSha = shas[shas.length - 1] ?? parent;

    const reviewers = users.filter((u) => u !== author);
    const nReviews = isHeavy ? 120 : rng.chance(0.15) ? 0 : rng.skewed(1.5, 15);
    let nReviewComments = 0;
    let lastActivity = d.created;
    const threadRoots: number[] = [];
    for (let r = 0; r < nReviews; r++) {
      const who = rng.pick(reviewers);
      const at = d.created + Math.floor(((end - d.created) * (r + 1)) / (nReviews + 1));
      const state = r === nReviews - 1 && merged ? 'APPROVED' : rng.weighted([['COMMENTED', 5], ['CHANGES_REQUESTED', 3], ['APPROVED', 2], ['DISMISSED', 0.3]] as const);
      reviewId += 1;
      reviews.push(review(full, number, reviewId, who.user, state, state === 'APPROVED' ? 'LGTM 👍' : rng.pick(COMMENT_BODIES), at, shas[Math.min(shas.length - 1, Math.floor((shas.length * (r + 1)) / (nReviews + 1)))] ?? headSha));
      lastActivity = Math.max(lastActivity, at);
      const nc = isHeavy ? 1 : rng.chance(0.5) ? rng.int(1, 3) : 0;
      for (let c = 0; c < nc; c++) {
        commentId += 1;
        const reply = threadRoots.length > 0 && rng.chance(0.35) ? rng.pick(threadRoots) : null;
        if (reply === null) threadRoots.push(commentId);
        reviewComments.push(reviewComment(full, number, commentId, reviewId, who.user, rng.pick(COMMENT_BODIES), at, headSha, rng.pick(FILES), rng.int(3, 400), reply));
        nReviewComments += 1;
      }
    }
    const nIssueComments = rng.chance(0.4) ? rng.skewed(1, 12) : 0;
    for (let c = 0; c < nIssueComments; c++) {
      commentId += 1;
      const at = d.created + Math.floor(((end - d.created) * (c + 1)) / (nIssueComments + 1));
      issueComments.push(issueComment(full, number, commentId, rng.pick(users).user, rng.pick(COMMENT_BODIES), at));
      lastActivity = Math.max(lastActivity, at);
    }
    const updated = Math.max(closed ?? 0, lastActivity, d.created);
    const pr = pull({
      repo: d.repo, id: 1_000_000 + d.i, nodeId: `PR_kwDO${rng.hex(10).toUpperCase()}`, number, title,
      body: key ? `Closes ${key}.\n\n${summary}` : summary, user: author.user, branch, headSha, created: d.created, closed, merged, updated,
      mergedBy: merged ? rng.pick(reviewers).user : null, mergeSha: merged ? rng.hex(40) : null,
      counts: { comments: nIssueComments, review_comments: nReviewComments, commits: nCommits, additions: rng.skewed(60, 4000), deletions: rng.skewed(20, 2000), changed_files: rng.skewed(4, 120) },
      reviewers: rng.some(reviewers, 0, 2).map((u) => u.user),
    });
    pulls.push(pr);
    d.repo.pushed_at = d.repo.updated_at = pr.updated_at;
    if (d.f) {
      const list = devByIssue.get(d.f.issue.id) ?? [];
      list.push({
        author: { name: author.name, avatar: author.user.avatar_url as string }, id: `#${number}`, name: title, commentCount: nIssueComments + nReviewComments,
        source: { branch, url: `${d.repo.html_url as string}/tree/${branch}` }, destination: { branch: 'main', url: `${d.repo.html_url as string}/tree/main` },
        reviewers: [], url: pr.html_url as string, lastUpdate: pr.updated_at, status: merged ? 'MERGED' : closed !== null ? 'DECLINED' : 'OPEN',
        repositoryId: String(d.repo.id), repositoryName: full, repositoryUrl: d.repo.html_url as string,
        lastCommit: { id: headSha, displayId: headSha.slice(0, 7), url: `${d.repo.html_url as string}/commit/${headSha}` },
      });
      devByIssue.set(d.f.issue.id, list);
    }
  }

  const devStatus: DevStatusDetail[] = [];
  for (const f of facts) {
    const prs = devByIssue.get(f.issue.id);
    if (!prs) continue;
    devStatus.push({
      issueId: f.issue.id, applicationType: 'GitHub', dataType: 'pullrequest',
      body: { errors: [], detail: [{ pullRequests: prs, branches: [], repositories: [], _instance: { singleInstance: false, baseUrl: 'https://github.com', name: 'GitHub', typeName: 'GitHub', id: 'github', type: 'github' } }] },
    });
    const state = prs.some((p) => p.status === 'OPEN') ? 'OPEN' : prs.some((p) => p.status === 'MERGED') ? 'MERGED' : 'DECLINED';
    const last = prs.map((p) => p.lastUpdate as string).sort().at(-1) as string;
    const cached = { cachedValue: { errors: [], summary: { pullrequest: { overall: { count: prs.length, lastUpdated: last, stateCount: prs.length, state, dataType: 'pullrequest', open: state === 'OPEN' }, byInstanceType: { GitHub: { count: prs.length, name: 'GitHub' } } } } }, isStale: false };
    f.issue.fields[CF.development] = `{pullrequest={dataType=pullrequest, state=${state}, stateCount=${prs.length}}, json=${JSON.stringify(cached)}}`;
  }
  return { github: { repositories: repos, pulls, commits, reviews, reviewComments, issueComments }, devStatus };
}
