/**
 * The continuation helpers on real simulator answers: the heavy PR of every world (250 commits served
 * of 260, 120 reviews, 80-odd review threads) paged to the end through the helpers, thread comments
 * continued, and an incremental run stopping at the watermark.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { generateWorld, startGithubSimulator, type RunningSimulator, type World } from '../../simulators';
import { nestedPageNext, nextPrPageCursor, prPageContinuations, prPageWatermark } from '../../workers/connectors/github/continuations';
import { nestedRequest, PR_PAGE_QUERY, prPageVariables } from '../../workers/connectors/github/graphql/queries';
import { expectedPrs, type ExpectedPr } from './github-expected';

let world: World;
let sim: RunningSimulator;
let heavy: ExpectedPr;

type Page = { data: { repository: { pullRequests: { nodes: { id: string; number: number; updatedAt: string; reviewThreads: { nodes: { id: string; comments: { totalCount: number } }[] } }[] } } } };

const post = async <T = unknown>(query: string, variables: object): Promise<T> => {
  const res = await fetch(`${sim.url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${sim.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body as T;
};

/** Follows one nested partition to its end; returns the pages and the children they named. */
const follow = async (partition: string, cursor: string, pageSize: number, threadCommentsPageSize?: number) => {
  const pages: unknown[] = [];
  const children: { partition: string; cursor: string }[] = [];
  for (let next: string | null = cursor; next !== null; ) {
    const r = nestedRequest(partition, next, pageSize, threadCommentsPageSize);
    const payload = await post(r.query, r.variables);
    pages.push(payload);
    const step = nestedPageNext(payload, partition);
    expect(nestedPageNext(payload), 'the connection is told from the payload alone too').toEqual(step);
    children.push(...step.children);
    next = step.cursor;
  }
  return { pages, children };
};

beforeAll(async () => {
  world = generateWorld({ scale: 'small', seed: 1 });
  sim = await startGithubSimulator({ world, token: 'github-continuations' });
  heavy = expectedPrs(world).reduce((a, b) => (b.commitOids.length > a.commitOids.length ? b : a));
});
afterAll(async () => sim?.stop());

describe('GitHub continuations on simulator answers', () => {
  it('page the heavy PR’s commits, reviews and review threads to the end', async () => {
    const first = await post(PR_PAGE_QUERY, prPageVariables({ fullName: heavy.repo, cursor: null, pageSize: 50 }));
    const open = prPageContinuations(first);
    const mine = open.filter((c) => c.partition.startsWith(`${heavy.nodeId}:`));
    expect(mine.map((c) => c.partition).sort()).toEqual([`${heavy.nodeId}:commits`, `${heavy.nodeId}:reviewThreads`, `${heavy.nodeId}:reviews`]);
    const count = (pages: unknown[], key: string) => pages.reduce<number>((n, p) => n + ((p as { data: { node: Record<string, { nodes: unknown[] }> } }).data.node[key]?.nodes.length ?? 0), 0);
    const commits = await follow(`${heavy.nodeId}:commits`, mine.find((c) => c.partition.endsWith(':commits'))!.cursor, 50);
    expect(commits.pages).toHaveLength(4);
    expect(50 + count(commits.pages, 'commits')).toBe(heavy.commitOids.length);
    const reviews = await follow(`${heavy.nodeId}:reviews`, mine.find((c) => c.partition.endsWith(':reviews'))!.cursor, 50);
    expect(50 + count(reviews.pages, 'reviews')).toBe(heavy.reviewIds.length);
    const threads = await follow(`${heavy.nodeId}:reviewThreads`, mine.find((c) => c.partition.endsWith(':reviewThreads'))!.cursor, 50, 50);
    expect(50 + count(threads.pages, 'reviewThreads')).toBe(heavy.threadRootIds.length);
  });

  it('continue review-thread comments past their first page', async () => {
    const first = await post<Page>(PR_PAGE_QUERY, prPageVariables({ fullName: heavy.repo, cursor: null, pageSize: 50, nestedPageSize: 100, threadCommentsPageSize: 1 }));
    const pr = first.data.repository.pullRequests.nodes.find((n) => n.id === heavy.nodeId)!;
    const long = pr.reviewThreads.nodes.filter((t) => t.comments.totalCount > 1);
    expect(long.length).toBeGreaterThan(0);
    const open = prPageContinuations(first).filter((c) => c.partition.endsWith(':threadComments'));
    expect(open.map((c) => c.partition)).toEqual(expect.arrayContaining(long.map((t) => `${t.id}:threadComments`)));
    for (const t of long) {
      const rest = await follow(`${t.id}:threadComments`, open.find((c) => c.partition === `${t.id}:threadComments`)!.cursor, 1);
      expect(1 + rest.pages.length, t.id).toBe(t.comments.totalCount);
    }
  });

  it('stop an incremental run at the first page that reaches PRs older than the watermark', async () => {
    const repo = heavy.repo;
    const updated = world.github.pulls
      .filter((p) => String(((p.base as Record<string, unknown>).repo as Record<string, unknown>).full_name).toLowerCase() === repo)
      .map((p) => Date.parse(p.updated_at))
      .sort((a, b) => b - a);
    expect(updated.length).toBeGreaterThan(10);
    // Watermark between the 7th and the 8th newest: pages of 3 (PRs 1-3, 4-6, 7-9): the third reaches an older PR.
    const watermark = new Date(updated[6]!).toISOString();
    expect(updated[7]!).toBeLessThan(updated[6]!);
    const pages: unknown[] = [];
    for (let cursor: string | null = null, guard = 0; guard === 0 || cursor !== null; guard += 1) {
      const payload = await post(PR_PAGE_QUERY, prPageVariables({ fullName: repo, cursor, pageSize: 3 }));
      pages.push(payload);
      cursor = nextPrPageCursor(payload, watermark);
    }
    expect(pages).toHaveLength(3);
    expect(prPageWatermark(pages[0])).toBe(new Date(updated[0]!).toISOString());
    // Without a watermark the same paging reads every PR.
    let all = 0;
    for (let cursor: string | null = null, guard = 0; guard === 0 || cursor !== null; guard += 1) {
      const payload = await post<Page>(PR_PAGE_QUERY, prPageVariables({ fullName: repo, cursor, pageSize: 3 }));
      all += payload.data.repository.pullRequests.nodes.length;
      cursor = nextPrPageCursor(payload, null);
    }
    expect(all).toBe(updated.length);
  });
});
