/** `GET|POST /rest/api/3/search/jql` (cursor pages) and the removed `/rest/api/3/search` (410). */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { JsonObject } from '../world/types';
import { intParam, listParam } from '../http/base';
import type { JiraContext } from './context';
import { JIRA_JSON, JqlError, SEARCH_GONE, jiraError } from './errors';
import { namesAndSchema, parseFieldSelection, poisonIssue, selectsFields, viewIssue } from './issue-view';

const SearchBody = z.strictObject({
  jql: z.string().optional(),
  nextPageToken: z.string().nullable().optional(),
  maxResults: z.number().int().optional(),
  fields: z.array(z.string()).optional(),
  expand: z.string().optional(),
  properties: z.array(z.string()).max(5).optional(),
  fieldsByKeys: z.boolean().optional(),
  failFast: z.boolean().optional(),
  reconcileIssues: z.array(z.number().int()).optional(),
});

interface SearchParams {
  jql: string;
  token: string | null;
  maxResults: number;
  fields: string[];
  expand: string[];
}

/** Pages carrying full issues stop at 100, as Jira returns fewer when many fields are requested. */
const FULL_PAGE_CAP = 100;
const ID_PAGE_CAP = 5000;

function search(ctx: JiraContext, p: SearchParams, reply: FastifyReply): FastifyReply {
  if (!p.jql.trim()) return jiraError(reply, 400, ['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.']);
  let all;
  try {
    all = ctx.store.search(p.jql);
  } catch (e) {
    if (e instanceof JqlError || (e as { jqlField?: string }).jqlField) return jiraError(reply, 400, [(e as Error).message]);
    throw e;
  }
  let offset = 0;
  if (p.token !== null) {
    const decoded = ctx.cursor.decode(p.token, p.jql);
    if (decoded === null) return jiraError(reply, 400, ['The provided nextPageToken is invalid or has expired, or was issued for a different query. Start the search again without a token.']);
    offset = decoded;
  }
  const sel = parseFieldSelection(p.fields);
  const expand = new Set(p.expand);
  const heavy = selectsFields(sel) || expand.size > 0;
  const size = ctx.faults.pageSize ?? Math.max(1, Math.min(p.maxResults, heavy ? FULL_PAGE_CAP : ID_PAGE_CAP));
  const page = all.slice(offset, offset + size);
  const pageNo = Math.floor(offset / size) + 1;
  const issues: JsonObject[] = page.map((i) => viewIssue(i, sel, expand, ctx.changelogEmbedLimit));
  if (issues.length && ctx.faults.isPoisoned('/search/jql', pageNo)) issues[0] = poisonIssue(issues[0] as JsonObject);
  const hasMore = offset + page.length < all.length;
  const body: JsonObject = { issues };
  if (hasMore) body.nextPageToken = ctx.cursor.encode(p.jql, offset + page.length);
  body.isLast = !hasMore;
  if (expand.has('names') || expand.has('schema')) {
    const ns = namesAndSchema(ctx.world.fields, issues);
    if (expand.has('names')) body.names = ns.names;
    if (expand.has('schema')) body.schema = ns.schema;
  }
  // "Records updated between pages": people keep working while the ETL pages through the result.
  if (hasMore && ctx.faults.updateBetweenPages > 0 && page.length) ctx.store.updateIssues(ctx.faults.updateBetweenPages, Date.now(), page);
  return reply.type(JIRA_JSON).send(body);
}

export function registerSearchRoutes(app: FastifyInstance, ctx: JiraContext): void {
  app.get('/rest/api/3/search/jql', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const maxResults = intParam(q.maxResults, 50);
    if (maxResults === null) return jiraError(reply, 400, ["The value of 'maxResults' must be an integer."]);
    return search(ctx, {
      jql: typeof q.jql === 'string' ? q.jql : '',
      token: typeof q.nextPageToken === 'string' ? q.nextPageToken : null,
      maxResults,
      fields: listParam(q.fields),
      expand: listParam(q.expand),
    }, reply);
  });
  app.post('/rest/api/3/search/jql', async (req, reply) => {
    const parsed = SearchBody.safeParse(req.body ?? {});
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      return jiraError(reply, 400, [`Invalid request payload: ${i?.path.join('.') || 'body'}: ${i?.message}.`]);
    }
    const b = parsed.data;
    return search(ctx, { jql: b.jql ?? '', token: b.nextPageToken ?? null, maxResults: b.maxResults ?? 50, fields: b.fields ?? [], expand: listParam(b.expand) }, reply);
  });
  const gone = async (_req: unknown, reply: FastifyReply) => jiraError(reply, 410, [SEARCH_GONE]);
  app.get('/rest/api/3/search', gone);
  app.post('/rest/api/3/search', gone);
}
