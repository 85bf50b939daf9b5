/**
 * Maps world entities (stored in REST shape) to the GraphQL subset. Scalar fields are mapped eagerly;
 * connections resolve lazily from their arguments. `__typename` drives interface resolution.
 */
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { GithubPull, GithubRepository, JsonObject } from '../../world/types';
import type { GithubContext } from '../context';
import { connection, type ConnectionArgs } from './connection';

type Obj = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

function actor(u: unknown): Obj | null {
  if (!u || typeof u !== 'object') return null;
  const x = u as JsonObject;
  return {
    __typename: x.type === 'Organization' ? 'Organization' : 'User',
    id: x.node_id, databaseId: x.id, login: x.login, name: x.login, email: '', avatarUrl: x.avatar_url, url: x.html_url, resourcePath: `/${String(x.login)}`,
  };
}

export function repoNode(r: GithubRepository): Obj {
  return {
    __typename: 'Repository', _raw: r, id: r.node_id, databaseId: r.id, name: r.name, nameWithOwner: r.full_name, owner: actor(r.owner),
    url: r.html_url, isPrivate: r.private === true, createdAt: r.created_at, updatedAt: r.updated_at, pushedAt: r.pushed_at ?? null,
  };
}

export function pullNode(p: GithubPull, repo: GithubRepository): Obj {
  const merged = p.merged === true || (p.merged === undefined && p.merged_at !== null && p.merged_at !== undefined);
  return {
    __typename: 'PullRequest', _raw: p, _repo: repo, id: p.node_id, databaseId: p.id, number: p.number, title: p.title, body: p.body ?? '',
    state: merged ? 'MERGED' : p.state === 'closed' ? 'CLOSED' : 'OPEN', url: p.html_url, createdAt: p.created_at, updatedAt: p.updated_at,
    closedAt: p.closed_at ?? null, mergedAt: p.merged_at ?? null, merged, isDraft: p.draft === true, author: actor(p.user), mergedBy: actor(p.merged_by),
    additions: p.additions ?? 0, deletions: p.deletions ?? 0, changedFiles: p.changed_files ?? 0,
    headRefName: (p.head as JsonObject).ref, baseRefName: (p.base as JsonObject).ref, headRefOid: (p.head as JsonObject).sha, repository: repoNode(repo),
  };
}

function commitNode(c: JsonObject): Obj {
  const inner = c.commit as JsonObject;
  const sig = (s: unknown, user: unknown) => (s ? { name: (s as JsonObject).name, email: (s as JsonObject).email, date: (s as JsonObject).date, user: actor(user) } : null);
  const sha = String(c.sha);
  const message = String(inner.message);
  return {
    __typename: 'PullRequestCommit', id: `PURC_${sha.slice(0, 20)}`, url: `${String(c.html_url)}`,
    commit: {
      __typename: 'Commit', id: c.node_id, oid: sha, message, messageHeadline: message.split('\n')[0], author: sig(inner.author, c.author), committer: sig(inner.committer, c.committer),
      authoredDate: (inner.author as JsonObject | undefined)?.date, committedDate: (inner.committer as JsonObject | undefined)?.date,
      additions: parseInt(sha.slice(0, 3), 16) % 300, deletions: parseInt(sha.slice(3, 6), 16) % 120, url: c.html_url,
    },
  };
}

function reviewNode(r: JsonObject): Obj {
  return {
    __typename: 'PullRequestReview', id: r.node_id, databaseId: r.id, state: r.state, author: actor(r.user), body: r.body ?? '', createdAt: r.submitted_at,
    submittedAt: r.submitted_at ?? null, url: r.html_url, commit: r.commit_id ? { __typename: 'Commit', id: `C_${String(r.commit_id)}`, oid: r.commit_id, message: '', messageHeadline: '', author: null, committer: null, authoredDate: r.submitted_at, committedDate: r.submitted_at, additions: 0, deletions: 0, url: '' } : null,
  };
}

function commentNode(c: JsonObject): Obj {
  return { __typename: 'IssueComment', id: c.node_id, databaseId: c.id, body: c.body ?? '', author: actor(c.user), createdAt: c.created_at, updatedAt: c.updated_at, url: c.html_url };
}

function reviewCommentNode(c: JsonObject, byId: Map<number, JsonObject>): Obj {
  const reply = typeof c.in_reply_to_id === 'number' ? byId.get(c.in_reply_to_id) : undefined;
  return {
    __typename: 'PullRequestReviewComment', id: c.node_id, databaseId: c.id, body: c.body ?? '', author: actor(c.user), createdAt: c.created_at, updatedAt: c.updated_at,
    path: c.path, url: c.html_url, diffHunk: c.diff_hunk ?? '', line: c.line ?? null, originalLine: c.original_line ?? null,
    replyTo: reply ? reviewCommentNode(reply, new Map()) : null, pullRequestReview: null,
  };
}

/** Groups review comments into threads: each root comment and every reply chained to it. */
function threads(comments: readonly JsonObject[]): { root: JsonObject; comments: JsonObject[] }[] {
  const byId = new Map(comments.map((c) => [Number(c.id), c]));
  const rootOf = (c: JsonObject): JsonObject => {
    let cur = c;
    for (let guard = 0; typeof cur.in_reply_to_id === 'number' && byId.has(cur.in_reply_to_id) && guard < 1000; guard++) cur = byId.get(cur.in_reply_to_id) as JsonObject;
    return cur;
  };
  const out = new Map<number, { root: JsonObject; comments: JsonObject[] }>();
  for (const c of comments) {
    const root = rootOf(c);
    const t = out.get(Number(root.id)) ?? { root, comments: [] };
    t.comments.push(c);
    out.set(Number(root.id), t);
  }
  return [...out.values()];
}

/** Attaches resolvers to the subset schema's connection fields. */
export function attachResolvers(schema: GraphQLSchema, ctx: GithubContext, hooks: { poisonPage(page: number): boolean }): void {
  const field = (type: string, name: string) => {
    const t = schema.getType(type) as unknown as { getFields(): Record<string, { resolve?: unknown }> };
    const f = t.getFields()[name];
    if (!f) throw new Error(`The GraphQL subset has no field ${type}.${name}.`);
    return f;
  };
  const key = (src: Obj) => ctx.store.key(src._repo as GithubRepository, (src._raw as GithubPull).number);
  /** The review threads of a PR node, each naming its PR (`PullRequestReviewThread.pullRequest`). */
  const threadsOf = (pr: Obj): Obj[] => {
    const all = ctx.store.reviewComments.get(key(pr)) ?? [];
    const byId = new Map(all.map((c) => [Number(c.id), c]));
    return threads(all).map((t) => ({
      __typename: 'PullRequestReviewThread', id: `PRRT_${String(t.root.node_id)}`, isResolved: Number(t.root.id) % 3 === 0, isOutdated: false, path: t.root.path, line: t.root.line ?? null,
      pullRequest: pr, _comments: t.comments.map((c) => reviewCommentNode(c, byId)),
    }));
  };
  // `node(id:)` for a review thread (`PRRT_<root comment node id>`): find the root comment's PR, rebuilding
  // the index when a comment is not in it (the store only ever grows).
  let threadPr = new Map<string, string>();
  const threadById = (id: string): Obj | null => {
    if (!id.startsWith('PRRT_')) return null;
    const root = id.slice('PRRT_'.length);
    if (!threadPr.has(root)) {
      threadPr = new Map();
      for (const [prKey, comments] of ctx.store.reviewComments) for (const c of comments) threadPr.set(String(c.node_id), prKey);
    }
    const m = /^(.+)#(\d+)$/.exec(threadPr.get(root) ?? '');
    const repo = m ? ctx.store.reposByName.get(m[1] as string) : undefined;
    const pull = m && repo ? ctx.store.pull(repo, Number(m[2])) : undefined;
    if (!repo || !pull) return null;
    return threadsOf(pullNode(pull, repo)).find((t) => t.id === id) ?? null;
  };

  field('Query', 'repository').resolve = (_: unknown, a: { owner: string; name: string }) => {
    const r = ctx.store.repo(a.owner, a.name);
    if (!r) throw new GraphQLError(`Could not resolve to a Repository with the name '${a.owner}/${a.name}'.`, { extensions: { type: 'NOT_FOUND' } });
    return repoNode(r);
  };
  field('Query', 'node').resolve = (_: unknown, a: { id: string }) => {
    const n = ctx.store.nodes.get(a.id);
    const thread = n ? null : threadById(a.id);
    if (thread) return thread;
    if (!n) throw new GraphQLError(`Could not resolve to a node with the global id of '${a.id}'`, { extensions: { type: 'NOT_FOUND' } });
    if (n.kind === 'Repository') return repoNode(n.value as GithubRepository);
    const p = n.value as GithubPull;
    return pullNode(p, ctx.store.reposByName.get(String(((p.base as JsonObject).repo as JsonObject).full_name).toLowerCase()) as GithubRepository);
  };
  field('Repository', 'pullRequests').resolve = (src: Obj, a: ConnectionArgs & { states?: string[]; orderBy?: { field: string; direction: string }; headRefName?: string; baseRefName?: string }) => {
    const repo = src._raw as GithubRepository;
    let list = ctx.store.pulls(repo).map((p) => pullNode(p, repo));
    if (a.states?.length) list = list.filter((p) => a.states?.includes(String(p.state)));
    if (a.headRefName) list = list.filter((p) => p.headRefName === a.headRefName);
    if (a.baseRefName) list = list.filter((p) => p.baseRefName === a.baseRefName);
    const f = a.orderBy?.field === 'UPDATED_AT' ? 'updatedAt' : a.orderBy?.field === 'CREATED_AT' ? 'createdAt' : null;
    const dir = a.orderBy?.direction === 'DESC' ? -1 : 1;
    if (f) list.sort((x, y) => (Date.parse(String(x[f])) - Date.parse(String(y[f]))) * dir || Number(x.number) - Number(y.number));
    else if (a.orderBy?.field === 'COMMENTS') list.sort((x, y) => (Number((x._raw as JsonObject).comments ?? 0) - Number((y._raw as JsonObject).comments ?? 0)) * dir);
    const conn = connection('pullRequests', list, a, (n) => n);
    const size = a.first ?? a.last ?? 1;
    const page = a.after ? Math.floor((Number(Buffer.from(a.after, 'base64').toString().split(':')[2]) + 1) / size) + 1 : 1;
    if (conn.nodes.length && hooks.poisonPage(page)) conn.nodes[0] = { ...conn.nodes[0], updatedAt: 'not-a-date' };
    return conn;
  };
  field('PullRequest', 'commits').resolve = (src: Obj, a: ConnectionArgs) => connection('commits', (ctx.store.commits.get(key(src)) ?? []).slice(0, 250), a, commitNode);
  field('PullRequest', 'reviews').resolve = (src: Obj, a: ConnectionArgs & { states?: string[]; author?: string }) =>
    connection('reviews', (ctx.store.reviews.get(key(src)) ?? []).filter((r) => (!a.states?.length || a.states.includes(String(r.state))) && (!a.author || (r.user as JsonObject | undefined)?.login === a.author)), a, reviewNode);
  field('PullRequest', 'comments').resolve = (src: Obj, a: ConnectionArgs) => connection('comments', ctx.store.issueComments.get(key(src)) ?? [], a, commentNode);
  field('PullRequest', 'reviewThreads').resolve = (src: Obj, a: ConnectionArgs) => connection('reviewThreads', threadsOf(src), a, (n) => n);
  field('PullRequestReviewThread', 'comments').resolve = (src: Obj, a: ConnectionArgs & { skip?: number }) => connection('comments', (src._comments as Obj[]).slice(a.skip ?? 0), a, (n) => n);
}

export { str };
