import { createHash } from 'node:crypto';
import { createServer } from 'node:net';

/** Every port a stack needs. RabbitMQ needs four: AMQP, management HTTP, Erlang distribution and its own epmd. */
export interface StackPorts {
  postgres: number;
  redis: number;
  amqp: number;
  management: number;
  dist: number;
  epmd: number;
}

export const PORT_KEYS = ['postgres', 'redis', 'amqp', 'management', 'dist', 'epmd'] as const;
export type PortKey = (typeof PORT_KEYS)[number];

const BASE = 40_000;
const SLOTS = 100;
const STRIDE = 10;

/** 0..99, stable for a home directory, so a given home gets the same ports run after run. */
export function homeSlot(home: string): number {
  const digest = createHash('sha256').update(home).digest();
  return digest.readUInt32BE(0) % SLOTS;
}

/**
 * Preferred ports for a home: 40000 + slot*10 + k. A whole stack sits in one block of ten, which makes
 * `ss -ltn` output readable, and the range stays below the RabbitMQ CLI's dist-port range (+10000).
 */
export function preferredPorts(home: string): StackPorts {
  const start = BASE + homeSlot(home) * STRIDE;
  return { postgres: start, redis: start + 1, amqp: start + 2, management: start + 3, dist: start + 4, epmd: start + 5 };
}

export type PortProbe = (port: number) => Promise<boolean>;

/** True when 127.0.0.1:port can be bound right now. */
export const portFree: PortProbe = (port) =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });

/** A port the kernel considers free right now (bind to 0). */
export function ephemeralPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('Could not obtain a free port.'))));
    });
  });
}

/**
 * For each requested key: keep the previous port (from the state file) or the preferred one when it is
 * free, otherwise fall back to a kernel-chosen free port. Never returns the same port for two keys.
 * Probe and fallback are injectable so the choice is unit-testable without binding sockets.
 */
export async function choosePorts<K extends PortKey>(
  keys: readonly K[],
  wanted: Partial<Record<PortKey, number>>,
  probe: PortProbe = portFree,
  fallback: () => Promise<number> = ephemeralPort,
): Promise<Record<K, number>> {
  const taken = new Set<number>();
  const out = {} as Record<K, number>;
  for (const key of keys) {
    const want = wanted[key];
    let port: number | undefined;
    if (want !== undefined && !taken.has(want) && (await probe(want))) port = want;
    for (let tries = 0; port === undefined && tries < 20; tries++) {
      const candidate = await fallback();
      if (!taken.has(candidate)) port = candidate;
    }
    if (port === undefined) throw new Error(`Could not find a free port for ${key}: free some local ports and retry.`);
    taken.add(port);
    out[key] = port;
  }
  return out;
}
