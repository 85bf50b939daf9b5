/** GitHub REST routes. Every repository route answers under `/repos/{owner}/{repo}` and `/repositories/{id}`. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GithubPull, GithubRepository, JsonObject } from '../world/types';
import { FULL_ONLY_PULL_KEYS } from '../generator/github-objects';
import { DOCS, type GithubContext } from './context';
import { paginate } from './paginate';
import { SearchQueryError, searchRepositories } from './search';

export function notFound(reply: FastifyReply): FastifyReply {
  return reply.code(404).send({ message: 'Not Found', documentation_url: DOCS, status: '404' });
}

type RepoHandler = (req: FastifyRequest, reply: FastifyReply, repo: GithubRepository, alt: string) => unknown;

function both(app: FastifyInstance, ctx: GithubContext, suffix: string, handler: RepoHandler): void {
  app.get(`/repos/:owner/:repo${suffix}`, async (req, reply) => {
    const { owner, repo } = req.params as { owner: string; repo: string };
    const renamedTo = ctx.faults.get().renamedRepositories?.[`${owner}/${repo}`];
    if (renamedTo) {
      const [newOwner = '', newName = ''] = renamedTo.split('/');
      const moved = ctx.store.repo(newOwner, newName);
      if (!moved) return notFound(reply);
      // GitHub answers a renamed repository with 301 to its id-based URL (307 for writes, which we do not serve).
      const [path = '', query] = req.url.split('?');
      const location = `${baseUrlOf(req)}/repositories/${moved.id}${path.split(`/repos/${owner}/${repo}`)[1] ?? ''}${query ? `?${query}` : ''}`;
      return reply.code(301).header('location', location).send({ message: 'Moved Permanently', url: location, documentation_url: DOCS });
    }
    const r = ctx.store.repo(owner, repo);
    if (!r) return notFound(reply);
    return handler(req, reply, r, `/repositories/${r.id}${req.url.split('?')[0]?.split(`/repos/${owner}/${repo}`)[1] ?? ''}`);
  });
  app.get(`/repositories/:repoId${suffix}`, async (req, reply) => {
    const r = ctx.store.reposById.get(Number((req.params as { repoId: string }).repoId));
    if (!r) return notFound(reply);
    return handler(req, reply, r, req.url.split('?')[0] ?? '');
  });
}

const baseUrlOf = (req: FastifyRequest): string => `${req.protocol}://${req.headers.host ?? '127.0.0.1'}`;

function simple(p: GithubPull): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(p)) if (!FULL_ONLY_PULL_KEYS.includes(k)) out[k] = v;
  return out;
}

function poisonPull(p: JsonObject): JsonObject {
  return { ...p, updated_at: 'not-a-date', number: 'NaN' };
}

const byTime = (field: string, desc: boolean) => (a: JsonObject, b: JsonObject) => {
  const d = Date.parse(String(a[field])) - Date.parse(String(b[field]));
  return (desc ? -d : d) || Number(a.id) - Number(b.id);
};

function sortedComments(list: readonly JsonObject[], q: Record<string, unknown>): JsonObject[] {
  const since = typeof q.since === 'string' ? Date.parse(q.since) : Number.NaN;
  const field = q.sort === 'updated' ? 'updated_at' : 'created_at';
  return list.filter((c) => Number.isNaN(since) || Date.parse(String(c.updated_at)) >= since).sort(byTime(field, q.direction === 'desc'));
}

export function registerRestRoutes(app: FastifyInstance, ctx: GithubContext): void {
  app.get('/rate_limit', async () => ctx.rates.overview());

  app.get('/search/repositories', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    let found: GithubRepository[];
    try {
      found = searchRepositories(ctx.world.repositories, String(q.q ?? ''), q.sort as string | undefined, q.order as string | undefined);
    } catch (e) {
      if (!(e instanceof SearchQueryError)) throw e;
      return reply.code(422).send({ message: 'Validation Failed', errors: [{ resource: 'Search', field: 'q', code: 'invalid', message: e.message }], documentation_url: `${DOCS}/search/search#search-repositories`, status: '422' });
    }
    const perPage = Math.min(Number(q.per_page ?? 30) || 30, 100);
    const page = Number(q.page ?? 1) || 1;
    if ((page - 1) * perPage >= 1000) return reply.code(422).send({ message: 'Only the first 1000 search results are available', documentation_url: `${DOCS}/search/search`, status: '422' });
    const { items } = paginate(req, reply, ctx, found, { cap: 1000 });
    return { total_count: found.length, incomplete_results: false, items: items.map((r) => ({ ...r, score: 1 })) };
  });

  app.get('/orgs/:org/repos', async (req, reply) => {
    const org = (req.params as { org: string }).org.toLowerCase();
    const list = ctx.world.repositories.filter((r) => String((r.owner as JsonObject).login).toLowerCase() === org);
    if (list.length === 0) return notFound(reply);
    return paginate(req, reply, ctx, list).items;
  });

  both(app, ctx, '', (_req, _reply, repo) => repo);

  both(app, ctx, '/pulls', (req, reply, repo, alt) => {
    const q = req.query as Record<string, unknown>;
    const state = (q.state as string | undefined) ?? 'open';
    const sort = (q.sort as string | undefined) ?? 'created';
    const direction = (q.direction as string | undefined) ?? (sort === 'created' ? 'desc' : 'asc');
    if (!['open', 'closed', 'all'].includes(state) || !['created', 'updated', 'popularity', 'long-running'].includes(sort) || !['asc', 'desc'].includes(direction)) {
      return reply.code(422).send({ message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'invalid', field: 'state/sort/direction' }], documentation_url: DOCS, status: '422' });
    }
    const field = sort === 'updated' ? 'updated_at' : 'created_at';
    const list = ctx.store
      .pulls(repo)
      .filter((p) => (state === 'all' || p.state === state) && (!q.base || (p.base as JsonObject).ref === q.base) && (!q.head || `${String(((p.head as JsonObject).user as JsonObject)?.login)}:${String((p.head as JsonObject).ref)}` === q.head))
      .sort(byTime(field, direction === 'desc'));
    const { items, page } = paginate(req, reply, ctx, list, { altPath: alt });
    const out = items.map(simple);
    if (out.length && ctx.faults.isPoisoned('/pulls', page)) out[0] = poisonPull(out[0] as JsonObject);
    if (ctx.faults.updateBetweenPages > 0 && page * (items.length || 1) < list.length && items.length) ctx.store.updatePulls(ctx.faults.updateBetweenPages, Date.now(), items);
    return out;
  });

  const withPull = (suffix: string, fn: (req: FastifyRequest, reply: FastifyReply, repo: GithubRepository, pr: GithubPull, alt: string) => unknown) =>
    both(app, ctx, `/pulls/:number${suffix}`, (req, reply, repo, alt) => {
      const pr = ctx.store.pull(repo, Number((req.params as { number: string }).number));
      return pr ? fn(req, reply, repo, pr, alt) : notFound(reply);
    });
  withPull('', (_req, _reply, _repo, pr) => pr);
  withPull('/commits', (req, reply, repo, pr, alt) => paginate(req, reply, ctx, ctx.store.commits.get(ctx.store.key(repo, pr.number)) ?? [], { altPath: alt, cap: 250 }).items);
  withPull('/reviews', (req, reply, repo, pr, alt) => paginate(req, reply, ctx, ctx.store.reviews.get(ctx.store.key(repo, pr.number)) ?? [], { altPath: alt }).items);
  withPull('/comments', (req, reply, repo, pr, alt) =>
    paginate(req, reply, ctx, sortedComments(ctx.store.reviewComments.get(ctx.store.key(repo, pr.number)) ?? [], req.query as Record<string, unknown>), { altPath: alt }).items,
  );
  both(app, ctx, '/pulls/comments', (req, reply, repo, alt) => {
    const all = ctx.store.pulls(repo).flatMap((p) => ctx.store.reviewComments.get(ctx.store.key(repo, p.number)) ?? []);
    return paginate(req, reply, ctx, sortedComments(all, req.query as Record<string, unknown>), { altPath: alt }).items;
  });
  both(app, ctx, '/issues/comments', (req, reply, repo, alt) => {
    const all = ctx.store.pulls(repo).flatMap((p) => ctx.store.issueComments.get(ctx.store.key(repo, p.number)) ?? []);
    return paginate(req, reply, ctx, sortedComments(all, req.query as Record<string, unknown>), { altPath: alt }).items;
  });
  both(app, ctx, '/issues/:number/comments', (req, reply, repo, alt) => {
    const n = Number((req.params as { number: string }).number);
    if (!ctx.store.pull(repo, n)) return notFound(reply);
    return paginate(req, reply, ctx, sortedComments(ctx.store.issueComments.get(ctx.store.key(repo, n)) ?? [], req.query as Record<string, unknown>), { altPath: alt }).items;
  });
  both(app, ctx, '/commits', (req, reply, repo, alt) => {
    const seen = new Set<string>();
    const all = ctx.store.pulls(repo).flatMap((p) => ctx.store.commits.get(ctx.store.key(repo, p.number)) ?? []).filter((c) => !seen.has(String(c.sha)) && seen.add(String(c.sha)) !== undefined);
    const date = (c: JsonObject) => Date.parse(String(((c.commit as JsonObject).committer as JsonObject | undefined)?.date));
    return paginate(req, reply, ctx, all.sort((a, b) => date(b) - date(a)), { altPath: alt }).items;
  });
}
