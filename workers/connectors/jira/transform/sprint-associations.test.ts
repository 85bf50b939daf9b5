import { describe, expect, it } from 'vitest';

import { Issue } from '../payloads';
import { wholeHistory } from './changelog';
import { planFields } from './custom-fields';
import { EMPTY_MAPPINGS } from './mappings-schema';
import { sprintAssociations } from './sprint-associations';
import { fieldChange, issue } from './testing';

const SPRINT_FIELD = 'customfield_10020';
const plan = planFields(EMPTY_MAPPINGS.customFields, { [SPRINT_FIELD]: { type: 'array', items: 'json', custom: 'com.pyxis.greenhopper.jira:gh-sprint' } });
const sprintItem = (from: string, to: string, fromString: string | null, toString: string) => ({ field: 'Sprint', fieldtype: 'custom', fieldId: SPRINT_FIELD, from, fromString, to, toString });
const sprintValue = (id: number, name: string) => ({ id, name, state: 'closed', boardId: 1 });

const associations = (raw: unknown) => {
  const i = Issue.parse(raw);
  return sprintAssociations(i, wholeHistory(i, undefined), plan);
};

describe('sprint associations', () => {
  it('dates each sprint from the sprint field history and links carry-overs in field order', () => {
    const rows = associations(
      issue({
        fields: { [SPRINT_FIELD]: [sprintValue(1, 'ENG Sprint 1'), sprintValue(2, 'ENG Sprint 2')] },
        histories: [
          fieldChange('2024-01-02T10:00:00.000+0100', sprintItem('', '1', null, 'ENG Sprint 1')),
          fieldChange('2024-01-16T10:00:00.000+0100', sprintItem('1', '1, 2', 'ENG Sprint 1', 'ENG Sprint 1, ENG Sprint 2')),
        ],
      }),
    );
    expect(rows).toEqual([
      { work_item_external_id: '10001', work_item_key: 'ENG-1', sprint_external_id: '1', sprint_name: 'ENG Sprint 1', added_at: '2024-01-02T09:00:00.000Z', removed_at: null, in_sprint: true, carried_over_from_sprint_id: null, carried_over_to_sprint_id: '2' },
      { work_item_external_id: '10001', work_item_key: 'ENG-1', sprint_external_id: '2', sprint_name: 'ENG Sprint 2', added_at: '2024-01-16T09:00:00.000Z', removed_at: null, in_sprint: true, carried_over_from_sprint_id: '1', carried_over_to_sprint_id: null },
    ]);
  });

  it('keeps a sprint the issue left, with when it left, and the last addition after a re-add', () => {
    const rows = associations(
      issue({
        fields: { [SPRINT_FIELD]: [sprintValue(4, 'S4')] },
        histories: [
          fieldChange('2024-01-02T00:00:00.000+0000', sprintItem('', '3', null, 'S3')),
          fieldChange('2024-01-03T00:00:00.000+0000', sprintItem('3', '', 'S3', '')),
          fieldChange('2024-01-04T00:00:00.000+0000', sprintItem('', '4', null, 'S4')),
          fieldChange('2024-01-05T00:00:00.000+0000', sprintItem('4', '', 'S4', '')),
          fieldChange('2024-01-06T00:00:00.000+0000', sprintItem('', '4', null, 'S4')),
        ],
      }),
    );
    expect(rows.map((r) => [r.sprint_external_id, r.sprint_name, r.added_at, r.removed_at, r.in_sprint])).toEqual([
      ['4', 'S4', '2024-01-06T00:00:00.000Z', null, true],
      ['3', 'S3', '2024-01-02T00:00:00.000Z', '2024-01-03T00:00:00.000Z', false],
    ]);
  });

  it('dates a sprint the issue was created in from its creation, and reads legacy sprint strings', () => {
    const legacy = 'com.atlassian.greenhopper.service.sprint.Sprint@1a2b[id=7,rapidViewId=1,state=ACTIVE,name=Legacy 7,startDate=2024-01-01T00:00:00.000Z]';
    const rows = associations(issue({ created: '2024-01-01T08:00:00.000+0000', fields: { [SPRINT_FIELD]: [legacy] } }));
    expect(rows).toMatchObject([{ sprint_external_id: '7', sprint_name: 'Legacy 7', added_at: '2024-01-01T08:00:00.000Z', in_sprint: true }]);
  });

  it('has no rows for an issue that was never in a sprint', () => {
    expect(associations(issue({ fields: { [SPRINT_FIELD]: null } }))).toEqual([]);
  });
});
