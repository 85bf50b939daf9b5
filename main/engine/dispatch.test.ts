import { describe, expect, it, vi } from 'vitest';

import { methodNames, methods } from '../../shared/contract/api';
import { ApiError } from '../../shared/contract/errors';
import { ContractViolation, dispatch } from './dispatch';
import type { CallContext, Handlers } from './types';

const ctx: CallContext = { transport: 'test', tenantId: null, principal: 'test' };
const report = { services: [], checkedAt: '2026-01-01T00:00:00.000Z', engineVersion: '0.1.0', mode: 'headless' as const };

// Methods these tests do not call: present (Handlers needs every one) but failing loudly if called.
const unused = Object.fromEntries(
  methodNames.map((m) => [m, () => Promise.reject(new Error(`${m} is not used by this test`))]),
) as unknown as Handlers;

const handlers = (over: Partial<Handlers> = {}): Handlers => ({
  ...unused,
  'system.health': async () => report,
  'tenants.list': async () => ({ tenants: [] }),
  'workers.status': async () => ({ embedded: { state: 'off', reason: 'test', hostId: null, pools: [] }, hosts: [], hostsNote: null }),
  ...over,
});

describe('dispatch', () => {
  it('parses input with defaults and returns the validated output', async () => {
    let seen: unknown;
    const h = handlers({ 'tenants.list': async (input) => ((seen = input), { tenants: [] }) });
    await expect(dispatch(h, 'tenants.list', undefined, ctx)).resolves.toEqual({ tenants: [] });
    expect(seen).toEqual({ includeInactive: true });
  });

  it('refuses unknown methods and bad input as ApiErrors the caller can read', async () => {
    await expect(dispatch(handlers(), 'nope.nothing', {}, ctx)).rejects.toMatchObject({ code: 'not_found' });
    const err = await dispatch(handlers(), 'tenants.list', { includeInactive: 3 }, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).issues?.[0]?.path).toBe('includeInactive');
    await expect(dispatch(handlers(), '__proto__', {}, ctx)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('catches a handler that breaks the contract instead of passing bad data on', async () => {
    const h = handlers({ 'tenants.list': async () => ({ tenants: [{ id: 'x' }] }) as never });
    await expect(dispatch(h, 'tenants.list', {}, ctx)).rejects.toBeInstanceOf(ContractViolation);
  });
});

describe('dispatch: roles', () => {
  const as = (role: 'viewer' | 'operator' | 'admin'): CallContext => ({ transport: 'http', tenantId: 1, principal: `someone-${role}`, role });

  it('refuses a viewer every mutating method, before looking at the input, and names the role needed', async () => {
    // The only writes open to a viewer are the desktop's own connection profiles (this machine's
    // settings, not the platform's: a viewer profile must be able to switch back); `sluice serve`
    // refuses those to everyone (tests/integration/roles-http.test.ts).
    const local = methodNames.filter((m) => methods[m].mutates && methods[m].role === 'viewer');
    expect(local).toEqual(['profiles.save', 'profiles.delete', 'profiles.activate']);
    const mutating = methodNames.filter((m) => methods[m].mutates && !local.includes(m));
    expect(mutating.length).toBeGreaterThan(10);
    for (const method of mutating) {
      const error = await dispatch(handlers(), method, { not: 'even valid' }, as('viewer')).catch((e: unknown) => e);
      expect(error, method).toBeInstanceOf(ApiError);
      expect((error as ApiError).code, method).toBe('forbidden');
      expect((error as ApiError).message, method).toBe(
        `${method} needs the ${methods[method].role} role, and someone-viewer is a viewer: ask an admin of this Sluice to give you the ${methods[method].role} role, or sign in as a user who has it.`,
      );
    }
  });

  it('lets an operator run the pipeline but not configure it', async () => {
    const paused = vi.fn(async () => {
      throw new ApiError('not_found', 'Run 9 does not exist.');
    });
    await expect(dispatch(handlers({ 'runs.pause': paused }), 'runs.pause', { id: 9 }, as('operator'))).rejects.toMatchObject({ code: 'not_found' });
    expect(paused).toHaveBeenCalledTimes(1);
    await expect(dispatch(handlers(), 'tenants.create', { name: 'X' }, as('operator'))).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('needs the admin role') });
    await expect(dispatch(handlers(), 'tenants.list', {}, as('viewer'))).resolves.toEqual({ tenants: [] });
  });

  it('treats a console call without a role as a viewer, and the CLI and tests as admin', async () => {
    const noRole = { transport: 'http', tenantId: null, principal: 'x' } as unknown as CallContext;
    await expect(dispatch(handlers(), 'tenants.create', { name: 'X' }, noRole)).rejects.toMatchObject({ code: 'forbidden' });
    const created = vi.fn(async () => ({ id: 1, name: 'X', tier: 'premium' as const, active: true, createdAt: 'now' }));
    await expect(dispatch(handlers({ 'tenants.create': created }), 'tenants.create', { name: 'X' }, { transport: 'cli', tenantId: null, principal: 'cli' })).resolves.toMatchObject({ id: 1 });
  });
});
