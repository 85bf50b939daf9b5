import { describe, expect, it } from 'vitest';

import { methodNames } from '../../../shared/contract/api';
import { ApiError } from '../../../shared/contract/errors';
import { dispatch } from '../dispatch';
import type { TaskRunner } from '../tasks';
import type { CallContext, Handlers } from '../types';
import { integrationHandlers } from './integrations';
import { tenantHandlers } from './tenants';

/**
 * Validation happens before any database or API work: these run without Postgres (pool null) and
 * with a task runner that fails the test if called. The database paths are in
 * tests/integration/integrations-api.test.ts.
 */
const tasks: TaskRunner = { run: () => Promise.reject(new Error('no task may run in these tests')) };
const unused = Object.fromEntries(methodNames.map((m) => [m, () => Promise.reject(new Error(`${m} unused`))])) as unknown as Handlers;
const handlers: Handlers = {
  ...unused,
  ...tenantHandlers(null),
  ...integrationHandlers({ pool: null, tasks, secretKey: () => ({ id: 'k', bytes: new Uint8Array(32) }) }),
};
const ctx = (tenantId: number | null): CallContext => ({ transport: 'test', tenantId, principal: 'test' });
const fail = (method: string, input: unknown, tenantId: number | null = 1) => dispatch(handlers, method, input, ctx(tenantId)).then(() => null, (e: unknown) => e as ApiError);

const jira = { provider: 'jira', name: 'Jira', baseUrl: 'https://acme.atlassian.net', token: 'tok', settings: {} };

describe('integration handlers: validation', () => {
  it('puts each bad field of a create at its path', async () => {
    const e = await fail('integrations.create', { ...jira, baseUrl: 'ftp://x', settings: { pageSize: 0, projectKeys: ['eng'] } });
    expect(e).toBeInstanceOf(ApiError);
    expect(e!.code).toBe('bad_request');
    expect(e!.issues?.map((i) => i.path).sort()).toEqual(['baseUrl', 'settings.pageSize', 'settings.projectKeys.0']);
    expect(e!.message).toMatch(/^Invalid input for integrations\.create: /);
  });

  it('asks for a tenant before anything else', async () => {
    const e = await fail('integrations.list', {}, null);
    expect(e).toMatchObject({ code: 'bad_request', message: 'No tenant selected: pick a tenant in the header (integrations belong to a tenant).' });
    expect((await fail('integrations.testConnection', { integrationId: 1 }, null))!.code).toBe('bad_request');
  });

  it('says Postgres is not configured instead of failing obscurely', async () => {
    expect(await fail('integrations.list', {})).toMatchObject({ code: 'unavailable', message: expect.stringContaining('Postgres is not configured') });
    expect(await fail('tenants.create', { name: 'A' })).toMatchObject({ code: 'unavailable' });
  });

  it('refuses delete without an id, and an empty tenant update', async () => {
    expect((await fail('integrations.delete', {}))!.issues?.[0]?.path).toBe('id');
    expect((await fail('tenants.update', { id: 1 }, null))!.message).toContain('nothing to change');
  });
});
