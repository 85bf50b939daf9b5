/**
 * The GitHub connector end to end against the simulator and a real Postgres: every page of a small
 * world fetched through the connector's GraphQL documents and continuation helpers, transformed and
 * loaded; the tables must hold exactly the world, with exact PR metrics and links, whatever the page
 * sizes, the load order or the concurrency.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { withTenant } from '../../main/engine/db/tenant-scope';
import { generateWorld, startGithubSimulator, type RunningSimulator, type World } from '../../simulators';
import { Rng } from '../../simulators/generator/random';
import { prPageWatermark } from '../../workers/connectors/github/continuations';
import type { TransformOutput } from '../../workers/pipeline/connector';
import { expectedLinks, expectedPrs, PR_COMMIT_CAP, type ExpectedPr } from './github-expected';
import { createGithubDb, dumpGithub, fetchWorld, loadUnit, transformUnit, truncateGithub, type GithubDb, type Unit } from './github-support';

const TOKEN = 'github-load-token';

let world: World;
let sim: RunningSimulator;
let g: GithubDb;
let expected: ExpectedPr[];
let heavy: ExpectedPr;
/** A full run in small pages, so every continuation kind occurs: units and their transform outputs. */
let run: { units: Unit[]; outputs: TransformOutput[]; nestedPages: Record<string, number> };

const shuffled = <T>(items: readonly T[], seed: number): T[] => {
  const rng = new Rng(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};

/** Loads outputs as raw units `rawIds[i]`, one after the other in the given order. */
const loadInOrder = async (order: readonly number[], outputs: readonly TransformOutput[], rawIdOf = (i: number) => i + 1): Promise<void> => {
  for (const i of order) await loadUnit(g, outputs[i]!, rawIdOf(i));
};

const withoutRawIds = (dump: Record<string, unknown[]>): Record<string, unknown[]> =>
  Object.fromEntries(Object.entries(dump).map(([t, rows]) => [t, (rows as Record<string, unknown>[]).map(({ raw_id: _r, ...rest }) => rest).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))]));

const query = async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => (await g.pool.query<T>(sql, params)).rows;

const metricsOf = async (nodeId: string): Promise<Record<string, unknown>> => {
  const [row] = await query(
    `SELECT commit_count, review_count, reviewers, reviewer_count, first_review_at, review_cycles, rework_commit_count, comment_count,
            review_comment_count, review_thread_count, additions, deletions, changed_files, source_branch, target_branch
       FROM prs WHERE external_id = $1`,
    [nodeId],
  );
  if (!row) throw new Error(`PR ${nodeId} is not loaded`);
  return { ...row, first_review_at: row.first_review_at === null ? null : (row.first_review_at as Date).toISOString() };
};

beforeAll(async () => {
  world = generateWorld({ scale: 'small', seed: 1 });
  sim = await startGithubSimulator({ world, token: TOKEN });
  expected = expectedPrs(world);
  heavy = expected.reduce((a, b) => (b.metrics.commit_count > a.metrics.commit_count ? b : a));
  const fetched = await fetchWorld(sim, { pageSize: 10, nestedPageSize: 2, threadCommentsPageSize: 2 });
  run = { units: fetched.units, outputs: fetched.units.map(transformUnit), nestedPages: fetched.nestedPages };
  g = await createGithubDb('ghload', 6);
});

afterAll(async () => {
  await g?.end();
  await sim?.stop();
});

describe('GitHub load: a full run of the small world', () => {
  /** The tables after loading every unit once, in fetch order (raw ids 1..n). */
  let baseline: Record<string, unknown[]>;
  beforeAll(async () => {
    await truncateGithub(g);
    await loadInOrder(run.units.map((_, i) => i), run.outputs);
    baseline = await dumpGithub(g);
  });

  it('pages every kind of nested connection, including a PR with more than 100 commits and reviews', () => {
    expect(heavy.metrics.commit_count).toBe(PR_COMMIT_CAP);
    expect(heavy.reviewIds.length).toBeGreaterThan(100);
    for (const connection of ['commits', 'reviews', 'comments', 'reviewThreads', 'threadComments']) expect(run.nestedPages[connection], connection).toBeGreaterThan(0);
  });

  it('loads exactly the world’s PRs, commits, reviews, issue comments, review threads and thread comments', async () => {
    const ids = async (sql: string): Promise<string[]> => (await query<{ id: string }>(sql)).map((r) => r.id).sort();
    expect(await ids('SELECT external_id AS id FROM prs')).toEqual(expected.map((p) => p.nodeId).sort());
    expect(await ids("SELECT pr_external_id || ':' || oid AS id FROM prs_commits")).toEqual(expected.flatMap((p) => p.commitOids.map((o) => `${p.nodeId}:${o}`)).sort());
    expect(await ids('SELECT external_id AS id FROM prs_reviews')).toEqual(expected.flatMap((p) => p.reviewIds).sort());
    expect(await ids("SELECT external_id AS id FROM prs_comments WHERE comment_type = 'issue'")).toEqual(expected.flatMap((p) => p.issueCommentIds).sort());
    expect(await ids("SELECT external_id AS id FROM prs_comments WHERE comment_type = 'review_thread'")).toEqual(expected.flatMap((p) => p.reviewCommentIds).sort());
    expect(await ids('SELECT external_id AS id FROM prs_review_threads')).toEqual(expected.flatMap((p) => p.threadRootIds.map((r) => `PRRT_${r}`)).sort());
    expect(await ids('SELECT external_id AS id FROM repositories')).toEqual(world.github.repositories.map((r) => String(r.id)).sort());
    // Every thread comment sits on its PR and in its thread; every row points back to a unit.
    const orphans = await query(`SELECT c.external_id FROM prs_comments c LEFT JOIN prs_review_threads t ON t.external_id = c.thread_external_id
                                  WHERE c.comment_type = 'review_thread' AND (t.id IS NULL OR t.pr_external_id <> c.pr_external_id)`);
    expect(orphans).toEqual([]);
    const [lineage] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM prs_commits WHERE raw_id NOT BETWEEN 1 AND $1`, [run.units.length]);
    expect(lineage!.n).toBe(0);
  });

  it('computes every PR’s metrics exactly, the 250-commit, 120-review PR included', async () => {
    for (const pr of expected) expect(await metricsOf(pr.nodeId), pr.key).toEqual(pr.metrics);
    const [reported] = await query<{ reported_commit_count: number; reported_review_count: number }>('SELECT reported_commit_count, reported_review_count FROM prs WHERE external_id = $1', [heavy.nodeId]);
    expect(reported).toEqual({ reported_commit_count: heavy.metrics.commit_count, reported_review_count: heavy.reviewIds.length });
  });

  it('finds the links the world put in PR titles, branches and commit messages, and they meet Jira’s dev-status links', async () => {
    const truth = expectedLinks(world);
    expect(truth.length).toBeGreaterThan(10);
    for (const source of ['pr_title', 'pr_branch', 'commit_message']) {
      const found = await query<{ l: string }>("SELECT work_item_key || ' ' || repo_full_name || '#' || pr_number AS l FROM work_items_prs_links WHERE source = $1", [source]);
      expect(found.map((r) => r.l).sort(), source).toEqual(truth);
    }
    // Jira's side (written by the Jira connector; here straight from the world's dev-status) meets
    // these rows in pr_work_item_links: one row per link with every source that found it.
    const jira = Number((await query<{ id: string }>("INSERT INTO integrations (tenant_id, provider, name, base_url) VALUES ($1, 'jira', 'Jira', 'https://x.atlassian.net') RETURNING id", [g.tenantId]))[0]!.id);
    await withTenant(g.pool, g.tenantId, async (c) => {
      for (const [i, l] of truth.entries()) {
        const [key, pr] = l.split(' ') as [string, string];
        const [repo, n] = pr.split('#') as [string, string];
        await c.query("INSERT INTO work_items_prs_links (tenant_id, integration_id, source, work_item_key, repo_full_name, pr_number, raw_id) VALUES ($1, $2, 'jira_dev_status', $3, $4, $5, $6)", [g.tenantId, jira, key, repo, Number(n), 1_000_000 + i]);
      }
      const merged = await c.query<{ l: string; sources: string[] }>("SELECT work_item_key || ' ' || repo_full_name || '#' || pr_number AS l, sources FROM pr_work_item_links");
      expect(merged.rows.map((r) => r.l).sort()).toEqual(truth);
      for (const r of merged.rows) expect(r.sources, r.l).toEqual(['commit_message', 'jira_dev_status', 'pr_branch', 'pr_title']);
      await c.query('DELETE FROM work_items_prs_links WHERE integration_id = $1', [jira]);
    });
  });

  it('loading every unit again rewrites no row', async () => {
    const before = await dumpGithub(g, true);
    await loadInOrder(run.units.map((_, i) => i), run.outputs);
    expect(await dumpGithub(g, true)).toEqual(before);
  });

  it('loads the same tables in reverse order and with all units at once in a random order', async () => {
    const all = run.units.map((_, i) => i);
    await truncateGithub(g);
    await loadInOrder([...all].reverse(), run.outputs);
    expect(await dumpGithub(g)).toEqual(baseline);
    await truncateGithub(g);
    // As many transactions at once as the pool has connections, in a random order: units of the
    // heavy PR (its page and its 150 further commit and review pages) race each other.
    await Promise.all(shuffled(all, 11).map((i) => loadUnit(g, run.outputs[i]!, i + 1)));
    expect(await dumpGithub(g)).toEqual(baseline);
  });

  it('loads the same data whatever the page sizes', async () => {
    const small = withoutRawIds(baseline);
    const defaults = await fetchWorld(sim, { pageSize: 50 });
    expect(defaults.units.length).toBeLessThan(run.units.length);
    await truncateGithub(g);
    await loadInOrder(
      defaults.units.map((_, i) => i),
      defaults.units.map(transformUnit),
    );
    expect(withoutRawIds(await dumpGithub(g))).toEqual(small);
  });
});

describe('GitHub load: the units of the heavy PR in every order', () => {
  it('gives the exact metrics when all of its units load at once, round after round', async () => {
    // Only the heavy PR's units (its repository's page and its ~200 nested pages), as many at once as
    // the pool has connections: the ends of the rounds are where concurrent units of one PR overlap.
    // (Every nested page names its PR: the node itself, or a thread's pullRequest.)
    const mine = run.units.map((u, i) => ({ u, i })).filter(({ u }) => u.stream !== 'repositories' && JSON.stringify(u.payload).includes(heavy.nodeId));
    expect(mine.length).toBeGreaterThan(150);
    for (const seed of [21, 22]) {
      await truncateGithub(g);
      await Promise.all(shuffled(mine, seed).map(({ i }) => loadUnit(g, run.outputs[i]!, i + 1)));
      expect(await metricsOf(heavy.nodeId), `round ${seed}`).toEqual(heavy.metrics);
    }
  });

  it('gives the exact metrics and the same rows for each of the 24 orders of its 4 units', async () => {
    const fetched = await fetchWorld(sim, { pageSize: 100, repositories: [heavy.repo] });
    const units = fetched.units.filter((u) => u.stream !== 'repositories');
    // Its repository's single PR page, commits pages 2 and 3, reviews page 2.
    expect(units.map((u) => `${u.stream}:${u.partition ?? ''}`)).toEqual([
      `pull_requests:${heavy.repo}`,
      `pr_nested:${heavy.nodeId}:commits`,
      `pr_nested:${heavy.nodeId}:reviews`,
      `pr_nested:${heavy.nodeId}:commits`,
    ]);
    const outputs = units.map(transformUnit);
    const permutations = (items: number[]): number[][] => (items.length <= 1 ? [items] : items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [x, ...p])));
    let first: Record<string, unknown[]> | null = null;
    const orders = permutations([0, 1, 2, 3]);
    expect(orders).toHaveLength(24);
    for (const order of orders) {
      await truncateGithub(g);
      await loadInOrder(order, outputs);
      expect(await metricsOf(heavy.nodeId), order.join(',')).toEqual(heavy.metrics);
      const dump = await dumpGithub(g);
      first ??= dump;
      expect(dump, order.join(',')).toEqual(first);
    }
  });
});

describe('GitHub load: incremental runs and late old pages', () => {
  it('a newer PR page wins over an older one loaded after it, and a title that drops a key drops its link', async () => {
    await truncateGithub(g);
    await loadInOrder(run.units.map((_, i) => i), run.outputs);
    const firstRun = run.units.length;
    // The watermark of each repository: the newest updatedAt its pages had (sync_state per partition).
    const watermarks: Record<string, string | null> = {};
    for (const u of run.units) {
      if (u.stream !== 'pull_requests') continue;
      const w = prPageWatermark(u.payload);
      if (w !== null && (watermarks[u.partition!] ?? '') < w) watermarks[u.partition!] = w;
    }
    const changed = sim.control.update(2);
    const second = await fetchWorld(sim, { pageSize: 10, nestedPageSize: 2, threadCommentsPageSize: 2, watermarks });
    const secondPrPages = second.units.filter((u) => u.stream === 'pull_requests');
    // Only the first page of each repository: the updated PRs come first and the page reaches older ones.
    expect(secondPrPages.length).toBe(world.github.repositories.length);
    const outputs = second.units.map(transformUnit);
    await loadInOrder(second.units.map((_, i) => i), outputs, (i) => firstRun + 1 + i);
    const updatedRows = await query<{ comment_count: number; github_updated_at: Date; key: string }>(
      "SELECT comment_count, github_updated_at, repo_full_name || '#' || number AS key FROM prs WHERE repo_full_name || '#' || number = ANY($1::text[])",
      [changed.map((c) => c.toLowerCase())],
    );
    expect(updatedRows).toHaveLength(changed.length);
    for (const r of updatedRows) {
      const before = expected.find((p) => p.key === r.key)!;
      expect(r.comment_count, r.key).toBe(before.metrics.comment_count + changed.filter((c) => c.toLowerCase() === r.key).length);
      const repoWatermark = Object.entries(watermarks).find(([repo]) => repo.toLowerCase() === before.repo)?.[1];
      expect(r.github_updated_at.getTime()).toBeGreaterThan(Date.parse(repoWatermark!));
    }
    const afterSecond = await dumpGithub(g, true);
    // The first run's PR pages arrive again, late: they are older units and change nothing.
    const firstPages = run.units.map((u, i) => (u.stream === 'pull_requests' ? i : -1)).filter((i) => i >= 0);
    await loadInOrder(firstPages, run.outputs);
    expect(await dumpGithub(g, true)).toEqual(afterSecond);

    // A newer page of the heavy PR whose title no longer names its issue: the title link goes, the
    // branch link stays; the older page loaded again does not bring it back.
    const page = second.units.find((u) => u.stream === 'pull_requests' && JSON.stringify(u.payload).includes(heavy.nodeId)) ?? run.units.find((u) => u.stream === 'pull_requests' && JSON.stringify(u.payload).includes(heavy.nodeId))!;
    const edited = JSON.parse(JSON.stringify(page.payload)) as { data: { repository: { pullRequests: { nodes: { id: string; title: string }[] } } } };
    const node = edited.data.repository.pullRequests.nodes.find((n) => n.id === heavy.nodeId)!;
    const withoutKey = node.title.replace(/\[?[A-Z][A-Z0-9_]+-\d+\]?\s*/g, '');
    expect(withoutKey).not.toBe(node.title);
    node.title = withoutKey;
    const newest = firstRun + second.units.length + 1;
    await loadUnit(g, transformUnit({ ...page, payload: edited }), newest);
    const sources = async () => (await query<{ source: string }>('SELECT source FROM work_items_prs_links WHERE pr_external_id = $1 ORDER BY source', [heavy.nodeId])).map((r) => r.source);
    expect(await sources()).toEqual(['commit_message', 'pr_branch']);
    await loadUnit(g, transformUnit(page), newest - 1);
    expect(await sources()).toEqual(['commit_message', 'pr_branch']);
    // A re-transform replays a unit under its own raw id: its new output is the truth, both ways.
    await loadUnit(g, transformUnit(page), newest);
    expect(await sources()).toEqual(['commit_message', 'pr_branch', 'pr_title']);
    await loadUnit(g, transformUnit({ ...page, payload: edited }), newest);
    expect(await sources()).toEqual(['commit_message', 'pr_branch']);
    expect((await query<{ title: string }>('SELECT title FROM prs WHERE external_id = $1', [heavy.nodeId]))[0]!.title).toBe(withoutKey);
    expect(await metricsOf(heavy.nodeId)).toEqual({ ...heavy.metrics, comment_count: heavy.metrics.comment_count + changed.filter((c) => c.toLowerCase() === heavy.key).length });
  });
});
