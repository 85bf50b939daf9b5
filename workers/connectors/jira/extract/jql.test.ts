import { describe, expect, it } from 'vitest';

import { issueJql, jqlDate } from './jql';

describe('issue JQL', () => {
  it('is bounded by the project and ordered by updated, ascending', () => {
    expect(issueJql({ projectKey: 'ENG', baseJql: null, watermark: null, overlapMinutes: 5 })).toBe('project = "ENG" ORDER BY updated ASC');
  });

  it('adds the base JQL in parentheses and the watermark minus the overlap, in UTC to the minute', () => {
    const jql = issueJql({ projectKey: 'ENG', baseJql: ' issuetype != Epic OR labels = x ', watermark: '2026-03-01T10:07:59.999+01:00', overlapMinutes: 5 });
    expect(jql).toBe('project = "ENG" AND (issuetype != Epic OR labels = x) AND updated >= "2026-03-01 09:02" ORDER BY updated ASC');
  });

  it('quotes keys and rejects a watermark that is not a date', () => {
    expect(issueJql({ projectKey: 'A"B', baseJql: '', watermark: null, overlapMinutes: 0 })).toBe('project = "A\\"B" ORDER BY updated ASC');
    expect(() => jqlDate('yesterday')).toThrow(/Not a date/);
  });
});
