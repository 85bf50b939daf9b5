import { describe, expect, it, vi } from 'vitest';

import { FakeSocket, ManualTimers } from '../testing/fake-socket';
import { healthReport } from '../testing/fixtures';

import type { FetchLike } from './http-call';
import { createHttpTransport, eventsUrl } from './http-transport';
import type { ConnectionState } from './transport';

function setup(fetch: FetchLike = () => Promise.resolve({ status: 200, text: () => Promise.resolve('{"ok":true,"result":{}}') })) {
  const sockets: FakeSocket[] = [];
  const timers = new ManualTimers();
  const transport = createHttpTransport({
    fetch,
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    location: { protocol: 'http:', host: '127.0.0.1:7420' },
    timers,
    backoff: { initialMs: 100, maxMs: 1000 },
    random: () => 1, // no jitter: delays are exactly the exponential steps
    heartbeat: { intervalMs: 5000, timeoutMs: 1000 },
  });
  const states: ConnectionState[] = [];
  transport.onConnection((s) => states.push(s));
  const last = () => {
    const socket = sockets.at(-1);
    if (!socket) throw new Error('no socket opened');
    return socket;
  };
  return { transport, sockets, timers, states, last };
}

describe('eventsUrl', () => {
  it('uses ws:// for http and wss:// for https on the same host', () => {
    expect(eventsUrl({ protocol: 'http:', host: 'localhost:7420' })).toBe('ws://localhost:7420/api/v1/events');
    expect(eventsUrl({ protocol: 'https:', host: 'sluice.example' })).toBe('wss://sluice.example/api/v1/events');
  });
});

describe('createHttpTransport events socket', () => {
  it('connects at once and sends the subscription set after open', () => {
    const { transport, sockets, last, states } = setup();
    expect(sockets).toHaveLength(1);
    expect(last().url).toBe('ws://127.0.0.1:7420/api/v1/events');
    expect(transport.connection).toBe('connecting');

    transport.setSubscriptions(['system.health']);
    expect(last().sent).toEqual([]); // not open yet: nothing sent, nothing lost
    last().serverOpen();
    expect(last().sent).toEqual([{ type: 'subscribe', events: ['system.health'] }]);
    expect(states).toEqual(['connected']);
  });

  it('delivers server events and ignores garbage', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { transport, last } = setup();
    const events: string[] = [];
    transport.onEvent((m) => events.push(m.event));
    last().serverOpen();
    last().serverSend({ type: 'event', event: 'system.health', payload: healthReport() });
    last().serverSend('not json');
    last().serverSend({ type: 'mystery' });
    expect(events).toEqual(['system.health']);
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });

  it('reconnects with growing backoff, resubscribes, and resets the backoff once connected', () => {
    const { transport, sockets, timers, states, last } = setup();
    transport.setSubscriptions(['system.health']);
    last().serverClose(); // never opened: server down
    expect(states).toEqual(['reconnecting']);
    expect(timers.delays).toEqual([100]);
    timers.advance(100);
    expect(sockets).toHaveLength(2);
    last().serverClose();
    expect(timers.delays).toEqual([200]);
    timers.advance(200);
    last().serverClose();
    expect(timers.delays).toEqual([400]);
    timers.advance(400);

    last().serverOpen();
    expect(states.at(-1)).toBe('connected');
    expect(last().sent).toEqual([{ type: 'subscribe', events: ['system.health'] }]);

    last().serverClose(); // a drop after a good connection starts again from the first step
    expect(timers.delays).toEqual([100]);
  });

  it('caps the backoff at maxMs', () => {
    const { timers, last } = setup();
    for (let i = 0; i < 8; i++) {
      last().serverClose();
      timers.advance(Math.max(...timers.delays));
    }
    last().serverClose();
    expect(timers.delays).toEqual([1000]);
  });

  it('drops a socket whose ping gets no answer and reconnects', () => {
    const { timers, sockets, last, states } = setup();
    last().serverOpen();
    timers.advance(5000);
    expect(last().sent).toContainEqual({ type: 'ping' });
    last().serverSend({ type: 'pong' });
    timers.advance(5000); // second ping, and this time no answer
    timers.advance(1000);
    expect(sockets[0]?.closed).toBe(true);
    expect(states).toEqual(['connected', 'reconnecting']);
    timers.advance(100);
    expect(sockets).toHaveLength(2);
  });

  it('parks in unauthorized on a 401 call and wakes up after a successful call', async () => {
    let status = 401;
    const fetch: FetchLike = () =>
      Promise.resolve({ status, text: () => Promise.resolve(status === 401 ? '' : '{"ok":true,"result":{}}') });
    const { transport, timers, sockets, states, last } = setup(fetch);
    last().serverOpen();

    const failed = await transport.call('system.health', {}, { tenantId: null });
    expect(failed).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(transport.connection).toBe('unauthorized');
    expect(last().closed).toBe(true);
    timers.advance(60_000);
    expect(sockets).toHaveLength(1); // no reconnect storm against a server that refuses us

    status = 200;
    await transport.call('system.health', {}, { tenantId: null });
    expect(sockets).toHaveLength(2);
    expect(states).toEqual(['connected', 'unauthorized', 'connecting']);
  });

  it('stops on an unauthorized error message from the socket', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { transport, last } = setup();
    last().serverOpen();
    last().serverSend({ type: 'error', error: { code: 'unauthorized', message: 'Session expired.' } });
    expect(transport.connection).toBe('unauthorized');
    warn.mockRestore();
  });

  it('close() stops the socket and every timer', () => {
    const { transport, timers, sockets, last } = setup();
    last().serverOpen();
    transport.close();
    expect(last().closed).toBe(true);
    expect(timers.delays).toEqual([]);
    timers.advance(60_000);
    expect(sockets).toHaveLength(1);
  });
});
