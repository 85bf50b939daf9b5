import { describe, expect, it } from 'vitest';

import type { CustomField } from '../../../shared/contract/mappings';
import { byFieldNumber, suggestSpecialFields } from './suggest';

const field = (externalId: string, name: string, fieldType: string | null, schemaCustom: string | null): CustomField => ({ externalId, name, fieldType, custom: true, schemaCustom, items: null });

describe('special-field suggestions', () => {
  it('recognises each special field by its plugin type, lowest field number first', () => {
    const s = suggestSpecialFields([
      field('customfield_10100', 'Sprint (old)', 'array', 'com.pyxis.greenhopper.jira:gh-sprint'),
      field('customfield_10020', 'Sprint', 'array', 'com.pyxis.greenhopper.jira:gh-sprint'),
      field('customfield_10001', 'Team', 'team', 'com.atlassian.jira.plugin.system.customfieldtypes:atlassian-team'),
      field('customfield_10000', 'Development', 'any', 'com.atlassian.jira.plugins.jira-development-integration-plugin:devsummarycf'),
      field('customfield_10016', 'Story point estimate', 'number', 'com.pyxis.greenhopper.jira:jsw-story-points'),
      field('customfield_10033', 'Customer', 'string', 'com.atlassian.jira.plugin.system.customfieldtypes:textfield'),
    ]);
    expect(s).toEqual({ team: ['customfield_10001'], sprints: ['customfield_10020', 'customfield_10100'], development: ['customfield_10000'], storyPoints: ['customfield_10016'] });
  });

  it('adds number fields named like story points after the plugin type, never twice', () => {
    const s = suggestSpecialFields([
      field('customfield_10200', 'Story Points', 'number', 'com.atlassian.jira.plugin.system.customfieldtypes:float'),
      field('customfield_10016', 'Story point estimate', 'number', 'com.pyxis.greenhopper.jira:jsw-story-points'),
      field('customfield_10300', 'Story points', 'string', 'com.atlassian.jira.plugin.system.customfieldtypes:textfield'),
    ]);
    expect(s.storyPoints).toEqual(['customfield_10016', 'customfield_10200']);
    expect(s.team).toEqual([]);
  });

  it('orders customfield ids by number, other ids after them', () => {
    expect(['components', 'customfield_10100', 'customfield_9', 'aaa'].sort(byFieldNumber)).toEqual(['customfield_9', 'customfield_10100', 'aaa', 'components']);
  });
});
