import { describe, expect, it } from 'vitest';

import { PermanentError } from '../../../queue/errors';
import { Issue } from '../payloads';
import { statusHistory, wholeHistory } from './changelog';
import { indexMappings } from './mapping-index';
import { issue, MAPPINGS, STATUS, statusChange } from './testing';

const parse = (raw: unknown) => Issue.parse(raw);
const index = indexMappings(MAPPINGS);

describe('whole history', () => {
  it('orders the embedded changelog (newest first) oldest first, ties by history id', () => {
    const a = statusChange('2024-01-02T10:00:00.000+0000', STATUS.backlog, STATUS.inProgress);
    const b = statusChange('2024-01-02T10:00:00.000+0000', STATUS.inProgress, STATUS.review);
    const c = statusChange('2024-01-01T12:00:00.000+0000', STATUS.backlog, STATUS.backlog);
    const list = wholeHistory(parse(issue({ histories: [c, a, b] })), undefined);
    expect(list.map((h) => h.history.id)).toEqual([c.id, a.id, b.id]);
  });

  it('uses the changelog pages instead of a truncated embedded changelog, each history once', () => {
    const h = [1, 2, 3].map((d) => statusChange(`2024-01-0${d}T10:00:00.000+0000`, STATUS.backlog, STATUS.inProgress));
    const truncated = parse(issue({ histories: [h[2]!], total: 3 }));
    const pages = [
      { startAt: 0, total: 3, isLast: false, values: [h[0], h[1]] },
      { startAt: 1, total: 3, isLast: true, values: [h[1], h[2]] },
    ] as never;
    expect(wholeHistory(truncated, pages).map((x) => x.history.id)).toEqual(h.map((x) => x.id));
  });

  it('refuses a truncated changelog without pages, incomplete pages, and a missing changelog', () => {
    const h = statusChange('2024-01-02T10:00:00.000+0000', STATUS.backlog, STATUS.inProgress);
    const truncated = parse(issue({ histories: [h], total: 40 }));
    expect(() => wholeHistory(truncated, undefined)).toThrow(PermanentError);
    expect(() => wholeHistory(truncated, undefined)).toThrow(/embeds 1 of its 40 changelog histories/);
    expect(() => wholeHistory(truncated, [{ total: 40, values: [h] }] as never)).toThrow(/hold 1 of its 40 histories/);
    const { changelog: _c, ...noChangelog } = issue();
    expect(() => wholeHistory(parse(noChangelog), undefined)).toThrow(/expand=changelog/);
  });
});

describe('status history', () => {
  it('makes one row per status transition with the time spent in the status it left, reading offsets correctly', () => {
    const raw = issue({
      created: '2024-01-01T10:00:00.000+0100', // 09:00Z
      status: STATUS.done,
      histories: [
        statusChange('2024-01-01T12:00:00.000+0200', STATUS.backlog, STATUS.inProgress), // 10:00Z
        { id: '900', created: '2024-01-01T11:00:00.000+0000', author: null, items: [{ field: 'labels', fieldtype: 'jira', fieldId: 'labels', from: null, fromString: '', to: null, toString: 'x' }] },
        statusChange('2024-01-01T08:00:00.000-0500', STATUS.inProgress, STATUS.done), // 13:00Z
      ],
    });
    const i = parse(raw);
    const { rows, flow } = statusHistory(i, wholeHistory(i, undefined), index);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      work_item_external_id: '10001',
      work_item_key: 'ENG-1',
      item_index: 0,
      from_status_external_id: STATUS.backlog.id,
      to_status_external_id: STATUS.inProgress.id,
      from_step: 'Backlog',
      to_step: 'In Progress',
      from_category: 'To Do',
      to_category: 'In Progress',
      transition_start: '2024-01-01T09:00:00.000Z',
      transition_end: '2024-01-01T10:00:00.000Z',
      time_in_status_seconds: 3600,
      changed_by: 'Mia Krystof',
      changed_by_account_id: 'acc-Mia Krystof',
    });
    expect(rows[1]).toMatchObject({ transition_start: '2024-01-01T10:00:00.000Z', transition_end: '2024-01-01T13:00:00.000Z', time_in_status_seconds: 3 * 3600, to_step: 'Done' });
    expect(flow.initial.step).toBe('Backlog');
    expect(flow.transitions.map((t) => t.to.step)).toEqual(['In Progress', 'Done']);
  });

  it('ignores a custom field named "status" and reads old entries without a fieldId', () => {
    const raw = issue({
      status: STATUS.inProgress,
      histories: [
        { id: '1', created: '2024-01-02T10:00:00.000+0000', items: [{ field: 'status', fieldtype: 'custom', fieldId: 'customfield_1', from: 'a', to: 'b' }] },
        { id: '2', created: '2024-01-03T10:00:00.000+0000', items: [{ field: 'status', from: STATUS.backlog.id, fromString: 'Backlog', to: STATUS.inProgress.id, toString: 'In Progress' }] },
      ],
    });
    const i = parse(raw);
    const { rows } = statusHistory(i, wholeHistory(i, undefined), index);
    expect(rows.map((r) => r.history_id)).toEqual(['2']);
  });

  it('starts an issue without transitions in its current status', () => {
    const i = parse(issue({ status: STATUS.review }));
    const { rows, flow } = statusHistory(i, wholeHistory(i, undefined), index);
    expect(rows).toEqual([]);
    expect(flow.initial).toMatchObject({ statusName: 'In Review', step: 'In Progress', mapped: true });
  });
});
