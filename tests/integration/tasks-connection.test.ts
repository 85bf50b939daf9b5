import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ApiError } from '../../shared/contract/errors';
import { GithubSettings, JiraSettings } from '../../shared/connectors/settings';
import { createTaskRunner } from '../../main/engine/tasks';
import { generateWorld, startGithubSimulator, startJiraSimulator, type RunningSimulator } from '../../simulators';
import { testTaskEntry } from './support/entries';

/**
 * The task mechanism end to end: the engine starts `workers/entries/task.worker.ts` in a thread (tsx),
 * the thread calls the simulators over HTTP, and the engine gets the validated checks back.
 */
const TOKEN = 'tasks-test-token';
const tasks = createTaskRunner(testTaskEntry(), { timeoutMs: 60_000 });

let jira: RunningSimulator;
let github: RunningSimulator;
let silent: Server; // accepts connections and never answers: the timeout case
let closedUrl: string; // nothing listens there: the network-error case

const jiraConn = (over: { baseUrl?: string; token?: string; settings?: Partial<JiraSettings> } = {}) => ({
  provider: 'jira' as const,
  baseUrl: over.baseUrl ?? jira.url,
  token: over.token ?? TOKEN,
  settings: JiraSettings.parse({ email: 'ops@example.com', ...over.settings }),
});
const githubConn = (over: { baseUrl?: string; token?: string; settings?: Partial<GithubSettings> } = {}) => ({
  provider: 'github' as const,
  baseUrl: over.baseUrl ?? github.url,
  token: over.token ?? TOKEN,
  settings: GithubSettings.parse({ organization: github.world.meta.organization, ...over.settings }),
});

beforeAll(async () => {
  const world = generateWorld({ scale: 'small', seed: 3 });
  jira = await startJiraSimulator({ world, token: TOKEN });
  github = await startGithubSimulator({ world, token: TOKEN });
  silent = createServer(() => undefined);
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise((r) => probe.close(r));
});

afterAll(async () => {
  await Promise.all([jira?.stop(), github?.stop(), new Promise((r) => silent?.close(r))]);
});

describe('integration.test task against the Jira simulator', () => {
  it('reports every check ok with a good token, naming the account and the projects', async () => {
    const keys = jira.world.jira.projects.map((p) => p.key);
    const { checks } = await tasks.run('integration.test', { connection: jiraConn({ settings: { projectKeys: keys } }) });
    expect(checks.map((c) => [c.name, c.ok])).toEqual([
      ['Authentication', true],
      ['Projects', true],
      ['Issue search', true],
    ]);
    expect(checks[0]!.detail).toContain('ops@example.com');
    expect(checks[1]!.detail).toContain(keys.join(', '));
    expect(checks[2]!.detail).toContain('finds issues');
  });

  it('says the token was refused, and does not repeat the failure for the later checks', async () => {
    const { checks } = await tasks.run('integration.test', { connection: jiraConn({ token: 'wrong-token' }) });
    expect(checks[0]).toMatchObject({ name: 'Authentication', ok: false });
    expect(checks[0]!.detail).toMatch(/^The token was refused \(401: "You are not authenticated/);
    expect(checks[0]!.detail).toContain('belongs to ops@example.com');
    expect(checks.slice(1).map((c) => c.detail)).toEqual(['Not tried: the Authentication check failed.', 'Not tried: the Authentication check failed.']);
  });

  it('names the configured projects the account cannot see, and a JQL Jira rejects', async () => {
    const { checks } = await tasks.run('integration.test', { connection: jiraConn({ settings: { projectKeys: ['NOPE'], baseJql: 'labels = x' } }) });
    expect(checks[0]!.ok).toBe(true);
    expect(checks[1]).toMatchObject({ ok: false, detail: expect.stringContaining('Not visible to this account: NOPE') });
    expect(checks[2]).toMatchObject({ ok: false, detail: expect.stringContaining('Jira rejected the query') });
    expect(checks[2]!.detail).toContain('fix the base JQL');
  });

  it('explains a wrong URL: nothing listening, a server that never answers', async () => {
    const refused = await tasks.run('integration.test', { connection: jiraConn({ baseUrl: closedUrl }) });
    expect(refused.checks[0]!.detail).toMatch(/^Could not reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\); check the base URL/);
    const port = (silent.address() as AddressInfo).port;
    const slow = await tasks.run('integration.test', { connection: jiraConn({ baseUrl: `http://127.0.0.1:${port}` }), requestTimeoutMs: 500 });
    expect(slow.checks[0]!.detail).toBe(`No answer from 127.0.0.1:${port} within 1 s; check the base URL and that the server is reachable.`);
    expect(slow.checks[2]!.detail).toBe('Not tried: the Authentication check failed.');
  });

  it('lists the projects for the picker, capped with truncated set', async () => {
    const all = await tasks.run('jira.projects', { connection: jiraConn() });
    expect(all.projects.map((p) => p.key)).toEqual(jira.world.jira.projects.map((p) => p.key).sort());
    expect(all.truncated).toBe(false);
    const one = await tasks.run('jira.projects', { connection: jiraConn(), limit: 1 });
    expect(one).toMatchObject({ truncated: true, projects: [all.projects[0]] });
  });

  it('turns a refused token on the project list into an unavailable ApiError with the reason', async () => {
    const err = await tasks.run('jira.projects', { connection: jiraConn({ token: 'bad' }) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'unavailable', message: expect.stringContaining('the token was refused (401') });
  });
});

describe('integration.test task against the GitHub simulator', () => {
  it('reports every check ok with a good token', async () => {
    const { checks } = await tasks.run('integration.test', { connection: githubConn() });
    expect(checks.map((c) => [c.name, c.ok])).toEqual([
      ['API and token', true],
      ['Repositories', true],
      ['GraphQL', true],
    ]);
    expect(checks[1]!.detail).toMatch(new RegExp(`^\\d+ repositor(y|ies) found \\(org:${github.world.meta.organization}\\)`));
    expect(checks[2]!.detail).toBe('GraphQL works; signed in as sluice-sim.');
  });

  it('says the token was refused with GitHub\'s own message', async () => {
    const { checks } = await tasks.run('integration.test', { connection: githubConn({ token: 'nope' }) });
    expect(checks[0]).toMatchObject({ ok: false, detail: expect.stringMatching(/^The token was refused \(401: "Bad credentials"\)/) });
    expect(checks[2]!.detail).toBe('Not tried: the API and token check failed.');
  });

  it('fails the repository check for an organization with no repositories, saying what to check', async () => {
    const { checks } = await tasks.run('integration.test', { connection: githubConn({ settings: { organization: 'no-such-org-here' } }) });
    expect(checks[0]!.ok).toBe(true);
    expect(checks[1]).toMatchObject({ ok: false, detail: expect.stringContaining("check the organization, the patterns and the token's repository access") });
  });
});

describe('the task runner', () => {
  it('the thread refuses input that breaks the task schema (an engine bug, not an ApiError)', async () => {
    const err = await tasks.run('integration.test', { connection: { provider: 'jira', baseUrl: 'not a url', token: '', settings: {} } as never }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^Invalid input for task integration\.test: connection\.baseUrl/);
  });

  it('says what to do when the task entry is missing', async () => {
    const missing = createTaskRunner({ kind: 'file', path: '/nonexistent/task.js' });
    await expect(missing.run('integration.test', { connection: jiraConn() })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('npm run build') });
  });
});
