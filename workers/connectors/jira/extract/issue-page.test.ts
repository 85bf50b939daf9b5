import { describe, expect, it } from 'vitest';

import { issuePageChildren, issuePageWatermark, jiraTimeMs, SearchPage, showsDevelopment, sprintIdsOf, truncatedChangelogIds } from './issue-page';

const page = SearchPage.parse({
  schema: {
    customfield_10000: { type: 'any', custom: 'com.atlassian.jira.plugins.jira-development-integration-plugin:devsummarycf' },
    customfield_10020: { type: 'array', custom: 'com.pyxis.greenhopper.jira:gh-sprint' },
    summary: { type: 'string', system: 'summary' },
  },
  issues: [
    { id: '101', key: 'ENG-1', fields: { updated: '2026-01-02T10:00:00.000+0100', customfield_10000: '{pullrequest={dataType=pullrequest, state=MERGED, stateCount=1}}', customfield_10020: [{ id: 7 }, { id: 3 }] }, changelog: { total: 30, histories: new Array(20).fill({}) } },
    { id: '102', key: 'ENG-2', fields: { updated: '2026-01-02T09:30:00.000Z', customfield_10000: '{}', customfield_10020: [{ id: 7 }] }, changelog: { total: 2, histories: [{}, {}] } },
    { id: '103', key: 'ENG-3', fields: { updated: 'not a date', customfield_10000: null, customfield_10020: null } },
  ],
});

describe('issue search pages', () => {
  it('names a dev-status partition per issue that shows development, and each sprint once, sorted', () => {
    expect(issuePageChildren(page)).toEqual([
      { stream: 'dev_status', partition: '101:ENG-1' },
      { stream: 'sprints', partition: '3' },
      { stream: 'sprints', partition: '7' },
    ]);
  });

  it('finds the issues whose embedded changelog Jira truncated', () => {
    expect(truncatedChangelogIds(page)).toEqual(['101']);
  });

  it('takes the latest updated as the watermark, reading Jira offsets without a colon', () => {
    // 10:00+01:00 is 09:00Z, earlier than ENG-2's 09:30Z.
    expect(issuePageWatermark(page)).toBe('2026-01-02T09:30:00.000Z');
    expect(jiraTimeMs('2026-01-02T10:00:00.000+0100')).toBe(Date.parse('2026-01-02T09:00:00.000Z'));
    expect(issuePageWatermark(SearchPage.parse({ issues: [] }))).toBeNull();
  });

  it('reads the development field and sprint values in their usual shapes', () => {
    expect(showsDevelopment('{}')).toBe(false);
    expect(showsDevelopment(' ')).toBe(false);
    expect(showsDevelopment({ pullrequest: { stateCount: 1 } })).toBe(true);
    expect(sprintIdsOf(['com.atlassian.greenhopper.service.sprint.Sprint@1a2b[id=12,rapidViewId=3,state=CLOSED]', { id: 4 }, 'junk'])).toEqual([12, 4]);
    // Without the schema nothing is guessed.
    expect(issuePageChildren(SearchPage.parse({ issues: page.issues }))).toEqual([]);
  });
});
