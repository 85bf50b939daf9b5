import { describe, expect, it } from 'vitest';

import { TaskReply, TaskRequest, taskDefs } from './tasks';

const connection = { provider: 'jira', baseUrl: 'https://acme.atlassian.net', token: 't', settings: {} };

describe('task protocol', () => {
  it('applies defaults to task inputs: settings defaults, request timeout, project cap', () => {
    const input = taskDefs['jira.projects'].input.parse({ connection });
    expect(input).toMatchObject({ limit: 1000, requestTimeoutMs: 10_000, connection: { settings: { pageSize: 100, projectKeys: [] } } });
  });

  it('refuses a GitHub connection for the Jira-only task, and a token-less connection', () => {
    expect(taskDefs['jira.projects'].input.safeParse({ connection: { ...connection, provider: 'github', settings: { organization: 'a' } } }).success).toBe(false);
    expect(taskDefs['integration.test'].input.safeParse({ connection: { ...connection, token: '' } }).success).toBe(false);
  });

  it('knows its task names and versions its requests', () => {
    expect(TaskRequest.safeParse({ protocol: 1, task: 'integration.test', input: {} }).success).toBe(true);
    expect(TaskRequest.safeParse({ protocol: 2, task: 'integration.test', input: {} }).success).toBe(false);
    expect(TaskRequest.safeParse({ protocol: 1, task: 'rm.rf', input: {} }).success).toBe(false);
  });

  it('replies either with output or with a kind of error', () => {
    expect(TaskReply.parse({ ok: true, output: { checks: [] } })).toEqual({ ok: true, output: { checks: [] } });
    expect(TaskReply.safeParse({ ok: false, error: { kind: 'oops', message: 'x' } }).success).toBe(false);
    expect(taskDefs['integration.test'].output.safeParse({ checks: [] }).success).toBe(false);
  });
});
