import { RepositorySearchPage, RestRepository } from '../payloads';
import { isoOrNull, parsePayload } from './parse';
import type { RepositoryRow } from './rows';

const row = (r: RestRepository): RepositoryRow => ({
  external_id: String(r.id),
  node_id: r.node_id ?? null,
  name: r.name,
  full_name: r.full_name,
  owner_login: r.owner.login,
  description: r.description ?? null,
  language: r.language ?? null,
  default_branch: r.default_branch ?? null,
  visibility: r.visibility ?? null,
  is_private: r.private,
  is_fork: r.fork ?? null,
  is_archived: r.archived ?? null,
  is_disabled: r.disabled ?? null,
  is_template: r.is_template ?? null,
  topics: r.topics ?? [],
  license: r.license?.spdx_id ?? r.license?.key ?? null,
  stargazers_count: r.stargazers_count ?? null,
  forks_count: r.forks_count ?? null,
  open_issues_count: r.open_issues_count ?? null,
  size_kb: r.size ?? null,
  html_url: r.html_url,
  github_created_at: isoOrNull(r.created_at),
  github_updated_at: isoOrNull(r.updated_at),
  pushed_at: isoOrNull(r.pushed_at),
});

/**
 * A `repositories` unit is either a page of `GET /search/repositories` (`{total_count, items}`) or,
 * for a repository only Jira links name, the body of `GET /repos/{owner}/{repo}`; that one is null
 * when GitHub answered 404/403 (renamed, deleted or not visible to the token: the extract stores the
 * unit with `missing: true`), and there is nothing to load.
 */
export const transformRepositories = (payload: unknown): RepositoryRow[] => {
  if (payload === null) return [];
  if (payload !== null && typeof payload === 'object' && 'items' in payload) {
    return parsePayload(RepositorySearchPage, payload, 'repository search').items.map(row);
  }
  return [row(parsePayload(RestRepository, payload, 'repository'))];
};
