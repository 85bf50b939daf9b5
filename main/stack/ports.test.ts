import { describe, expect, it } from 'vitest';
import { choosePorts, homeSlot, portFree, preferredPorts } from './ports';
import { createServer } from 'node:net';

describe('preferredPorts', () => {
  it('is stable for a home and differs between homes', () => {
    expect(preferredPorts('/home/a/.sluice')).toEqual(preferredPorts('/home/a/.sluice'));
    const slots = new Set(['/a', '/b', '/c', '/d', '/e', '/f'].map(homeSlot));
    expect(slots.size).toBeGreaterThan(1);
  });

  it('puts the six ports of a stack in one block of ten inside 40000-40999', () => {
    const p = preferredPorts('/x');
    const all = Object.values(p);
    expect(new Set(all).size).toBe(6);
    expect(Math.max(...all) - Math.min(...all)).toBeLessThan(10);
    expect(Math.min(...all)).toBeGreaterThanOrEqual(40_000);
    expect(Math.max(...all)).toBeLessThan(41_000);
  });
});

describe('choosePorts', () => {
  const fallbackFrom = (ports: number[]) => async () => {
    const next = ports.shift();
    if (next === undefined) throw new Error('no more');
    return next;
  };

  it('keeps wanted ports that are free', async () => {
    const out = await choosePorts(['postgres', 'redis'], { postgres: 100, redis: 101 }, async () => true, fallbackFrom([]));
    expect(out).toEqual({ postgres: 100, redis: 101 });
  });

  it('falls back when a wanted port is busy, and never hands out one port twice', async () => {
    const busy = new Set([100]);
    const out = await choosePorts(
      ['postgres', 'redis', 'amqp'],
      { postgres: 100, redis: 101, amqp: 101 },
      async (p) => !busy.has(p),
      fallbackFrom([101, 200, 201]),
    );
    // postgres: 100 busy -> fallback 101; redis wanted 101, now taken -> 200; amqp wanted 101 -> 201.
    expect(out).toEqual({ postgres: 101, redis: 200, amqp: 201 });
  });

  it('uses a fallback when nothing is wanted', async () => {
    expect(await choosePorts(['epmd'], {}, async () => true, fallbackFrom([555]))).toEqual({ epmd: 555 });
  });
});

describe('portFree', () => {
  it('sees a port held by a listener as busy', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    expect(await portFree(port)).toBe(false);
    await new Promise<void>((r) => server.close(() => r()));
    expect(await portFree(port)).toBe(true);
  });
});
