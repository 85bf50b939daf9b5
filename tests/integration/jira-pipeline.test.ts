import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startRetransform } from '../../main/engine/runs/retransform';
import { startRun } from '../../main/engine/runs/start';
import type { Supervisor } from '../../main/supervisor/supervisor';
import { generateWorld, startJiraSimulator, type RunningSimulator, type World } from '../../simulators';
import { createPipelineHarness, type PipelineHarness } from './pipeline-harness';

/**
 * Issue 5, "what must be shown": the Jira connector through the real pipeline (worker threads,
 * RabbitMQ, Postgres) against the simulator. A full run of the demo world loads exactly what the world
 * holds; an incremental run after N updates loads those N; page size 1 and a 429 storm give the same
 * rows; a mapping change then a re-transform from raw, with the simulator stopped, changes the rows.
 */
const TOKEN = 'jira-pipeline-token';

interface History { id: string; items: { field: string; to: string | null }[] }
const historiesOf = (issue: World['jira']['issues'][number]): History[] => ((issue as unknown as { changelog?: { histories?: History[] } }).changelog?.histories ?? []);

const worldCounts = (world: World) => {
  const keyOf = new Map(world.jira.issues.map((i) => [i.id, i.key]));
  const links = new Set(
    world.jira.devStatus.flatMap((d) =>
      ((d.body.detail as { pullRequests?: { url: string; repositoryName: string }[] }[] | undefined) ?? []).flatMap((x) => x.pullRequests ?? []).map((p) => `${keyOf.get(d.issueId)} ${p.repositoryName.toLowerCase()}#${/\/pull\/(\d+)/.exec(p.url)![1]}`),
    ),
  );
  const sprints = new Set(world.jira.issues.flatMap((i) => ((i.fields['customfield_10020'] as { id: number }[] | null) ?? []).map((s) => s.id)));
  return {
    projects: world.jira.projects.length,
    workItems: world.jira.issues.length,
    changelogs: world.jira.issues.reduce((n, i) => n + historiesOf(i).reduce((m, h) => m + h.items.filter((x) => x.field === 'status').length, 0), 0),
    links: links.size,
    sprints: sprints.size,
  };
};

describe('Jira through the pipeline against the simulator', () => {
  let h: PipelineHarness;
  let supervisor: Supervisor;
  const demo = generateWorld({ scale: 'demo', seed: 11 });
  const small = generateWorld({ scale: 'small', seed: 12 });
  let demoSim: RunningSimulator;
  let smallSim: RunningSimulator;

  beforeAll(async () => {
    h = await createPipelineHarness('jira');
    supervisor = await h.start('pipeline', { extract: 2, transform: 2, load: 2 });
    demoSim = await startJiraSimulator({ world: demo, token: TOKEN });
    smallSim = await startJiraSimulator({ world: small, token: TOKEN });
  }, 120_000);
  afterAll(async () => {
    await supervisor?.stop(5_000);
    await demoSim?.stop();
    await smallSim?.stop();
    await h?.cleanup();
  });

  const count = async (table: string, integrationId: number, where = ''): Promise<number> =>
    Number((await h.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE integration_id = $1 ${where}`, [integrationId])).rows[0]!.n);

  const counts = async (integrationId: number) => ({
    projects: await count('projects', integrationId),
    workItems: await count('work_items', integrationId),
    changelogs: await count('changelogs', integrationId),
    links: await count('work_items_prs_links', integrationId, "AND source = 'jira_dev_status'"),
    sprints: await count('sprints', integrationId),
  });

  const run = async (integrationId: number, kind: 'full_refresh' | 'incremental' = 'full_refresh'): Promise<number> => {
    const { runId } = await startRun(h.pool, { tenantId: h.tenantId, integrationId, kind, trigger: 'manual' });
    expect(await h.waitForRunEnd(runId, 180_000)).toBe('succeeded');
    return runId;
  };

  let demoIntegration = 0;
  let firstRun = 0;

  it('a full run of the demo world loads exactly its issues, status changelogs, dev-status links and sprints', async () => {
    demoIntegration = await h.createIntegration({ provider: 'jira', name: 'Demo Jira', baseUrl: demoSim.url, settings: { email: 'etl@example.com', overlapMinutes: 0 }, token: TOKEN });
    const started = Date.now();
    firstRun = await run(demoIntegration);
    const expected = worldCounts(demo);
    expect(await counts(demoIntegration)).toEqual(expected);
    // Every raw unit was loaded; every step's extraction followed every cursor to its end.
    const units = (await h.pool.query<{ status: string; n: string }>('SELECT status, count(*) AS n FROM raw_extraction_data WHERE run_id = $1 GROUP BY status', [firstRun])).rows;
    expect(units.map((u) => u.status)).toEqual(['loaded']);
    const open = await h.pool.query('SELECT 1 FROM run_partitions WHERE run_id = $1 AND (done_at IS NULL OR error IS NOT NULL)', [firstRun]);
    expect(open.rowCount).toBe(0);
    console.info(`jira demo world: ${expected.workItems} issues, ${expected.changelogs} status transitions in ${Date.now() - started} ms`);
  }, 240_000);

  it('an incremental run after the simulator updates 7 issues loads exactly those 7', async () => {
    const watermarks = (await h.pool.query<{ partition: string; watermark: Date }>("SELECT partition, watermark FROM sync_state WHERE integration_id = $1 AND stream = 'issues'", [demoIntegration])).rows;
    expect(watermarks).toHaveLength(demo.jira.projects.length);
    const updated = demoSim.control.update(7);
    expect(updated).toHaveLength(7);
    const before = new Map((await h.pool.query<{ key: string; updated: Date }>('SELECT key, updated FROM work_items WHERE integration_id = $1', [demoIntegration])).rows.map((r) => [r.key, r.updated.getTime()]));
    const second = await run(demoIntegration, 'incremental');
    const after = (await h.pool.query<{ key: string; updated: Date }>('SELECT key, updated FROM work_items WHERE integration_id = $1', [demoIntegration])).rows;
    const changed = after.filter((r) => r.updated.getTime() !== before.get(r.key)).map((r) => r.key).sort();
    expect(changed).toEqual([...updated].sort());
    // What the run read: those 7, plus at most the issues sharing the watermark's minute (Jira's JQL
    // dates have minute precision, so the boundary minute is read again).
    const read = (await h.pool.query<{ key: string }>(
      `SELECT DISTINCT i->>'key' AS key FROM raw_extraction_data d, jsonb_array_elements(d.payload->'search'->'issues') i WHERE d.run_id = $1 AND d.stream = 'issues'`,
      [second],
    )).rows.map((r) => r.key);
    expect(read).toEqual(expect.arrayContaining(updated));
    const boundary = new Set(demo.jira.issues.filter((i) => watermarks.some((w) => Date.parse(String(i.fields['updated']).replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) >= Math.floor(w.watermark.getTime() / 60_000) * 60_000)).map((i) => i.key));
    expect(read.filter((k) => !updated.includes(k)).every((k) => boundary.has(k))).toBe(true);
    expect(await counts(demoIntegration)).toMatchObject({ workItems: demo.jira.issues.length });
  }, 240_000);

  it('gives the same rows with pages of one issue through a 429 storm, then re-transforms a changed mapping with the simulator stopped', async () => {
    const plain = await h.createIntegration({ provider: 'jira', name: 'Small Jira', baseUrl: smallSim.url, settings: { email: 'etl@example.com' }, token: TOKEN });
    await run(plain);
    const stormy = await h.createIntegration({ provider: 'jira', name: 'Small Jira, page size 1', baseUrl: smallSim.url, settings: { email: 'etl@example.com', pageSize: 1 }, token: TOKEN });
    smallSim.control.setFaults({ errors: [{ kind: '429-retry-after', retryAfterSeconds: 1, times: 4, after: 10 }, { kind: '429-reset-only', times: 2, after: 40 }, { kind: '429-bare', times: 2, after: 70 }] });
    const limitedBefore = smallSim.control.stats().byStatus['429'] ?? 0;
    const stormRun = await run(stormy);
    smallSim.control.clearFaults();
    // The storm happened (8 answers 429), and the run went through it by pausing, not by failing.
    expect((smallSim.control.stats().byStatus['429'] ?? 0) - limitedBefore).toBe(8);
    const rows = async (integrationId: number): Promise<string[]> =>
      (await h.pool.query<{ r: string }>(
        `SELECT concat_ws('|', key, wit_to, workflow_step, status_name, story_points, team, development, first_started_at, last_completed_at, cycle_time_seconds, backlog_returns, rework_count, time_in_steps::text) AS r
           FROM work_items WHERE integration_id = $1 ORDER BY key`,
        [integrationId],
      )).rows.map((x) => x.r);
    expect(await rows(stormy)).toEqual(await rows(plain));
    expect(await counts(stormy)).toEqual(await counts(plain));
    expect(Number((await h.pool.query<{ n: string }>("SELECT count(*) AS n FROM raw_extraction_data WHERE run_id = $1 AND stream = 'issues'", [stormRun])).rows[0]!.n)).toBe(small.jira.issues.length);

    // Map every Bug to "Defect" at hierarchy level −1, stop the API, re-transform from raw.
    const bugs = await count('work_items', plain, "AND lower(wit_name) = 'bug'");
    expect(bugs).toBeGreaterThan(0);
    await h.pool.query(
      `UPDATE wits_mappings m SET wit_to = 'Defect', wits_hierarchy_id = (SELECT id FROM wits_hierarchies h WHERE h.integration_id = m.integration_id AND h.level_number = -1)
        WHERE m.integration_id = $1 AND lower(m.wit_from) = 'bug'`,
      [plain],
    );
    await smallSim.stop();
    const replay = await startRetransform(h.pool, { tenantId: h.tenantId, integrationId: plain, trigger: 'manual' });
    expect(replay.units).toBeGreaterThan(0);
    expect(await h.waitForRunEnd(replay.runId, 120_000)).toBe('succeeded');
    expect(await count('work_items', plain, "AND lower(wit_name) = 'bug' AND wit_to = 'Defect' AND hierarchy_level = -1")).toBe(bugs);
    expect(await count('work_items', stormy, "AND lower(wit_name) = 'bug' AND wit_to = 'Defect'")).toBe(0);
    expect(await counts(plain)).toEqual(await counts(stormy));
  }, 300_000);
});
