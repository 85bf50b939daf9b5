import { describe, expect, it } from 'vitest';

import { methods } from './api';
import { BaseUrl, ConnectionTarget, CreateIntegrationInput, UpdateIntegrationInput } from './integrations';

const jira = { provider: 'jira', name: ' Jira ', baseUrl: 'https://acme.atlassian.net/', token: ' tok-123 ', settings: { email: 'ops@acme.io' } };
const paths = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) => r.error?.issues.map((i) => i.path.join('.')) ?? [];

describe('integrations contract', () => {
  it('is spread into the API with every method', () => {
    for (const m of ['list', 'get', 'create', 'update', 'setActive', 'delete', 'testConnection', 'remoteProjects']) expect(methods).toHaveProperty(`integrations.${m}`);
    expect(methods['integrations.list'].mutates).toBe(false);
    expect(methods['integrations.delete'].mutates).toBe(true);
  });

  it('normalises a create: trimmed name and token, no trailing slash, the settings defaults', () => {
    const parsed = CreateIntegrationInput.parse(jira);
    expect(parsed).toMatchObject({ name: 'Jira', baseUrl: 'https://acme.atlassian.net', token: 'tok-123', active: true });
    expect(parsed.settings).toEqual({ email: 'ops@acme.io', projectKeys: [], baseJql: null, pageSize: 100, overlapMinutes: 5 });
  });

  it('validates settings with the provider schema and names the field', () => {
    expect(paths(CreateIntegrationInput.safeParse({ ...jira, settings: { email: 'x' } }))).toEqual(['settings.email']);
    expect(paths(CreateIntegrationInput.safeParse({ ...jira, provider: 'github', settings: { organization: 'acme', email: 'ops@acme.io' } }))).toEqual(['settings']);
    expect(paths(CreateIntegrationInput.safeParse({ ...jira, extra: 1 }))).toEqual(['']);
    expect(paths(CreateIntegrationInput.safeParse({ ...jira, token: '  ' }))).toEqual(['token']);
  });

  it('accepts only http(s) base URLs without credentials', () => {
    expect(BaseUrl.safeParse('https://api.github.com').success).toBe(true);
    expect(BaseUrl.safeParse('http://127.0.0.1:9000/').data).toBe('http://127.0.0.1:9000');
    for (const bad of ['ftp://x.io', 'https://u:p@x.io', 'not a url', '']) expect(BaseUrl.safeParse(bad).success, bad).toBe(false);
  });

  it('makes the token optional on update, keeping everything else required', () => {
    const { token: _t, ...withoutToken } = jira;
    expect(UpdateIntegrationInput.safeParse({ ...withoutToken, id: 3 }).success).toBe(true);
    expect(paths(UpdateIntegrationInput.safeParse({ ...withoutToken }))).toEqual(['id']);
  });

  it('needs a saved integration or a draft to test', () => {
    expect(paths(ConnectionTarget.safeParse({}))).toEqual(['integrationId']);
    expect(ConnectionTarget.parse({ integrationId: 4 })).toEqual({ integrationId: 4, draft: null });
    const draft = ConnectionTarget.parse({ draft: { provider: 'github', baseUrl: 'https://api.github.com', settings: { organization: 'acme' } } });
    expect(draft.draft).toMatchObject({ provider: 'github', settings: { pageSize: 50, lookbackDays: 730 } });
  });
});
