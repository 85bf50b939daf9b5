import { z } from 'zod';

import type { ExtractedPage, ExtractRequest } from '../../../pipeline/connector';
import { PermanentError } from '../../../queue/errors';
import { JiraClient, jiraSettingsOf } from '../client';
import { issuePageChildren, issuePageWatermark, SearchPage, truncatedChangelogIds } from './issue-page';
import { issueJql } from './jql';

/**
 * The Jira streams (shared/connectors/jira.ts), each a small strategy: an offset paginator
 * (project search, changelogs: `startAt` until `isLast`), a token cursor (`search/jql`:
 * `nextPageToken` until it is absent), or a single request; parents name their children's partitions.
 * Each page's payload is the API's answer verbatim (an issues page adds the changelog pages that
 * complete its truncated histories), so transform can be re-run on it offline.
 */

type StreamFetch = (request: ExtractRequest, client: JiraClient) => Promise<ExtractedPage>;

const offsetOf = (cursor: string | null): number => {
  if (cursor === null) return 0;
  if (!/^\d{1,9}$/.test(cursor)) throw new PermanentError(`A Jira offset cursor must be a number, got "${cursor.slice(0, 40)}"; the message is wrong.`);
  return Number(cursor);
};

const required = <T>(call: { url: string; response: { body: T } | null }): T => {
  if (!call.response) throw new PermanentError(`${call.url} answered with nothing.`);
  return call.response.body;
};

const OffsetPage = z.looseObject({ values: z.array(z.unknown()), isLast: z.boolean().optional(), total: z.number().optional(), startAt: z.number().optional() });
const ProjectPage = z.looseObject({ values: z.array(z.looseObject({ id: z.string(), key: z.string() })), isLast: z.boolean().optional() });

/** Next offset cursor: null on the last page (isLast, or an empty page, or past the total). */
const nextOffset = (page: z.infer<typeof OffsetPage>, startAt: number): string | null => {
  const next = startAt + page.values.length;
  if (page.isLast === true || page.values.length === 0 || (page.total !== undefined && next >= page.total)) return null;
  return String(next);
};

const parsed = <S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> => {
  const result = schema.safeParse(body);
  if (!result.success) throw new PermanentError(`Jira's ${what} answer does not have the expected shape (${result.error.issues[0]?.path.join('.') ?? ''}: ${result.error.issues[0]?.message ?? 'invalid'}).`);
  return result.data;
};

const projects: StreamFetch = async ({ integration, cursor }, client) => {
  const settings = jiraSettingsOf(integration);
  const startAt = offsetOf(cursor);
  const query = { startAt, maxResults: 50, expand: 'issueTypes', orderBy: 'key', ...(settings.projectKeys.length > 0 ? { keys: settings.projectKeys } : {}) };
  const call = await client.get('/rest/api/3/project/search', query);
  const body = required(call);
  const page = parsed(ProjectPage, body, 'project search');
  const offsets = parsed(OffsetPage, body, 'project search');
  const next = nextOffset(offsets, startAt);
  // Jira leaves out keys it does not know (typo, archived, no permission) without an error: say so.
  const seen = new Set(page.values.map((p) => p.key));
  const missing = startAt === 0 && next === null ? settings.projectKeys.filter((k) => !seen.has(k)) : [];
  return {
    requestUrl: call.url,
    params: { ...query, ...(missing.length > 0 ? { missingProjectKeys: missing } : {}) },
    payload: body,
    recordCount: page.values.length,
    nextCursor: next,
    children: page.values.flatMap((p) => [
      { stream: 'project_statuses', partition: p.key },
      { stream: 'issues', partition: p.key },
    ]),
  };
};

const single = (path: (partition: string | null) => string, count: (body: unknown) => number): StreamFetch => async ({ partition }, client) => {
  const call = await client.get(path(partition));
  const body = required(call);
  return { requestUrl: call.url, params: {}, payload: body, recordCount: count(body), nextCursor: null };
};

const arrayLength = (body: unknown): number => (Array.isArray(body) ? body.length : 0);

const partitionOf = (partition: string | null, what: string): string => {
  if (!partition) throw new PermanentError(`The Jira ${what} stream needs a partition; the message is wrong.`);
  return partition;
};

const issues: StreamFetch = async ({ integration, partition, cursor, watermark, acquire }, client) => {
  const settings = jiraSettingsOf(integration);
  const projectKey = partitionOf(partition, 'issues');
  const jql = issueJql({ projectKey, baseJql: settings.baseJql, watermark: watermark ?? null, overlapMinutes: settings.overlapMinutes });
  const request = { jql, maxResults: settings.pageSize, fields: ['*all'], expand: 'changelog,names,schema', ...(cursor ? { nextPageToken: cursor } : {}) };
  const call = await client.post('/rest/api/3/search/jql', request);
  const body = required(call);
  const page = parsed(SearchPage, body, 'issue search');
  // Complete every truncated changelog now, so the unit holds each issue's whole history.
  const changelogs: Record<string, unknown[]> = {};
  for (const issueId of truncatedChangelogIds(page)) {
    const pages: unknown[] = [];
    for (let startAt = 0; ; ) {
      await acquire?.();
      const cl = required(await client.get(`/rest/api/3/issue/${encodeURIComponent(issueId)}/changelog`, { startAt, maxResults: 100 }));
      const clPage = parsed(OffsetPage, cl, 'changelog');
      pages.push(cl);
      const next = nextOffset(clPage, startAt);
      if (next === null) break;
      startAt = Number(next);
    }
    changelogs[issueId] = pages;
  }
  const token = page.nextPageToken;
  return {
    requestUrl: call.url,
    params: { jql, maxResults: settings.pageSize, ...(cursor ? { nextPageToken: true } : {}) },
    payload: { search: body, changelogs },
    recordCount: page.issues.length,
    nextCursor: page.isLast !== true && token ? token : null,
    children: issuePageChildren(page),
    watermark: issuePageWatermark(page),
  };
};

const DevStatus = z.looseObject({ detail: z.array(z.looseObject({ pullRequests: z.array(z.unknown()).optional() })).optional() });

const devStatus: StreamFetch = async ({ partition }, client) => {
  const [issueId] = partitionOf(partition, 'dev_status').split(':');
  const query = { issueId: issueId ?? '', applicationType: 'GitHub', dataType: 'pullrequest' };
  const call = await client.get('/rest/dev-status/1.0/issue/detail', query);
  const body = required(call);
  const detail = parsed(DevStatus, body, 'dev-status');
  return { requestUrl: call.url, params: query, payload: body, recordCount: (detail.detail ?? []).reduce((n, d) => n + (d.pullRequests?.length ?? 0), 0), nextCursor: null };
};

const Sprint = z.looseObject({ id: z.number(), originBoardId: z.number().optional() });

const sprints: StreamFetch = async ({ partition, acquire }, client) => {
  const sprintId = partitionOf(partition, 'sprints');
  // A sprint named by an issue may have been deleted since: keep the unit, with nothing in it.
  const call = await client.get(`/rest/agile/1.0/sprint/${encodeURIComponent(sprintId)}`, {}, [404]);
  const sprint = call.response ? parsed(Sprint, call.response.body, 'sprint') : null;
  let report: unknown = null;
  if (sprint?.originBoardId !== undefined) {
    await acquire?.();
    const r = await client.get('/rest/greenhopper/1.0/rapid/charts/sprintreport', { rapidViewId: sprint.originBoardId, sprintId }, [400, 404]);
    report = r.response?.body ?? null;
  }
  return { requestUrl: call.url, params: { sprintId }, payload: { sprint: call.response?.body ?? null, report }, recordCount: sprint ? 1 : 0, nextCursor: null };
};

export const jiraStreams: Readonly<Record<string, StreamFetch>> = {
  projects,
  statuses: single(() => '/rest/api/3/status', arrayLength),
  project_statuses: single((p) => `/rest/api/3/project/${encodeURIComponent(partitionOf(p, 'project_statuses'))}/statuses`, arrayLength),
  fields: single(() => '/rest/api/3/field', arrayLength),
  issues,
  dev_status: devStatus,
  sprints,
};

/** One page of a Jira stream. */
export const extractJiraPage = async (request: ExtractRequest): Promise<ExtractedPage> => {
  const fetchPage = Object.hasOwn(jiraStreams, request.stream) ? jiraStreams[request.stream] : undefined;
  if (!fetchPage) throw new PermanentError(`The Jira connector has no stream "${request.stream}"; the message is wrong.`);
  const client = new JiraClient(request.integration, jiraSettingsOf(request.integration), request.secret ?? null, request.signal, request.previousRateLimits ?? 0);
  return fetchPage(request, client);
};
