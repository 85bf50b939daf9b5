import { describe, expect, it } from 'vitest';

import { fieldsState } from './fixtures';
import { fieldFormSchema, fieldFormValues, fieldLabel, placesOf, resolveField } from './field-model';

const { fields } = fieldsState();
const issues = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) => r.error?.issues.map((i) => [i.path.join('.'), i.message]) ?? [];

describe('custom-field form model', () => {
  it('resolves what a picker holds: an id, a unique name (any case), or nothing', () => {
    expect(resolveField('customfield_10033', fields)).toBe('customfield_10033');
    expect(resolveField(' customer ', fields)).toBe('customfield_10033');
    expect(resolveField('', fields)).toBeNull();
    expect(resolveField(null, fields)).toBeNull();
    expect(resolveField('Unknown', fields)).toBe('Unknown');
  });

  it('accepts discovered fields and custom field ids not discovered yet, and names anything else at its slot', () => {
    const base = fieldFormValues(fieldsState());
    const schema = fieldFormSchema(fields);
    expect(schema.safeParse({ ...base, team: 'customfield_99999' }).success).toBe(true);
    const slots = [...base.slots];
    slots[4] = 'Custmer';
    expect(issues(schema.safeParse({ ...base, slots }))).toEqual([['slots.4', 'no discovered field is called "Custmer"; pick one from the list (name or id)']]);
    slots[4] = 'customfield_10033';
    expect(issues(schema.safeParse({ ...base, slots }))).toEqual([['slots.4', 'customfield_10033 is already mapped to slot 1; a field feeds one place only']]);
  });

  it('says where each field is mapped, and labels fields by name and id', () => {
    const places = placesOf(fieldsState().mapping);
    expect(places.get('customfield_10020')).toEqual(['Sprints']);
    expect(places.get('customfield_10033')).toEqual(['slot 1']);
    expect(fieldLabel('customfield_10020', fields)).toBe('Sprint (customfield_10020)');
    expect(fieldLabel('customfield_1', fields)).toBe('customfield_1');
  });
});
