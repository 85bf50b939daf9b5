/** Indexes over the GitHub half of a world and the PR-activity mutation used between sync runs. */
import type { GithubPull, GithubRepository, GithubWorld, JsonObject } from '../world/types';
import { issueComment } from '../generator/github-objects';
import { Rng } from '../generator/random';
import { githubTime } from '../generator/time';

const PARENT = /\/repos\/([^/]+\/[^/]+)\/(?:pulls|issues)\/(\d+)$/;

/** `owner/name#number` for a child entity's parent URL, or null. */
export function parentKey(url: unknown): string | null {
  const m = typeof url === 'string' ? PARENT.exec(url) : null;
  return m ? `${(m[1] as string).toLowerCase()}#${m[2]}` : null;
}

function push<T>(map: Map<string, T[]>, key: string | null, value: T): void {
  if (key === null) return;
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export class GithubStore {
  readonly reposByName = new Map<string, GithubRepository>();
  readonly reposById = new Map<number, GithubRepository>();
  readonly pullsByRepo = new Map<string, GithubPull[]>();
  readonly commits = new Map<string, JsonObject[]>();
  readonly reviews = new Map<string, JsonObject[]>();
  readonly reviewComments = new Map<string, JsonObject[]>();
  readonly issueComments = new Map<string, JsonObject[]>();
  readonly nodes = new Map<string, { kind: 'PullRequest' | 'Repository'; value: JsonObject }>();
  private readonly rng: Rng;
  private nextCommentId = 990_000_000;

  constructor(readonly world: GithubWorld, seed = 1) {
    for (const r of world.repositories) {
      this.reposByName.set(r.full_name.toLowerCase(), r);
      this.reposById.set(r.id, r);
      if (typeof r.node_id === 'string') this.nodes.set(r.node_id, { kind: 'Repository', value: r });
    }
    for (const p of world.pulls) {
      const repo = ((p.base as JsonObject).repo as JsonObject).full_name as string;
      push(this.pullsByRepo, repo.toLowerCase(), p);
      if (typeof p.node_id === 'string') this.nodes.set(p.node_id, { kind: 'PullRequest', value: p });
    }
    for (const list of this.pullsByRepo.values()) list.sort((a, b) => a.number - b.number);
    for (const c of world.commits) push(this.commits, `${c.repository.toLowerCase()}#${c.pull_number}`, c.commit);
    for (const r of world.reviews) push(this.reviews, parentKey(r.pull_request_url), r);
    for (const c of world.reviewComments) push(this.reviewComments, parentKey(c.pull_request_url), c);
    for (const c of world.issueComments) push(this.issueComments, parentKey(c.issue_url), c);
    this.rng = new Rng(seed + 53);
  }

  repo(owner: string, name: string): GithubRepository | undefined {
    return this.reposByName.get(`${owner}/${name}`.toLowerCase());
  }

  pulls(repo: GithubRepository): GithubPull[] {
    return this.pullsByRepo.get(repo.full_name.toLowerCase()) ?? [];
  }

  pull(repo: GithubRepository, number: number): GithubPull | undefined {
    return this.pulls(repo).find((p) => p.number === number);
  }

  key(repo: GithubRepository, number: number): string {
    return `${repo.full_name.toLowerCase()}#${number}`;
  }

  /** Adds a conversation comment to `count` PRs now and bumps their `updated_at`. Returns `owner/name#n`. */
  updatePulls(count: number, now = Date.now(), pool?: readonly GithubPull[]): string[] {
    const candidates = pool && pool.length ? pool : this.world.pulls;
    const changed: string[] = [];
    for (let n = 0; n < count && candidates.length; n++) {
      const pr = candidates[this.rng.int(0, candidates.length - 1)] as GithubPull;
      const repo = ((pr.base as JsonObject).repo as JsonObject).full_name as string;
      const at = now + n * 1000;
      const user = pr.user as JsonObject;
      const comment = issueComment(repo, pr.number, (this.nextCommentId += 1), user, 'Updated while a sync was running 🔄', at);
      this.world.issueComments.push(comment);
      push(this.issueComments, `${repo.toLowerCase()}#${pr.number}`, comment);
      pr.updated_at = githubTime(at);
      if (typeof pr.comments === 'number') pr.comments += 1;
      changed.push(`${repo}#${pr.number}`);
    }
    return changed;
  }
}
