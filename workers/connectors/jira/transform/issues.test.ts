import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { PermanentError } from '../../../queue/errors';
import { transformIssues } from './issues';
import { EMPTY_MAPPINGS } from './mappings-schema';
import { JIRA_ROWS } from './rows';
import { fieldChange, issue, MAPPINGS, searchPage, STATUS, statusChange } from './testing';

const schema = {
  customfield_10016: { type: 'number', custom: 'com.pyxis.greenhopper.jira:jsw-story-points', customId: 10016 },
  customfield_10001: { type: 'team', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:atlassian-team', customId: 10001 },
  customfield_10020: { type: 'array', items: 'json', custom: 'com.pyxis.greenhopper.jira:gh-sprint', customId: 10020 },
  customfield_10000: { type: 'any', custom: 'com.atlassian.jira.plugins.jira-development-integration-plugin:devsummarycf', customId: 10000 },
  customfield_10014: { type: 'any', custom: 'com.pyxis.greenhopper.jira:gh-epic-link', customId: 10014 },
  customfield_10031: { type: 'array', items: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:multiselect', customId: 10031 },
};

const story = issue({
  id: '10001',
  key: 'ENG-1',
  status: STATUS.done,
  created: '2024-01-01T10:00:00.000+0100',
  histories: [
    statusChange('2024-01-02T10:00:00.000+0100', STATUS.backlog, STATUS.selected),
    statusChange('2024-01-03T10:00:00.000+0100', STATUS.selected, STATUS.inProgress),
    statusChange('2024-01-04T10:00:00.000+0100', STATUS.inProgress, STATUS.done),
    fieldChange('2024-01-02T11:00:00.000+0100', { field: 'Sprint', fieldtype: 'custom', fieldId: 'customfield_10020', from: '', fromString: null, to: '5', toString: 'ENG Sprint 5' }),
  ],
  fields: {
    customfield_10016: 5,
    customfield_10001: { id: 'team-1', name: 'Platform', title: 'Platform' },
    customfield_10020: [{ id: 5, name: 'ENG Sprint 5', state: 'closed', boardId: 1 }],
    customfield_10000: '{pullrequest={dataType=pullrequest, state=MERGED, stateCount=1}}',
    customfield_10014: 'ENG-100',
    customfield_10031: [{ value: 'Production' }, { value: 'QA' }],
    resolution: { name: 'Done' },
    resolutiondate: '2024-01-04T10:00:00.000+0100',
  },
});
const bug = issue({
  id: '10002',
  key: 'ENG-2',
  status: STATUS.odd,
  histories: [statusChange('2024-01-05T00:00:00.000+0000', STATUS.backlog, STATUS.odd)],
  fields: { issuetype: { id: '10003', name: 'Bug', hierarchyLevel: 0, subtask: false }, description: 'plain v2 text', customfield_10000: '{}' },
});

const slots = [...MAPPINGS.customFields.slots];
slots[2] = 'customfield_10031';
const mappings = { ...MAPPINGS, customFields: { ...MAPPINGS.customFields, slots } };
const run = (payload: unknown, m = mappings) => transformIssues(payload, m);

describe('issues transform', () => {
  const out = run(searchPage([story, bug], { schema, names: { customfield_10016: 'Story point estimate' } }));
  const [s, b] = out.work_items;

  it('emits rows every table schema accepts, as plain JSON', () => {
    for (const [table, rows] of Object.entries(out)) z.array(JIRA_ROWS[table as keyof typeof JIRA_ROWS]).parse(rows);
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
  });

  it('maps the type and the status case-insensitively, with level, step and category', () => {
    expect(s).toMatchObject({ wit_name: 'Story', wit_to: 'Story', hierarchy_level: 0, wit_mapped: true, status_name: 'Done', workflow_step: 'Done', workflow_step_number: 11, workflow_category: 'Done', status_mapped: true });
  });

  it('keeps and flags an unmapped type and status, with Jira level and category as fallbacks', () => {
    expect(b).toMatchObject({ wit_name: 'Bug', wit_to: null, hierarchy_level: 0, wit_mapped: false, status_name: 'Parked Somewhere', workflow_step: null, workflow_category: 'In Progress', status_mapped: false, unmapped_statuses: ['Parked Somewhere'] });
    expect(b?.first_started_at).toBe('2024-01-05T00:00:00.000Z');
  });

  it('carries the issue fields, description as plain text, dates in UTC', () => {
    expect(s).toMatchObject({
      external_id: '10001',
      key: 'ENG-1',
      project_external_id: '10000',
      project_key: 'ENG',
      summary: 'Fix the thing',
      description: 'It is broken.',
      priority: 'Medium',
      assignee: 'Ana Lima',
      assignee_account_id: 'acc-1',
      reporter: 'Bo Chen',
      labels: ['backend'],
      components: ['API'],
      parent_key: 'ENG-100',
      resolution: 'Done',
      created: '2024-01-01T09:00:00.000Z',
      updated: '2024-01-10T09:00:00.000Z',
      resolution_date: '2024-01-04T09:00:00.000Z',
    });
    expect(b?.description).toBe('plain v2 text');
  });

  it('fills special fields recognised from the schema and the mapped slots', () => {
    expect(s).toMatchObject({ story_points: 5, team: 'Platform', development: true, custom_field_03: 'Production, QA', custom_field_01: null });
    expect(b).toMatchObject({ development: false, story_points: null, team: null });
  });

  it('computes the flow metrics from the whole changelog', () => {
    expect(s).toMatchObject({ first_committed_at: '2024-01-02T09:00:00.000Z', first_started_at: '2024-01-03T09:00:00.000Z', last_completed_at: '2024-01-04T09:00:00.000Z', cycle_time_seconds: 86_400, lead_time_seconds: 2 * 86_400, work_starts: 1, completions: 1 });
    expect(s?.time_in_steps).toEqual({ Backlog: 86_400, 'To Do': 86_400, 'In Progress': 86_400 });
  });

  it('emits the status changelog and sprint associations, each replacing the issue\'s previous set', () => {
    expect(out.changelogs.filter((c) => c.work_item_external_id === '10001').map((c) => c.to_step)).toEqual(['To Do', 'In Progress', 'Done']);
    expect(out.work_items_sprints).toEqual([expect.objectContaining({ work_item_external_id: '10001', sprint_external_id: '5', added_at: '2024-01-02T10:00:00.000Z', in_sprint: true })]);
    expect(out.replaced_sets).toEqual([
      { table: 'changelogs', value: '10001' },
      { table: 'work_items_sprints', value: '10001' },
      { table: 'changelogs', value: '10002' },
      { table: 'work_items_sprints', value: '10002' },
    ]);
  });

  it('is pure: the same page and mappings give the same rows', () => {
    const page = searchPage([story, bug], { schema });
    expect(run(page)).toEqual(run(structuredClone(page)));
  });

  it('applies changed mappings to the same payload', () => {
    const unmapped = run(searchPage([story], { schema }), EMPTY_MAPPINGS).work_items[0];
    expect(unmapped).toMatchObject({ wit_mapped: false, status_mapped: false, workflow_step: null, workflow_category: 'Done', custom_field_03: null });
  });

  it('uses the changelog pages for an issue whose embedded changelog was truncated', () => {
    const h = statusChange('2024-02-01T00:00:00.000+0000', STATUS.backlog, STATUS.inProgress);
    const truncated = issue({ id: '10009', key: 'ENG-9', status: STATUS.inProgress, histories: [h], total: 2 });
    const older = statusChange('2024-01-15T00:00:00.000+0000', STATUS.inProgress, STATUS.backlog);
    const page = { ...searchPage([truncated]), changelogs: { '10009': [{ startAt: 0, total: 2, isLast: true, values: [older, h] }] } };
    const rows = run(page);
    expect(rows.changelogs.map((c) => c.history_id)).toEqual([older.id, h.id]);
    expect(rows.work_items[0]).toMatchObject({ backlog_returns: 1, work_starts: 2 });
  });

  it('fails the unit with a PermanentError naming the broken issue and field', () => {
    const poisoned = issue({ id: '10003', key: 'ENG-3' });
    (poisoned.fields as Record<string, unknown>).updated = '31/02/2025 25:61';
    (poisoned.fields as Record<string, unknown>).issuetype = 'BROKEN';
    const call = () => run(searchPage([story, poisoned]));
    expect(call).toThrow(PermanentError);
    expect(call).toThrow(/issue ENG-3/);
    expect(call).toThrow(/fields\.issuetype/);
    expect(() => run({ issues: [] })).toThrow(/search: /);
  });
});
