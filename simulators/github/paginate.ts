/**
 * GitHub page-number pagination with the `Link` header: per_page defaults to 30 and is clamped to 100,
 * the header is omitted when everything fits in one page, the first page has no prev/first and the last
 * page no next/last. With the `alternateLinks` fault the links use `/repositories/{id}/…` paths, as
 * api.github.com sometimes does, so clients must follow them verbatim.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { baseOf } from '../http/base';
import type { GithubContext } from './context';

export interface PageOptions {
  /** The same resource under `/repositories/{id}`, used for links when `alternateLinks` is on. */
  altPath?: string;
  /** Only this many items can ever be reached (search: 1000, PR commits: 250). */
  cap?: number;
}

export function paginate<T>(req: FastifyRequest, reply: FastifyReply, ctx: GithubContext, list: readonly T[], o: PageOptions = {}): { items: T[]; page: number; perPage: number } {
  const q = req.query as Record<string, unknown>;
  const requested = Number(q.per_page ?? 30);
  const perPage = ctx.faults.pageSize ?? (Number.isInteger(requested) && requested > 0 ? Math.min(requested, 100) : 30);
  const pageParam = Number(q.page ?? 1);
  const page = Number.isInteger(pageParam) && pageParam > 0 ? pageParam : 1;
  const reachable = o.cap !== undefined ? list.slice(0, o.cap) : list;
  const last = Math.max(1, Math.ceil(reachable.length / perPage));
  const items = reachable.slice((page - 1) * perPage, page * perPage);
  if (reachable.length > perPage) {
    const path = ctx.faults.alternateLinks && o.altPath ? o.altPath : req.url.split('?')[0];
    const link = (p: number, rel: string) => {
      const u = new URLSearchParams();
      for (const [k, v] of Object.entries(q)) {
        if (k === 'page') continue;
        for (const one of Array.isArray(v) ? v : [v]) u.append(k, String(one));
      }
      u.set('page', String(p));
      return `<${baseOf(req)}${path}?${u.toString()}>; rel="${rel}"`;
    };
    const rels: string[] = [];
    if (page > 1) rels.push(link(Math.min(page - 1, last), 'prev'));
    if (page < last) rels.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) rels.push(link(1, 'first'));
    if (rels.length) reply.header('link', rels.join(', '));
  }
  return { items, page, perPage };
}
