/** Site and project metadata: project/search, issuetype, status, project statuses, field, issue. */
import type { FastifyInstance } from 'fastify';
import type { JsonObject } from '../world/types';
import { baseOf, intParam, listParam } from '../http/base';
import type { JiraContext } from './context';
import { JIRA_JSON, jiraError } from './errors';
import { parseFieldSelection, viewIssue } from './issue-view';

export function registerMetaRoutes(app: FastifyInstance, ctx: JiraContext): void {
  app.get('/rest/api/3/project/search', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const startAt = intParam(q.startAt, 0);
    const max = intParam(q.maxResults, 50);
    if (startAt === null || max === null || startAt < 0) return jiraError(reply, 400, ["'startAt' and 'maxResults' must be non-negative integers."]);
    const maxResults = ctx.faults.pageSize ?? Math.max(1, Math.min(max, 100));
    const keys = new Set(listParam(q.keys).map((k) => k.toUpperCase()));
    const ids = new Set(listParam(q.id));
    const expand = new Set(listParam(q.expand));
    const query = typeof q.query === 'string' ? q.query.toLowerCase() : '';
    const orderBy = typeof q.orderBy === 'string' ? q.orderBy : 'key';
    let list = ctx.world.projects.filter(
      (p) => (keys.size === 0 || keys.has(p.key.toUpperCase())) && (ids.size === 0 || ids.has(p.id)) && (!query || p.key.toLowerCase().includes(query) || p.name.toLowerCase().includes(query)),
    );
    const desc = orderBy.startsWith('-');
    const by = orderBy.replace(/^[+-]/, '');
    if (by === 'key' || by === 'name' || by === 'id') {
      list = [...list].sort((a, b) => (by === 'id' ? Number(a.id) - Number(b.id) : String(a[by]).localeCompare(String(b[by]))) * (desc ? -1 : 1));
    }
    const values = list.slice(startAt, startAt + maxResults).map((p) => {
      if (expand.has('issueTypes')) return p;
      const { issueTypes: _t, ...rest } = p;
      return rest;
    });
    const base = `${baseOf(req)}/rest/api/3/project/search`;
    const qs = (s: number) => {
      const u = new URLSearchParams();
      u.set('startAt', String(s));
      u.set('maxResults', String(maxResults));
      for (const k of listParam(q.keys)) u.append('keys', k);
      if (expand.size) u.set('expand', [...expand].join(','));
      return u.toString();
    };
    const isLast = startAt + values.length >= list.length;
    const body: JsonObject = { self: `${base}?${qs(startAt)}`, maxResults, startAt, total: list.length, isLast, values };
    if (!isLast) body.nextPage = `${base}?${qs(startAt + values.length)}`;
    return reply.type(JIRA_JSON).send(body);
  });

  // The account the credentials belong to (Sluice's connection check starts here). One credential, one
  // synthetic account; the email is the one given with Basic auth, as Jira shows the account's own.
  app.get('/rest/api/3/myself', async (req, reply) => {
    const [scheme, value] = (req.headers.authorization ?? '').split(/\s+/, 2);
    const decoded = scheme?.toLowerCase() === 'basic' && value ? Buffer.from(value, 'base64').toString('utf8') : '';
    const email = decoded.includes(':') ? decoded.slice(0, decoded.indexOf(':')) : 'simulator@sluice.local';
    return reply.type(JIRA_JSON).send({
      self: `${baseOf(req)}/rest/api/3/user?accountId=5b10ac8d82e05b22cc7d4ef5`, accountId: '5b10ac8d82e05b22cc7d4ef5', accountType: 'atlassian',
      emailAddress: email, displayName: 'Sluice Simulator', active: true, timeZone: 'UTC', locale: 'en_US',
    });
  });
  app.get('/rest/api/3/issuetype', async (_req, reply) => reply.type(JIRA_JSON).send(ctx.world.issueTypes));
  app.get('/rest/api/3/status', async (_req, reply) => reply.type(JIRA_JSON).send(ctx.world.statuses));
  app.get('/rest/api/3/field', async (_req, reply) => reply.type(JIRA_JSON).send(ctx.world.fields));
  app.get('/rest/api/3/project/:projectIdOrKey/statuses', async (req, reply) => {
    const { projectIdOrKey } = req.params as { projectIdOrKey: string };
    const p = ctx.store.project(projectIdOrKey);
    const entry = ctx.world.projectStatuses.find((ps) => ps.project === projectIdOrKey || (p && (ps.project === p.key || ps.project === p.id)));
    if (!entry) return jiraError(reply, 404, [`No project could be found with key '${projectIdOrKey}'.`]);
    return reply.type(JIRA_JSON).send(entry.body);
  });
  app.get('/rest/api/3/project/:projectIdOrKey', async (req, reply) => {
    const { projectIdOrKey } = req.params as { projectIdOrKey: string };
    const p = ctx.store.project(projectIdOrKey);
    if (!p) return jiraError(reply, 404, [`No project could be found with key '${projectIdOrKey}'.`]);
    return reply.type(JIRA_JSON).send(p);
  });
  app.get('/rest/api/3/issue/:issueIdOrKey', async (req, reply) => {
    const { issueIdOrKey } = req.params as { issueIdOrKey: string };
    const issue = ctx.store.issue(issueIdOrKey);
    if (!issue) return jiraError(reply, 404, ['Issue does not exist or you do not have permission to see it.']);
    const q = req.query as Record<string, unknown>;
    const fields = listParam(q.fields);
    // GET issue defaults to all fields (unlike search/jql) and embeds up to 100 histories.
    return reply.type(JIRA_JSON).send(viewIssue(issue, parseFieldSelection(fields.length ? fields : ['*all']), new Set(listParam(q.expand)), 100));
  });
}
