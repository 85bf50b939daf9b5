import { z } from 'zod';

import type { ChildPartition, ExtractedPage, ExtractRequest } from '../../../pipeline/connector';
import { PermanentError } from '../../../queue/errors';
import { githubSettingsOf, type GithubClient } from '../client';
import { nextLink } from './link-header';
import { repositoryQueries, splitByCreated } from './search-queries';

/**
 * The `repositories` stream: repository discovery by search (reference/prior-system.md 4.2, fixed).
 * Partitions of the stream:
 * - `''` (the root): the first discovery query; its first page names the other queries (one per batch
 *   of name patterns) as partitions `q:<query>`;
 * - `q:<query>`: one search query, paged by following `Link: rel="next"`; when its first page reports
 *   more than the search API's 1000 reachable results, it is split by creation date into two slices
 *   (partitions again) instead of being read past the cap;
 * - `repo:<owner/name>`: a repository named by Jira dev-status links that the search may not cover
 *   (the engine adds these at run start); missing or inaccessible ones are recorded as empty.
 * Every page names the `pull_requests` partition of each repository it lists (duplicates are ignored).
 */

export const SEARCH_CAP = 1000;

const SearchBody = z.looseObject({ total_count: z.number(), items: z.array(z.looseObject({ full_name: z.string() })) });
const Repo = z.looseObject({ full_name: z.string() });

const prPartitions = (names: readonly string[]): ChildPartition[] => names.map((name) => ({ stream: 'pull_requests', partition: name }));

export const repositoriesPage = async (request: ExtractRequest, client: GithubClient, today = new Date().toISOString().slice(0, 10)): Promise<ExtractedPage> => {
  const settings = githubSettingsOf(request.integration);
  const partition = request.partition;
  if (partition?.startsWith('repo:')) {
    const full = partition.slice('repo:'.length);
    if (!/^[\w.-]+\/[\w.-]+$/.test(full)) throw new PermanentError(`"${full}" is not an owner/name repository; the partition is wrong.`);
    const call = await client.get(`/repos/${full}`, {}, [403, 404]);
    const repo = call.response ? Repo.safeParse(call.response.body) : null;
    return {
      requestUrl: call.url,
      params: { repository: full, ...(call.response ? {} : { missing: true }) },
      payload: call.response?.body ?? null,
      recordCount: repo?.success ? 1 : 0,
      nextCursor: null,
      children: repo?.success ? prPartitions([repo.data.full_name]) : [],
    };
  }
  const queries = repositoryQueries(settings.organization, settings.repositoryPatterns);
  const query = partition === null ? queries[0]! : partition.startsWith('q:') ? partition.slice(2) : null;
  if (query === null) throw new PermanentError(`Unknown repositories partition "${partition}"; the message is wrong.`);
  const url = request.cursor ?? client.url('/search/repositories', { q: query, per_page: 100, sort: 'updated', order: 'asc' });
  const call = await client.getUrl(url);
  const body = SearchBody.safeParse(call.response?.body);
  if (!body.success) throw new PermanentError(`GitHub's repository search answer does not have the expected shape (${body.error.issues[0]?.message ?? 'invalid'}).`);
  const children: ChildPartition[] = [];
  if (partition === null && request.cursor === null) children.push(...queries.slice(1).map((q) => ({ stream: 'repositories', partition: `q:${q}` })));
  let next = nextLink(call.response?.headers.get('link') ?? null);
  let split: readonly string[] = [];
  if (request.cursor === null && body.data.total_count > SEARCH_CAP) {
    const halves = splitByCreated(query, today);
    if (halves) {
      // The slices cover this query whole: read them instead of paging past the cap.
      split = halves;
      next = null;
      children.push(...halves.map((q) => ({ stream: 'repositories', partition: `q:${q}` })));
    }
  }
  children.push(...prPartitions(body.data.items.map((r) => r.full_name)));
  return {
    requestUrl: call.url,
    params: { q: query, totalCount: body.data.total_count, ...(split.length > 0 ? { splitInto: split } : {}), ...(body.data.total_count > SEARCH_CAP && split.length === 0 ? { capped: true } : {}) },
    payload: call.response?.body,
    recordCount: body.data.items.length,
    nextCursor: next,
    children,
  };
};
