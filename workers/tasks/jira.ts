import type { CheckResult, JiraConnection } from '../../shared/worker-protocol/tasks';
import { runChecks, type CheckStep } from './checks';
import { joinUrl, RequestFailure, requestJson } from './http';

/**
 * Jira Cloud REST v3 for the connection check and the project picker. Basic auth with the account
 * email and the API token, or the token as a Bearer (OAuth) when no email is set.
 */
const client = (c: JiraConnection, timeoutMs: number) => {
  const authorization = c.settings.email ? `Basic ${Buffer.from(`${c.settings.email}:${c.token}`).toString('base64')}` : `Bearer ${c.token}`;
  const authHint = c.settings.email
    ? `check the API token and that it belongs to ${c.settings.email}`
    : 'set the account email (Jira API tokens use Basic auth with it) or check the OAuth token';
  return <T>(path: string, params: Record<string, string | string[]> = {}): Promise<T> => {
    const url = new URL(joinUrl(c.baseUrl, path));
    for (const [k, v] of Object.entries(params)) for (const one of Array.isArray(v) ? v : [v]) url.searchParams.append(k, one);
    return requestJson(url.toString(), { headers: { authorization }, timeoutMs, authHint }).then((r) => r.body as T);
  };
};

interface ProjectPage {
  values?: { key?: unknown; name?: unknown }[];
  total?: number;
  isLast?: boolean;
}

/** The bounded JQL the issue-search check runs: the configured projects and base JQL, newest first. */
export const checkJql = (c: JiraConnection): string => {
  const clauses: string[] = [];
  if (c.settings.projectKeys.length) clauses.push(`project IN (${c.settings.projectKeys.join(', ')})`);
  if (c.settings.baseJql?.trim()) clauses.push(`(${c.settings.baseJql.trim()})`);
  // Jira refuses unbounded searches; a recent window keeps the check cheap on a big site.
  if (clauses.length === 0) clauses.push('updated >= -30d');
  return `${clauses.join(' AND ')} ORDER BY updated DESC`;
};

export const jiraChecks = (c: JiraConnection, timeoutMs: number): Promise<CheckResult[]> => {
  const get = client(c, timeoutMs);
  const keys = c.settings.projectKeys;
  const steps: CheckStep[] = [
    {
      name: 'Authentication',
      run: async () => {
        const me = await get<{ displayName?: unknown; emailAddress?: unknown; accountId?: unknown }>('/rest/api/3/myself');
        const who = typeof me.displayName === 'string' ? me.displayName : typeof me.accountId === 'string' ? me.accountId : 'the account';
        return `Signed in as ${who}${typeof me.emailAddress === 'string' && me.emailAddress ? ` (${me.emailAddress})` : ''}.`;
      },
    },
    {
      name: 'Projects',
      run: async () => {
        if (keys.length === 0) {
          const page = await get<ProjectPage>('/rest/api/3/project/search', { maxResults: '1' });
          const total = page.total ?? page.values?.length ?? 0;
          if (total === 0) return { ok: false, detail: 'The account sees no project; give it Browse permission on the projects to extract.' };
          return `${total} project${total === 1 ? '' : 's'} visible; all of them will be extracted (no project keys set).`;
        }
        const page = await get<ProjectPage>('/rest/api/3/project/search', { keys, maxResults: '100' });
        const found = new Set((page.values ?? []).map((p) => String(p.key).toUpperCase()));
        const missing = keys.filter((k) => !found.has(k));
        if (missing.length) {
          return { ok: false, detail: `Not visible to this account: ${missing.join(', ')}; check the project keys or the account's Browse permission.` };
        }
        return `All ${keys.length} configured project${keys.length === 1 ? ' is' : 's are'} visible: ${keys.join(', ')}.`;
      },
    },
    {
      name: 'Issue search',
      run: async () => {
        const jql = checkJql(c);
        try {
          const res = await get<{ issues?: unknown[] }>('/rest/api/3/search/jql', { jql, maxResults: '1', fields: 'id' });
          return (res.issues?.length ?? 0) > 0
            ? `The issue search runs and finds issues (${jql}).`
            : `The issue search runs but finds no issue (${jql}); check the project keys and base JQL if you expected some.`;
        } catch (error) {
          if (error instanceof RequestFailure && error.status === 400) {
            throw new RequestFailure('http', `Jira rejected the query ${jql}: ${error.message}; fix the base JQL or the project keys`, 400);
          }
          throw error;
        }
      },
    },
  ];
  return runChecks(steps);
};

/** Every project the account can see, by key, paged through up to `limit`. */
export const jiraProjects = async (c: JiraConnection, limit: number, timeoutMs: number): Promise<{ projects: { key: string; name: string }[]; truncated: boolean }> => {
  const get = client(c, timeoutMs);
  const projects: { key: string; name: string }[] = [];
  for (let startAt = 0; ; ) {
    const page = await get<ProjectPage>('/rest/api/3/project/search', { startAt: String(startAt), maxResults: '100', orderBy: 'key' });
    const values = page.values ?? [];
    for (const p of values) {
      if (typeof p.key !== 'string') continue;
      if (projects.length >= limit) return { projects, truncated: true };
      projects.push({ key: p.key, name: typeof p.name === 'string' ? p.name : p.key });
    }
    // isLast is authoritative; an empty page also ends the loop so a misbehaving server cannot spin it.
    if (page.isLast !== false || values.length === 0) return { projects, truncated: false };
    startAt += values.length;
  }
};
