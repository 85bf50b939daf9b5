import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startRun } from '../../main/engine/runs/start';
import type { Supervisor } from '../../main/supervisor/supervisor';
import { generateWorld, startGithubSimulator, startJiraSimulator, type RunningSimulator } from '../../simulators';
import { expectedLinks, expectedPrs } from './github-expected';
import { createPipelineHarness, type PipelineHarness } from './pipeline-harness';

/**
 * Issue 6, "what must be shown": the GitHub connector through the real pipeline against the simulator.
 * A full run loads exactly the world's PRs, commits, reviews, comments and threads (PRs with more than
 * 100 commits and reviews included); a run interrupted by GraphQL RATE_LIMITED and by a secondary limit
 * resumes by itself and ends with the same rows; links found from both sources (Jira dev-status, and
 * keys in PR titles, branches and commits) match the world's ground truth.
 */
const TOKEN = 'gh-pipeline-token';

describe('GitHub through the pipeline against the simulator', () => {
  let h: PipelineHarness;
  let supervisor: Supervisor;
  const world = generateWorld({ scale: 'small', seed: 21 });
  const expected = expectedPrs(world);
  let github: RunningSimulator;
  let jira: RunningSimulator;

  beforeAll(async () => {
    h = await createPipelineHarness('github');
    supervisor = await h.start('pipeline', { extract: 2, transform: 2, load: 2 });
    // Short rate-limit windows: a RATE_LIMITED answer resets in seconds, not in an hour.
    github = await startGithubSimulator({ world, token: TOKEN, rateWindowsMs: { graphql: 3_000, core: 3_000 } });
    jira = await startJiraSimulator({ world, token: TOKEN });
  }, 120_000);
  afterAll(async () => {
    await supervisor?.stop(5_000);
    await github?.stop();
    await jira?.stop();
    await h?.cleanup();
  });

  const ids = async (sql: string, integrationId: number): Promise<string[]> => (await h.pool.query<{ id: string }>(`${sql} WHERE integration_id = $1`, [integrationId])).rows.map((r) => r.id).sort();

  const dump = async (integrationId: number) => ({
    prs: await ids('SELECT external_id AS id FROM prs', integrationId),
    commits: await ids("SELECT pr_external_id || ':' || oid AS id FROM prs_commits", integrationId),
    reviews: await ids('SELECT external_id AS id FROM prs_reviews', integrationId),
    comments: await ids("SELECT comment_type || ':' || external_id AS id FROM prs_comments", integrationId),
    threads: await ids('SELECT external_id AS id FROM prs_review_threads', integrationId),
    repositories: await ids('SELECT external_id AS id FROM repositories', integrationId),
    metrics: await ids("SELECT external_id || ' ' || commit_count || ' ' || review_count || ' ' || review_cycles || ' ' || rework_commit_count || ' ' || coalesce(first_review_at::text, '-') AS id FROM prs", integrationId),
  });

  const run = async (integrationId: number): Promise<number> => {
    const { runId } = await startRun(h.pool, { tenantId: h.tenantId, integrationId, kind: 'full_refresh', trigger: 'manual' });
    expect(await h.waitForRunEnd(runId, 240_000)).toBe('succeeded');
    return runId;
  };

  const settings = { organization: world.meta.organization, pageSize: 25, lookbackDays: 3650 };
  let first = 0;

  it('a full run loads exactly the world’s PRs with every nested page, and both sides’ links match the ground truth', async () => {
    const jiraIntegration = await h.createIntegration({ provider: 'jira', name: 'Jira', baseUrl: jira.url, settings: { email: 'etl@example.com' }, token: TOKEN });
    const { runId: jiraRun } = await startRun(h.pool, { tenantId: h.tenantId, integrationId: jiraIntegration, kind: 'full_refresh', trigger: 'manual' });
    expect(await h.waitForRunEnd(jiraRun, 120_000)).toBe('succeeded');

    first = await h.createIntegration({ provider: 'github', name: 'GitHub', baseUrl: github.url, settings, token: TOKEN });
    const runId = await run(first);
    const d = await dump(first);
    expect(d.prs).toEqual(expected.map((p) => p.nodeId).sort());
    expect(d.commits).toEqual(expected.flatMap((p) => p.commitOids.map((o) => `${p.nodeId}:${o}`)).sort());
    expect(d.reviews).toEqual(expected.flatMap((p) => p.reviewIds).sort());
    expect(d.comments).toEqual([...expected.flatMap((p) => p.issueCommentIds.map((c) => `issue:${c}`)), ...expected.flatMap((p) => p.reviewCommentIds.map((c) => `review_thread:${c}`))].sort());
    expect(d.threads).toEqual(expected.flatMap((p) => p.threadRootIds.map((r) => `PRRT_${r}`)).sort());
    expect(d.repositories).toEqual(world.github.repositories.map((r) => String(r.id)).sort());
    // The PR past 100 commits and 100 reviews came whole, through nested partitions of its own.
    const heavy = expected.reduce((a, b) => (b.commitOids.length > a.commitOids.length ? b : a));
    expect(heavy.commitOids.length).toBeGreaterThan(100);
    expect(heavy.reviewIds.length).toBeGreaterThan(100);
    const metrics = (await h.pool.query('SELECT commit_count, review_count, review_cycles, rework_commit_count FROM prs WHERE external_id = $1 AND integration_id = $2', [heavy.nodeId, first])).rows[0];
    expect(metrics).toEqual({ commit_count: heavy.metrics.commit_count, review_count: heavy.metrics.review_count, review_cycles: heavy.metrics.review_cycles, rework_commit_count: heavy.metrics.rework_commit_count });
    const nested = Number((await h.pool.query<{ n: string }>("SELECT count(*) AS n FROM run_partitions WHERE run_id = $1 AND stream = 'pr_nested'", [runId])).rows[0]!.n);
    expect(nested).toBeGreaterThan(0);

    // Links: each source found exactly the ground truth, and the merged view names all four sources.
    const truth = expectedLinks(world);
    for (const source of ['jira_dev_status', 'pr_title', 'pr_branch', 'commit_message']) {
      const found = (await h.pool.query<{ l: string }>("SELECT work_item_key || ' ' || repo_full_name || '#' || pr_number AS l FROM work_items_prs_links WHERE source = $1", [source])).rows.map((r) => r.l);
      expect(found.sort(), source).toEqual(truth);
    }
    const merged = (await h.pool.query<{ sources: string[] }>('SELECT sources FROM pr_work_item_links')).rows;
    expect(merged).toHaveLength(truth.length);
    expect(merged.every((m) => m.sources.length === 4)).toBe(true);
  }, 300_000);

  it('a run interrupted by GraphQL RATE_LIMITED and a secondary limit resumes by itself with the same rows and no duplicates', async () => {
    const second = await h.createIntegration({ provider: 'github', name: 'GitHub, interrupted', baseUrl: github.url, settings, token: TOKEN });
    const limitedBefore = github.control.stats().byStatus['403'] ?? 0;
    github.control.setFaults({ errors: [{ kind: 'graphql-rate-limited', times: 2, after: 6 }, { kind: 'github-secondary', retryAfterSeconds: 1, times: 2, after: 15 }] });
    const runId = await run(second);
    // Every fault was served: the run really was interrupted twice by each limit.
    expect(github.control.faults().errors).toEqual([]);
    github.control.clearFaults();
    expect((github.control.stats().byStatus['403'] ?? 0) - limitedBefore).toBeGreaterThanOrEqual(2); // the secondary limit was served
    expect(await dump(second)).toEqual(await dump(first));
    // Each page stored once: no PR page and no nested page was fetched twice into the run.
    const dupes = await h.pool.query('SELECT page_key FROM raw_extraction_data WHERE run_id = $1 GROUP BY step, stream, page_key HAVING count(*) > 1', [runId]);
    expect(dupes.rowCount).toBe(0);
  }, 300_000);
});
