import { describe, expect, it, vi } from 'vitest';

import { ApiError } from '../../../shared/contract/errors';
import { FakeTransport } from '../testing/fake-transport';
import { healthReport } from '../testing/fixtures';

import { createClient } from './client';

describe('createClient', () => {
  it('queues calls made before the transport is attached and replays them on attach', async () => {
    const client = createClient();
    const pending = client.call('system.health', {});
    let settled = false;
    void pending.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);

    const transport = new FakeTransport(() => ({ ok: true, result: healthReport() }));
    client.attach(transport);

    await expect(pending).resolves.toEqual(healthReport());
    expect(transport.calls.map((c) => c.method)).toEqual(['system.health']);
  });

  it('rebuilds the wire error body as an ApiError with code and issues', async () => {
    const client = createClient();
    client.attach(
      new FakeTransport(() => ({
        ok: false,
        error: { code: 'not_found', message: 'Tenant 7 does not exist; pick another.', issues: [{ path: 'id', message: 'unknown' }] },
      })),
    );
    const error = await client.call('tenants.list', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'not_found', message: 'Tenant 7 does not exist; pick another.', issues: [{ path: 'id', message: 'unknown' }] });
  });

  it('rejects a result that does not match the output schema', async () => {
    const client = createClient();
    client.attach(new FakeTransport(() => ({ ok: true, result: { services: 'nope' } })));
    const error = await client.call('system.health', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'internal' });
    expect((error as ApiError).message).toMatch(/does not match the contract/);
  });

  it('refuses invalid input before sending it', async () => {
    const transport = new FakeTransport();
    const client = createClient();
    client.attach(transport);
    // A caller bypassing the types (e.g. data from a form) still gets a bad_request, not a round trip.
    const error = await client.call('tenants.list', { includeInactive: 'yes' } as never).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'bad_request' });
    expect(transport.calls).toHaveLength(0);
  });

  it('sends the selected tenant with each call', async () => {
    const transport = new FakeTransport(() => ({ ok: true, result: { tenants: [] } }));
    const client = createClient();
    client.attach(transport);
    client.setTenant(42);
    await client.call('tenants.list', {});
    client.setTenant(null);
    await client.call('tenants.list', {});
    expect(transport.calls.map((c) => c.context.tenantId)).toEqual([42, null]);
  });

  it('delivers validated event payloads and drops malformed ones', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const client = createClient();
    const transport = new FakeTransport();
    const received: unknown[] = [];
    client.subscribe('system.health', (report) => received.push(report.engineVersion));
    client.attach(transport);

    transport.push('system.health', healthReport({ engineVersion: '9.9.9' }));
    transport.push('system.health', { services: 42 });
    transport.push('unknown.event', {});

    expect(received).toEqual(['9.9.9']);
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });

  it('announces subscriptions made before and after attach, and stops delivering after unsubscribe', () => {
    const client = createClient();
    const transport = new FakeTransport();
    const listener = vi.fn();
    const off = client.subscribe('system.health', listener);
    client.attach(transport);
    expect(transport.subscriptionSets).toEqual([['system.health']]);

    off();
    transport.push('system.health', healthReport());
    expect(listener).not.toHaveBeenCalled();
  });

  it('mirrors the transport connection state', () => {
    const client = createClient();
    const transport = new FakeTransport();
    transport.connection = 'reconnecting';
    const states: string[] = [];
    client.onConnection((s) => states.push(s));
    expect(client.connection).toBe('connecting');
    client.attach(transport);
    transport.setConnection('connected');
    expect(states).toEqual(['reconnecting', 'connected']);
    expect(client.connection).toBe('connected');
  });
});
