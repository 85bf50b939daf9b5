import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { withTenant } from '../../main/engine/db/tenant-scope';
import { generateWorld } from '../../simulators';
import { loadJira } from '../../workers/connectors/jira/load';
import { fieldChange, issue, searchPage, STATUS, statusChange } from '../../workers/connectors/jira/transform/testing';
import type { IntegrationInfo, TransformOutput } from '../../workers/pipeline/connector';
import { issuesUnit, openJiraDb, type JiraDb } from './jira-harness';

const UNIFIED = ['unified_set_versions', 'projects', 'wits', 'projects_wits', 'statuses', 'projects_statuses', 'custom_fields', 'work_items', 'changelogs', 'sprints', 'work_items_sprints', 'work_items_prs_links'];

const SPRINT = 'customfield_10020';
const schema = { [SPRINT]: { type: 'array', items: 'json', custom: 'com.pyxis.greenhopper.jira:gh-sprint', customId: 10020 } };
const sprintItem = (from: string, to: string) => ({ field: 'Sprint', fieldtype: 'custom', fieldId: SPRINT, from, fromString: null, to, toString: null });
const sprintRef = (id: number) => ({ id, name: `ENG Sprint ${id}`, state: 'active', boardId: 1 });
const h1 = statusChange('2024-01-02T10:00:00.000+0100', STATUS.backlog, STATUS.selected);
const h2 = statusChange('2024-01-03T10:00:00.000+0100', STATUS.selected, STATUS.inProgress);
const h3 = statusChange('2024-01-09T10:00:00.000+0100', STATUS.inProgress, STATUS.done);
const add5 = fieldChange('2024-01-02T12:00:00.000+0100', sprintItem('', '5'));
const move6 = fieldChange('2024-01-08T12:00:00.000+0100', sprintItem('5', '6'));

/** ENG-1 as an older unit saw it (in progress, sprint 5) and as a newer unit sees it (done, moved to sprint 6). */
const olderIssue = searchPage([issue({ status: STATUS.inProgress, histories: [h1, add5, h2], fields: { [SPRINT]: [sprintRef(5)] } })], { schema });
const newerIssue = searchPage([issue({ status: STATUS.done, updated: '2024-01-09T10:00:00.000+0100', histories: [h1, add5, h2, move6, h3], fields: { [SPRINT]: [sprintRef(6)] } })], { schema });
const pr = (n: number) => ({ id: `#${n}`, url: `https://github.com/acme/api/pull/${n}`, status: 'OPEN', repositoryId: '7', repositoryName: 'acme/api', source: { branch: `ENG-1-${n}` }, lastCommit: { id: `c${n}` } });
const olderDev = { errors: [], detail: [{ pullRequests: [pr(1), pr(2)] }] };
const newerDev = { errors: [], detail: [{ pullRequests: [pr(2)] }] };
const sprint6 = {
  sprint: { id: 6, name: 'ENG Sprint 6', state: 'active', originBoardId: 1, startDate: '2024-01-08T00:00:00.000Z', endDate: '2024-01-22T00:00:00.000Z' },
  report: {
    contents: {
      completedIssues: [{ id: 10001, key: 'ENG-1', estimateStatistic: { statFieldValue: { value: 3 } }, currentEstimateStatistic: { statFieldValue: { value: 5 } } }],
      issuesNotCompletedInCurrentSprint: [],
      puntedIssues: [],
      issuesCompletedInAnotherSprint: [],
      completedIssuesEstimateSum: { value: 5 },
      allIssuesEstimateSum: { value: 5 },
      issueKeysAddedDuringSprint: { 'ENG-1': true },
    },
  },
};

describe('loading the Jira transform output into Postgres', () => {
  let j: JiraDb;

  beforeAll(async () => {
    j = await openJiraDb('jiraload');
  });
  afterAll(async () => {
    await j.close();
  });

  const byIntegration = async (integration: IntegrationInfo, table: string, orderBy: string) =>
    (await j.snapshot(table, orderBy)).filter((r) => Number(r.integration_id) === integration.id).map(({ integration_id: _i, ...rest }) => rest);

  describe('a whole simulated site', () => {
    const world = generateWorld({ scale: 'small', seed: 1 });
    let units: { output: TransformOutput; rawId: number }[];

    beforeAll(async () => {
      const m = await j.mappings();
      let rawId = 1000;
      const unit = (stream: string, payload: unknown, partition: string | null = null) => ({ output: j.transform(stream, payload, partition, m), rawId: (rawId += 1) });
      units = [
        unit('projects', { startAt: 0, total: world.jira.projects.length, isLast: true, values: world.jira.projects }),
        unit('statuses', world.jira.statuses),
        ...world.jira.projectStatuses.map((p) => unit('project_statuses', p.body, p.project)),
        unit('fields', world.jira.fields),
        unit('issues', issuesUnit(world, world.jira.issues.slice(0, 30))),
        unit('issues', issuesUnit(world, world.jira.issues.slice(30))),
        ...world.jira.devStatus.map((d) => unit('dev_status', d.body, `${d.issueId}:${world.jira.issues.find((i) => i.id === d.issueId)!.key}`)),
        ...world.jira.sprints.map((s) => unit('sprints', { sprint: s, report: world.jira.sprintReports.find((r) => r.sprintId === s.id)?.body ?? null })),
      ];
      for (const u of units) await j.load(u.output, u.rawId);
    });

    const counts = async () => Object.fromEntries(await Promise.all(UNIFIED.map(async (t) => [t, (await j.pool.query(`SELECT count(*)::int AS n FROM ${t}`)).rows[0].n as number])));
    const versions = async () => Object.fromEntries(await Promise.all(UNIFIED.map(async (t) => [t, (await j.pool.query(`SELECT string_agg(xmin::text, ',' ORDER BY xmin::text) AS v FROM ${t}`)).rows[0].v])));

    it('loads every entity with its lineage', async () => {
      const n = await counts();
      expect(n).toMatchObject({ projects: world.jira.projects.length, statuses: world.jira.statuses.length, custom_fields: world.jira.fields.length, work_items: world.jira.issues.length, sprints: world.jira.sprints.length });
      expect(n.changelogs).toBeGreaterThan(world.jira.issues.length);
      expect(n.work_items_sprints).toBeGreaterThan(0);
      expect(n.work_items_prs_links).toBe(world.jira.devStatus.reduce((a, d) => a + ((d.body.detail as { pullRequests: unknown[] }[])[0]?.pullRequests.length ?? 0), 0));
      const lineage = (await j.pool.query<{ raw_id: string }>("SELECT DISTINCT raw_id FROM work_items ORDER BY raw_id")).rows.map((r) => Number(r.raw_id));
      expect(lineage).toEqual(units.filter((u) => u.output.tables.work_items).map((u) => u.rawId));
    });

    it('fills sprint outcomes from the reports', async () => {
      const { rows } = await j.pool.query<{ sprint_outcome: string | null; expected: string | null }>(
        `SELECT w.sprint_outcome, s.report_issues -> w.work_item_external_id ->> 'outcome' AS expected
           FROM work_items_sprints w JOIN sprints s ON s.external_id = w.sprint_external_id AND s.integration_id = w.integration_id`,
      );
      expect(rows.filter((r) => r.expected !== null).length).toBeGreaterThan(0);
      expect(rows.filter((r) => r.sprint_outcome !== r.expected)).toEqual([]);
    });

    it('is idempotent: loading every unit again inserts, updates and deletes nothing, and rewrites no row', async () => {
      const before = await counts();
      const rowVersions = await versions();
      for (const u of units) {
        const summary = await j.load(u.output, u.rawId);
        for (const result of Object.values(summary.upserted)) expect(result).toMatchObject({ inserted: 0, updated: 0 });
        expect(summary.deleted).toEqual({});
        expect(summary.staleSets).toBe(0);
      }
      expect(await counts()).toEqual(before);
      expect(await versions()).toEqual(rowVersions);
    });
  });

  it('gives the same rows whichever order an older and a newer unit load in, and the newer one wins', async () => {
    const inOrder = await j.addIntegration('in order');
    const outOfOrder = await j.addIntegration('out of order');
    const m = await j.mappings();
    const older = { issue: j.transform('issues', olderIssue, 'ENG', m), dev: j.transform('dev_status', olderDev, '10001:ENG-1', m) };
    const newer = { issue: j.transform('issues', newerIssue, 'ENG', m), dev: j.transform('dev_status', newerDev, '10001:ENG-1', m) };

    await j.load(older.issue, 200, inOrder);
    await j.load(older.dev, 201, inOrder);
    await j.load(newer.issue, 300, inOrder);
    await j.load(newer.dev, 301, inOrder);

    await j.load(newer.issue, 300, outOfOrder);
    await j.load(newer.dev, 301, outOfOrder);
    const late = await j.load(older.issue, 200, outOfOrder);
    const lateDev = await j.load(older.dev, 201, outOfOrder);
    expect(late).toMatchObject({ staleSets: 2, deleted: {} });
    expect(late.upserted.work_items).toMatchObject({ inserted: 0, updated: 0 });
    expect(lateDev).toMatchObject({ staleSets: 1, deleted: {}, upserted: {} });

    for (const [table, order] of [['work_items', 'external_id'], ['changelogs', 'history_id'], ['work_items_sprints', 'sprint_external_id'], ['work_items_prs_links', 'pr_number']] as const) {
      expect(await byIntegration(outOfOrder, table, order)).toEqual(await byIntegration(inOrder, table, order));
    }
    const items = await byIntegration(outOfOrder, 'work_items', 'external_id');
    expect(items).toMatchObject([{ key: 'ENG-1', status_name: 'Done', workflow_step: 'Done', raw_id: '300' }]);
    const changelog = await byIntegration(outOfOrder, 'changelogs', 'transition_end');
    expect(changelog.map((c) => [c.to_status_name, c.raw_id])).toEqual([['Selected for Development', '300'], ['In Progress', '300'], ['Done', '300']]);
    const sprints = await byIntegration(outOfOrder, 'work_items_sprints', 'sprint_external_id');
    expect(sprints.map((s) => [s.sprint_external_id, s.in_sprint, s.removed_at !== null])).toEqual([['5', false, true], ['6', true, false]]);
    expect((await byIntegration(outOfOrder, 'work_items_prs_links', 'pr_number')).map((l) => l.pr_number)).toEqual([2]);
  });

  it('ends with the newer unit\'s rows when two units of one issue load concurrently, in either order', async () => {
    const m = await j.mappings();
    const older = j.transform('issues', olderIssue, 'ENG', m);
    const newer = j.transform('issues', newerIssue, 'ENG', m);
    for (const newerFirst of [true, false]) {
      const target = await j.addIntegration(`same issue concurrently ${newerFirst ? 'newer' : 'older'} first`);
      const lineage = (rawId: number) => ({ rawId, tenantId: target.tenantId, integrationId: target.id });
      const [a, b] = await Promise.all([j.pool.connect(), j.pool.connect()]);
      try {
        for (const c of [a, b]) {
          await c.query('BEGIN');
          await c.query('SET LOCAL ROLE sluice_tenant');
          await c.query("SELECT set_config('sluice.tenant_id', $1, true)", [String(target.tenantId)]);
        }
        await loadJira(a, newerFirst ? newer : older, lineage(newerFirst ? 300 : 200));
        const second = loadJira(b, newerFirst ? older : newer, lineage(newerFirst ? 200 : 300));
        await new Promise((r) => setTimeout(r, 200));
        await a.query('COMMIT');
        await second;
        await b.query('COMMIT');
      } finally {
        a.release();
        b.release();
      }
      expect((await byIntegration(target, 'changelogs', 'transition_end')).map((c) => [c.to_status_name, c.raw_id])).toEqual([['Selected for Development', '300'], ['In Progress', '300'], ['Done', '300']]);
      expect((await byIntegration(target, 'work_items_sprints', 'sprint_external_id')).map((s) => [s.sprint_external_id, s.in_sprint, s.raw_id])).toEqual([['5', false, '300'], ['6', true, '300']]);
      expect(await byIntegration(target, 'work_items', 'external_id')).toMatchObject([{ status_name: 'Done', raw_id: '300' }]);
    }
  });

  it('re-applies changed mappings at the same raw id, replacing the sets they change', async () => {
    const target = await j.addIntegration('remapped');
    await j.load(j.transform('issues', newerIssue, 'ENG', await j.mappings()), 500, target);
    expect(await byIntegration(target, 'work_items', 'external_id')).toMatchObject([{ wit_to: 'Story', workflow_step: 'Done', custom_field_01: null }]);
    expect(await byIntegration(target, 'work_items_sprints', 'sprint_external_id')).toHaveLength(2);

    await j.pool.query("UPDATE wits_mappings SET wit_to = 'Feature Story' WHERE integration_id = $1 AND wit_from = 'Story'", [target.id]);
    await j.pool.query(
      `UPDATE statuses_mappings SET workflow_id = (SELECT id FROM workflows WHERE integration_id = $1 AND step_name = 'Ready for Prod'), status_category = 'Waiting'
        WHERE integration_id = $1 AND status_from = 'Done'`,
      [target.id],
    );
    // Sprints now come from another field (the issue has none there) and slot 1 shows the priority.
    await j.pool.query("UPDATE custom_fields_mappings SET sprints_field = 'customfield_99999', custom_field_01 = 'priority' WHERE integration_id = $1", [target.id]);
    const remapped = await j.mappings(target);
    const summary = await j.load(j.transform('issues', newerIssue, 'ENG', remapped), 500, target);
    expect(summary.upserted.work_items).toMatchObject({ updated: 1 });
    expect(summary.deleted).toEqual({ work_items_sprints: 2 });
    expect(await byIntegration(target, 'work_items', 'external_id')).toMatchObject([
      { wit_to: 'Feature Story', workflow_step: 'Ready for Prod', workflow_category: 'Waiting', custom_field_01: 'Medium', cycle_time_seconds: null, raw_id: '500' },
    ]);
    expect(await byIntegration(target, 'work_items_sprints', 'sprint_external_id')).toEqual([]);
    expect((await byIntegration(target, 'changelogs', 'transition_end')).map((c) => c.to_step)).toEqual(['To Do', 'In Progress', 'Ready for Prod']);
  });

  describe('sprint outcomes', () => {
    const outcome = async (integration: IntegrationInfo) =>
      (await byIntegration(integration, 'work_items_sprints', 'sprint_external_id')).map((r) => [r.sprint_external_id, r.sprint_outcome, r.added_during_sprint, r.committed, r.estimate_at_start, r.estimate_at_end]);
    const expected = [
      ['5', null, null, null, null, null],
      ['6', 'completed', true, false, 3, 5],
    ];

    it('are filled whether the sprint or the issue loads first', async () => {
      const sprintFirst = await j.addIntegration('sprint first');
      const issueFirst = await j.addIntegration('issue first');
      const m = await j.mappings();
      const issueUnit = j.transform('issues', newerIssue, 'ENG', m);
      const sprintUnit = j.transform('sprints', sprint6, '6', m);
      await j.load(sprintUnit, 700, sprintFirst);
      await j.load(issueUnit, 600, sprintFirst);
      await j.load(issueUnit, 600, issueFirst);
      await j.load(sprintUnit, 700, issueFirst);
      expect(await outcome(sprintFirst)).toEqual(expected);
      expect(await outcome(issueFirst)).toEqual(expected);
    });

    it('are filled when the two loads run concurrently, in either commit order', async () => {
      const m = await j.mappings();
      const issueUnit = j.transform('issues', newerIssue, 'ENG', m);
      const sprintUnit = j.transform('sprints', sprint6, '6', m);
      const begin = async (integration: IntegrationInfo): Promise<pg.PoolClient> => {
        const c = await j.pool.connect();
        await c.query('BEGIN');
        await c.query('SET LOCAL ROLE sluice_tenant');
        await c.query("SELECT set_config('sluice.tenant_id', $1, true)", [String(integration.tenantId)]);
        return c;
      };
      for (const [first, second] of [[issueUnit, sprintUnit], [sprintUnit, issueUnit]] as const) {
        const target = await j.addIntegration(`concurrent ${first === issueUnit ? 'issue' : 'sprint'} first`);
        const lineage = (rawId: number) => ({ rawId, tenantId: target.tenantId, integrationId: target.id });
        const a = await begin(target);
        const b = await begin(target);
        try {
          await loadJira(a, first, lineage(first === issueUnit ? 800 : 900));
          let secondDone = false;
          const pending = loadJira(b, second, lineage(second === issueUnit ? 800 : 900)).then(() => (secondDone = true));
          await new Promise((r) => setTimeout(r, 300));
          expect(secondDone).toBe(false); // waiting for the first unit's sprint lock
          await a.query('COMMIT');
          await pending;
          await b.query('COMMIT');
        } finally {
          a.release();
          b.release();
        }
        expect(await outcome(target)).toEqual(expected);
      }
    });
  });

  it('replaces only its own dev-status links, never the GitHub side\'s', async () => {
    const target = await j.addIntegration('links');
    const github = Number((await j.pool.query<{ id: string }>("INSERT INTO integrations (tenant_id, provider, name, base_url) VALUES ($1, 'github', 'gh', 'https://api.github.com') RETURNING id", [target.tenantId])).rows[0]!.id);
    await j.pool.query("INSERT INTO work_items_prs_links (tenant_id, integration_id, source, work_item_key, repo_full_name, pr_number, raw_id) VALUES ($1, $2, 'pr_title', 'ENG-1', 'acme/api', 1, 1)", [target.tenantId, github]);
    await j.load(j.transform('dev_status', olderDev, '10001:ENG-1'), 1000, target);
    const none = await j.load(j.transform('dev_status', { errors: [], detail: [] }, '10001:ENG-1'), 1001, target);
    expect(none.deleted).toEqual({ work_items_prs_links: 2 });
    const left = (await j.pool.query("SELECT source, integration_id FROM work_items_prs_links WHERE work_item_key = 'ENG-1' AND (integration_id = $1 OR integration_id = $2)", [target.id, github])).rows;
    expect(left).toEqual([{ source: 'pr_title', integration_id: String(github) }]);
  });

  it('keeps tenants apart: another tenant sees none of these rows', async () => {
    const other = (await j.pool.query<{ id: number }>("INSERT INTO tenants (name) VALUES ('Globex') RETURNING id")).rows[0]!.id;
    const seen = await withTenant(j.pool, other, async (c) => {
      const n = await Promise.all(UNIFIED.map(async (t) => (await c.query(`SELECT count(*)::int AS n FROM ${t}`)).rows[0].n as number));
      return n.reduce((a, b) => a + b, 0);
    });
    expect(seen).toBe(0);
    expect((await j.pool.query('SELECT count(*)::int AS n FROM work_items')).rows[0].n).toBeGreaterThan(0);
  });
});
