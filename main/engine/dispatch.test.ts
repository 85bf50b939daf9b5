import { describe, expect, it } from 'vitest';

import { methodNames } from '../../shared/contract/api';
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
