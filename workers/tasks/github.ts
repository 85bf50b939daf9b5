import type { CheckResult, GithubConnection } from '../../shared/worker-protocol/tasks';
import { runChecks, type CheckStep } from './checks';
import { joinUrl, RequestFailure, requestJson } from './http';

/** GitHub's GraphQL endpoint for a REST base: api.github.com/graphql, or <host>/api/graphql on Enterprise Server. */
export const graphqlUrl = (baseUrl: string): string => {
  const base = baseUrl.replace(/\/+$/, '');
  return /\/api\/v3$/.test(base) ? base.replace(/\/api\/v3$/, '/api/graphql') : joinUrl(base, 'graphql');
};

/** The repository search the check runs: the organization, and the name patterns when there are some. */
export const repositoryQuery = (c: GithubConnection): string => {
  const patterns = c.settings.repositoryPatterns;
  return patterns.length ? `org:${c.settings.organization} ${patterns.map((p) => `${p} in:name`).join(' OR ')}` : `org:${c.settings.organization}`;
};

export const githubChecks = (c: GithubConnection, timeoutMs: number): Promise<CheckResult[]> => {
  const headers = { authorization: `Bearer ${c.token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' };
  const authHint = 'check the token (a fine-grained or classic personal access token with repository read access)';
  const get = <T>(path: string, params: Record<string, string> = {}): Promise<T> => {
    const url = new URL(joinUrl(c.baseUrl, path));
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return requestJson(url.toString(), { headers, timeoutMs, authHint }).then((r) => r.body as T);
  };
  const org = c.settings.organization;
  const steps: CheckStep[] = [
    {
      name: 'API and token',
      run: async () => {
        const rl = await get<{ resources?: { core?: { limit?: number; remaining?: number } } }>('/rate_limit');
        const core = rl.resources?.core;
        return core ? `Token accepted; ${core.remaining ?? '?'} of ${core.limit ?? '?'} core requests left in this window.` : 'Token accepted.';
      },
    },
    {
      name: 'Repositories',
      run: async () => {
        const q = repositoryQuery(c);
        const res = await get<{ total_count?: number; items?: { full_name?: unknown }[] }>('/search/repositories', { q, per_page: '3' });
        const total = res.total_count ?? res.items?.length ?? 0;
        if (total === 0) {
          return {
            ok: false,
            detail: `No repository of ${org} ${c.settings.repositoryPatterns.length ? 'matches the name patterns' : 'is visible'} (${q}); check the organization, the patterns and the token's repository access.`,
          };
        }
        const sample = (res.items ?? []).map((r) => r.full_name).filter((n): n is string => typeof n === 'string');
        return `${total} repositor${total === 1 ? 'y' : 'ies'} found (${q})${sample.length ? `, e.g. ${sample.join(', ')}` : ''}.`;
      },
    },
    {
      name: 'GraphQL',
      run: async () => {
        const url = graphqlUrl(c.baseUrl);
        const res = await requestJson(url, { method: 'POST', headers, body: { query: 'query { viewer { login } }' }, timeoutMs, authHint });
        const body = res.body as { data?: { viewer?: { login?: unknown } } | null; errors?: { message?: unknown }[] };
        if (body.errors?.length) {
          throw new RequestFailure('http', `GraphQL answered with errors: ${body.errors.map((e) => String(e.message)).join('; ')}`);
        }
        const login = body.data?.viewer?.login;
        return `GraphQL works${typeof login === 'string' ? `; signed in as ${login}` : ''}.`;
      },
    },
  ];
  return runChecks(steps);
};
