/** Issue changelog pages, dev-status (private API), agile boards and sprints, the sprint report. */
import type { FastifyInstance } from 'fastify';
import type { Json, JsonObject } from '../world/types';
import { baseOf, intParam } from '../http/base';
import type { JiraContext } from './context';
import { JIRA_JSON, jiraError } from './errors';

function page<T>(list: readonly T[], startAt: number, maxResults: number): { values: T[]; isLast: boolean } {
  const values = list.slice(startAt, startAt + maxResults);
  return { values, isLast: startAt + values.length >= list.length };
}

export function registerDevRoutes(app: FastifyInstance, ctx: JiraContext): void {
  app.get('/rest/api/3/issue/:issueIdOrKey/changelog', async (req, reply) => {
    const { issueIdOrKey } = req.params as { issueIdOrKey: string };
    const issue = ctx.store.issue(issueIdOrKey);
    if (!issue) return jiraError(reply, 404, ['Issue does not exist or you do not have permission to see it.']);
    const q = req.query as Record<string, unknown>;
    const startAt = intParam(q.startAt, 0);
    const max = intParam(q.maxResults, 100);
    if (startAt === null || max === null || startAt < 0) return jiraError(reply, 400, ["'startAt' and 'maxResults' must be non-negative integers."]);
    const maxResults = ctx.faults.pageSize ?? Math.max(1, Math.min(max, 100));
    // Stored newest first (as embedded); this endpoint pages oldest first.
    const all = [...(((issue.changelog as JsonObject | undefined)?.histories as Json[] | undefined) ?? [])].reverse();
    const { values, isLast } = page(all, startAt, maxResults);
    const base = `${baseOf(req)}/rest/api/3/issue/${issue.key}/changelog`;
    const body: JsonObject = { self: `${base}?startAt=${startAt}&maxResults=${maxResults}`, maxResults, startAt, total: all.length, isLast, values };
    if (!isLast) body.nextPage = `${base}?startAt=${startAt + values.length}&maxResults=${maxResults}`;
    return reply.type(JIRA_JSON).send(body);
  });

  const detail = (q: Record<string, unknown>) =>
    ctx.world.devStatus.filter(
      (d) => d.issueId === q.issueId && (!q.applicationType || String(q.applicationType).toLowerCase() === d.applicationType.toLowerCase()) && (!q.dataType || q.dataType === d.dataType),
    );
  app.get('/rest/dev-status/1.0/issue/detail', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    if (typeof q.issueId !== 'string' || !/^\d+$/.test(q.issueId)) return jiraError(reply, 400, ["The 'issueId' parameter must be the numeric issue id (not the key)."]);
    const found = detail(q);
    if (found.length === 1) return reply.type(JIRA_JSON).send((found[0] as { body: JsonObject }).body);
    return reply.type(JIRA_JSON).send({ errors: [], detail: found.flatMap((d) => (d.body.detail as Json[] | undefined) ?? []) });
  });
  app.get('/rest/dev-status/1.0/issue/summary', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    if (typeof q.issueId !== 'string' || !/^\d+$/.test(q.issueId)) return jiraError(reply, 400, ["The 'issueId' parameter must be the numeric issue id (not the key)."]);
    const prs = detail({ issueId: q.issueId, dataType: 'pullrequest' }).flatMap((d) => ((d.body.detail as JsonObject[] | undefined) ?? []).flatMap((x) => (x.pullRequests as JsonObject[] | undefined) ?? []));
    const state = prs.some((p) => p.status === 'OPEN') ? 'OPEN' : prs.some((p) => p.status === 'MERGED') ? 'MERGED' : prs.length ? 'DECLINED' : null;
    const none = { overall: { count: 0, lastUpdated: null, dataType: 'repository' }, byInstanceType: {} };
    return reply.type(JIRA_JSON).send({
      errors: [], configErrors: [],
      summary: {
        pullrequest: { overall: { count: prs.length, lastUpdated: prs.map((p) => p.lastUpdate as string).sort().at(-1) ?? null, stateCount: prs.length, state, dataType: 'pullrequest', open: state === 'OPEN' }, byInstanceType: prs.length ? { GitHub: { count: prs.length, name: 'GitHub' } } : {} },
        repository: none,
        branch: { ...none, overall: { ...none.overall, dataType: 'branch' } },
      },
    });
  });

  app.get('/rest/agile/1.0/board', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const startAt = intParam(q.startAt, 0) ?? 0;
    const maxResults = ctx.faults.pageSize ?? Math.min(intParam(q.maxResults, 50) ?? 50, 50);
    const proj = typeof q.projectKeyOrId === 'string' ? ctx.store.project(q.projectKeyOrId) : undefined;
    const boards = ctx.world.boards.filter((b) => !q.projectKeyOrId || (proj && ((b.location as JsonObject | undefined)?.projectKey === proj.key)));
    const { values, isLast } = page(boards, startAt, maxResults);
    return reply.type(JIRA_JSON).send({ maxResults, startAt, total: boards.length, isLast, values });
  });
  app.get('/rest/agile/1.0/board/:boardId/sprint', async (req, reply) => {
    const boardId = Number((req.params as { boardId: string }).boardId);
    if (!ctx.world.boards.some((b) => b.id === boardId)) return jiraError(reply, 404, [`Board ${boardId} does not exist or you do not have permission to see it.`]);
    const q = req.query as Record<string, unknown>;
    const states = typeof q.state === 'string' ? new Set(q.state.split(',')) : null;
    const startAt = intParam(q.startAt, 0) ?? 0;
    const maxResults = ctx.faults.pageSize ?? Math.min(intParam(q.maxResults, 50) ?? 50, 50);
    const sprints = ctx.world.sprints.filter((s) => s.originBoardId === boardId && (!states || states.has(String(s.state))));
    const { values, isLast } = page(sprints, startAt, maxResults);
    return reply.type(JIRA_JSON).send({ maxResults, startAt, isLast, values });
  });
  app.get('/rest/agile/1.0/sprint/:sprintId', async (req, reply) => {
    const id = Number((req.params as { sprintId: string }).sprintId);
    const sprint = ctx.world.sprints.find((s) => s.id === id);
    if (!sprint) return jiraError(reply, 404, [`Sprint ${id} does not exist or you do not have permission to see it.`]);
    return reply.type(JIRA_JSON).send(sprint);
  });
  app.get('/rest/greenhopper/1.0/rapid/charts/sprintreport', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const report = ctx.world.sprintReports.find((r) => String(r.boardId) === q.rapidViewId && String(r.sprintId) === q.sprintId);
    if (!report) return jiraError(reply, 404, [`No sprint report for board ${String(q.rapidViewId)} and sprint ${String(q.sprintId)}.`]);
    return reply.type(JIRA_JSON).send(report.body);
  });
}
