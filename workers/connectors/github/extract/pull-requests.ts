import { z } from 'zod';

import type { ExtractedPage, ExtractRequest } from '../../../pipeline/connector';
import { PermanentError } from '../../../queue/errors';
import { githubSettingsOf, type GithubClient } from '../client';
import { nestedPageNext, nextPrPageCursor, prPageContinuations, prPageWatermark } from '../continuations';
import { nestedRequest, PR_PAGE_QUERY, prPageVariables } from '../graphql/queries';

/**
 * The `pull_requests` and `pr_nested` streams (GraphQL). A PR page holds each PR with the first page
 * of its commits, reviews, comments and review threads; every nested connection with more pages becomes
 * a `pr_nested` partition of its own, started at its `endCursor`, so a rate-limited or paused run resumes
 * at the exact nested cursor and no PR is fetched twice (reference/prior-system.md 4.3-4.5, fixed).
 * PRs come newest-updated first: paging a repository stops at PRs not updated since the watermark (or,
 * on a full run, older than the integration's look-back).
 */

const DAY = 86_400_000;

/** Keep this much of the points budget for other workers' requests in flight; pause everyone below it. */
const POINTS_RESERVE = 100;

const RateLimit = z.object({ data: z.object({ rateLimit: z.object({ remaining: z.number(), resetAt: z.string(), cost: z.number() }).nullable().optional() }).nullable().optional() });

/** When the answer says the points budget is nearly spent, every worker waits for its reset. */
const respectBudget = async (request: ExtractRequest, body: unknown): Promise<void> => {
  const parsed = RateLimit.safeParse(body);
  const limit = parsed.success ? parsed.data.data?.rateLimit : null;
  if (!limit || limit.remaining > POINTS_RESERVE) return;
  const resetAt = Date.parse(limit.resetAt);
  if (Number.isFinite(resetAt)) await request.pauseUntil?.(resetAt);
};

const partitionOf = (request: ExtractRequest): string => {
  if (!request.partition) throw new PermanentError(`The GitHub ${request.stream} stream needs a partition; the message is wrong.`);
  return request.partition;
};

const prCount = (body: unknown): number => {
  const nodes = (body as { data?: { repository?: { pullRequests?: { nodes?: unknown[] } } | null } })?.data?.repository?.pullRequests?.nodes;
  return Array.isArray(nodes) ? nodes.filter(Boolean).length : 0;
};

export const pullRequestsPage = async (request: ExtractRequest, client: GithubClient, now = Date.now()): Promise<ExtractedPage> => {
  const settings = githubSettingsOf(request.integration);
  const fullName = partitionOf(request);
  const variables = prPageVariables({ fullName, cursor: request.cursor, pageSize: settings.pageSize });
  const result = await client.graphql(PR_PAGE_QUERY, { ...variables });
  await respectBudget(request, result.body);
  const since = request.watermark ?? new Date(now - settings.lookbackDays * DAY).toISOString();
  return {
    requestUrl: result.url,
    params: { repository: fullName, pageSize: settings.pageSize, since, ...(request.cursor ? { after: request.cursor } : {}) },
    payload: result.body,
    recordCount: prCount(result.body),
    nextCursor: nextPrPageCursor(result.body, since),
    children: prPageContinuations(result.body).map((c) => ({ stream: 'pr_nested', partition: c.partition, cursor: c.cursor })),
    watermark: prPageWatermark(result.body),
  };
};

export const nestedPage = async (request: ExtractRequest, client: GithubClient): Promise<ExtractedPage> => {
  const settings = githubSettingsOf(request.integration);
  const partition = partitionOf(request);
  if (!request.cursor) throw new PermanentError(`A pr_nested partition continues after a cursor, and ${partition} came without one; the message is wrong.`);
  const { query, variables } = nestedRequest(partition, request.cursor, settings.pageSize);
  const result = await client.graphql(query, { ...variables });
  await respectBudget(request, result.body);
  const next = nestedPageNext(result.body, partition);
  return {
    requestUrl: result.url,
    params: { partition, after: request.cursor, pageSize: settings.pageSize },
    payload: result.body,
    recordCount: 1,
    nextCursor: next.cursor,
    children: next.children.map((c) => ({ stream: 'pr_nested', partition: c.partition, cursor: c.cursor })),
  };
};
