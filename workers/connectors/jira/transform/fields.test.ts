import { describe, expect, it } from 'vitest';

import { PermanentError } from '../../../queue/errors';
import { transformFields } from './fields';

describe('fields transform', () => {
  it('keeps every field with its type and schema, custom or not', () => {
    const body = [
      { id: 'summary', key: 'summary', name: 'Summary', custom: false, schema: { type: 'string', system: 'summary' } },
      { id: 'customfield_10030', key: 'customfield_10030', name: 'Sévérité', custom: true, schema: { type: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select', customId: 10030 } },
      { id: 'customfield_10099', name: 'No schema' },
    ];
    expect(transformFields(body).custom_fields).toEqual([
      { external_id: 'summary', name: 'Summary', field_type: 'string', custom: false, schema: { type: 'string', system: 'summary' } },
      { external_id: 'customfield_10030', name: 'Sévérité', field_type: 'option', custom: true, schema: { type: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select', customId: 10030 } },
      { external_id: 'customfield_10099', name: 'No schema', field_type: null, custom: true, schema: null },
    ]);
  });

  it('refuses a body that is not a field list', () => {
    expect(() => transformFields({ values: [] })).toThrow(PermanentError);
  });
});
