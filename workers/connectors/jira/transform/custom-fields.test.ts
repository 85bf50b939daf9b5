import { describe, expect, it } from 'vitest';

import { customFieldValues, planFields } from './custom-fields';
import { EMPTY_MAPPINGS } from './mappings-schema';

const schema = {
  customfield_10016: { type: 'number', custom: 'com.pyxis.greenhopper.jira:jsw-story-points', customId: 10016 },
  customfield_10026: { type: 'number', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:float', customId: 10026 },
  customfield_10001: { type: 'team', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:atlassian-team', customId: 10001 },
  customfield_10020: { type: 'array', items: 'json', custom: 'com.pyxis.greenhopper.jira:gh-sprint', customId: 10020 },
  customfield_10000: { type: 'any', custom: 'com.atlassian.jira.plugins.jira-development-integration-plugin:devsummarycf', customId: 10000 },
  customfield_10014: { type: 'any', custom: 'com.pyxis.greenhopper.jira:gh-epic-link', customId: 10014 },
  customfield_10030: { type: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select', customId: 10030 },
  summary: { type: 'string', system: 'summary' },
};
const names = { customfield_10016: 'Story point estimate', customfield_10026: 'Story Points', customfield_10030: 'Sévérité' };

describe('custom field plan', () => {
  it('recognises the special fields from the search schema when the mappings leave them unmapped', () => {
    const plan = planFields(EMPTY_MAPPINGS.customFields, schema, names);
    expect(plan).toMatchObject({
      team: ['customfield_10001'],
      sprints: ['customfield_10020'],
      development: ['customfield_10000'],
      storyPoints: ['customfield_10016', 'customfield_10026'],
      epicLink: ['customfield_10014'],
    });
  });

  it('uses the mapped field ids and ignores the schema for mapped special fields', () => {
    const mapping = { ...EMPTY_MAPPINGS.customFields, storyPoints: 'customfield_10026', team: 'customfield_99999' };
    const plan = planFields(mapping, schema, names);
    expect(plan.storyPoints).toEqual(['customfield_10026']);
    expect(plan.team).toEqual(['customfield_99999']);
    expect(plan.sprints).toEqual(['customfield_10020']);
  });

  it('finds nothing without a schema or mappings', () => {
    expect(planFields(EMPTY_MAPPINGS.customFields)).toMatchObject({ team: [], sprints: [], development: [], storyPoints: [] });
  });
});

describe('custom field values', () => {
  const slots = [...EMPTY_MAPPINGS.customFields.slots];
  slots[0] = 'customfield_10030';
  slots[19] = 'customfield_10026';
  const plan = planFields({ ...EMPTY_MAPPINGS.customFields, slots }, schema, names);

  it('normalises the special fields and fills the mapped slots', () => {
    const values = customFieldValues(
      { customfield_10016: null, customfield_10026: 3, customfield_10001: { id: 't', name: 'Platform' }, customfield_10000: '{pullrequest={state=OPEN}}', customfield_10030: { value: 'Critique', id: '1' } },
      plan,
    );
    expect(values).toMatchObject({ team: 'Platform', story_points: 3, development: true });
    expect(values.slots.custom_field_01).toBe('Critique');
    expect(values.slots.custom_field_20).toBe('3');
    expect(values.slots.custom_field_02).toBeNull();
    expect(Object.keys(values.slots)).toHaveLength(20);
  });

  it('never reads inherited properties for a mapped field id', () => {
    const odd = [...EMPTY_MAPPINGS.customFields.slots];
    odd[0] = 'toString';
    const values = customFieldValues({}, planFields({ ...EMPTY_MAPPINGS.customFields, slots: odd, team: 'constructor' }));
    expect(values).toMatchObject({ team: null });
    expect(values.slots.custom_field_01).toBeNull();
  });

  it('takes story points from the first candidate that has a value', () => {
    expect(customFieldValues({ customfield_10016: 5, customfield_10026: 8 }, plan).story_points).toBe(5);
    expect(customFieldValues({}, plan)).toMatchObject({ story_points: null, team: null, development: false });
  });
});
