import { describe, expect, it } from 'vitest';

import { integration } from '../../testing/fixtures';

import { emptyValues, fieldForIssue, formFields, formSchema, parseKeyList, parseLines, toCreateInput, toTarget, toUpdateInput, valuesFrom } from './form-model';

describe('integration form model', () => {
  it('starts from the settings schemas defaults', () => {
    expect(emptyValues('jira')).toEqual({ name: '', baseUrl: '', token: '', settings: { email: null, projectKeys: [], baseJql: null, pageSize: 100, overlapMinutes: 5 } });
    expect(emptyValues('github')).toMatchObject({ baseUrl: 'https://api.github.com', settings: { organization: '', repositoryPatterns: [], pageSize: 50, lookbackDays: 730 } });
  });

  it('edits start from the stored settings and never from a token', () => {
    expect(valuesFrom(integration(4, 'Edit me'))).toMatchObject({ name: 'Edit me', token: '', settings: { projectKeys: ['ENG'] } });
  });

  it('requires a token to create, keeps the stored one on edit', () => {
    const values = { name: 'J', baseUrl: 'https://x.atlassian.net', token: '', settings: {} };
    const create = formSchema('jira', 'create').safeParse(values);
    expect(create.error?.issues.map((i) => i.path.join('.'))).toEqual(['token']);
    const edit = formSchema('jira', 'edit').parse(values);
    expect(toUpdateInput(4, 'jira', edit)).toEqual({ id: 4, provider: 'jira', name: 'J', baseUrl: 'https://x.atlassian.net', settings: edit.settings });
    const withToken = formSchema('jira', 'edit').parse({ ...values, token: ' new ' });
    expect(toUpdateInput(4, 'jira', withToken)).toMatchObject({ token: 'new' });
    expect(toCreateInput('jira', formSchema('jira', 'create').parse({ ...values, token: 't' }))).toMatchObject({ provider: 'jira', token: 't' });
  });

  it('sends the typed token to a test only when there is one', () => {
    expect(toTarget('github', 9, { baseUrl: 'https://api.github.com', token: '  ', settings: { organization: 'a' } })).toEqual({
      integrationId: 9,
      draft: { provider: 'github', baseUrl: 'https://api.github.com', settings: { organization: 'a' } },
    });
    expect(toTarget('jira', null, { baseUrl: 'u', token: 'tok', settings: {} }).draft).toMatchObject({ token: 'tok' });
  });

  it('places engine issues on the deepest matching field, including test-connection draft paths', () => {
    const fields = formFields('jira');
    expect(fieldForIssue('settings.projectKeys.2', fields)).toBe('settings.projectKeys');
    expect(fieldForIssue('draft.settings.email', fields)).toBe('settings.email');
    expect(fieldForIssue('name', fields)).toBe('name');
    expect(fieldForIssue('provider', fields)).toBeNull();
    expect(fieldForIssue('settings', fields)).toBeNull();
    expect(formFields('github')).toContain('settings.repositoryPatterns');
  });

  it('parses typed keys and patterns', () => {
    expect(parseKeyList('eng, OPS;ops  x_1')).toEqual(['ENG', 'OPS', 'X_1']);
    expect(parseLines('health-\n\n bp- ,api')).toEqual(['health-', 'bp-', 'api']);
  });
});
