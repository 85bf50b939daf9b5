import amqp from 'amqplib';
import { Redis } from 'ioredis';
import pg from 'pg';

import type { Probe } from './probe';

/**
 * One probe per service. Each opens its own short-lived connection, so a probe reflects whether a
 * new connection can be made right now, not whether an old pooled socket happens to survive.
 */
export const probePostgres: Probe = async (url, timeoutMs) => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const res = await client.query<{ server_version: string }>('SHOW server_version');
    // "15.18 (Debian 15.18-0+deb12u1)" → "15.18": the packaging suffix is noise on the System page.
    return { version: res.rows[0]?.server_version.split(' ')[0] ?? null };
  } finally {
    await client.end().catch(() => undefined);
  }
};

export const probeRabbitmq =
  (managementUrl: string | null): Probe =>
  async (url, timeoutMs) => {
    const conn = await amqp.connect(url, { timeout: timeoutMs });
    conn.on('error', () => undefined);
    try {
      const props = conn.connection.serverProperties as { version?: unknown };
      const version = typeof props.version === 'string' ? props.version : null;
      const note = managementUrl ? await managementNote(managementUrl, timeoutMs) : 'Management API not configured: queue depths will not be shown.';
      return note ? { version, note } : { version };
    } finally {
      await conn.close().catch(() => undefined);
    }
  };

/** The console reads queue depths from the management API; say so when it is missing. */
const managementNote = async (managementUrl: string, timeoutMs: number): Promise<string | undefined> => {
  const url = new URL('/api/overview', managementUrl);
  const auth = Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64');
  url.username = '';
  url.password = '';
  try {
    const res = await fetch(url, { headers: { authorization: `Basic ${auth}` }, signal: AbortSignal.timeout(timeoutMs) });
    return res.ok ? undefined : `Management API answered HTTP ${res.status}: check RABBITMQ_MANAGEMENT_URL credentials.`;
  } catch {
    return 'Management API not reachable: queue depths will not be shown. Enable the rabbitmq_management plugin or check RABBITMQ_MANAGEMENT_URL.';
  }
};

export const probeRedis: Probe = async (url, timeoutMs) => {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const info = await redis.info('server');
    const version = /redis_version:([^\r\n]+)/.exec(info)?.[1] ?? null;
    return { version };
  } finally {
    redis.disconnect();
  }
};

export const probeQdrant =
  (apiKey: string | null): Probe =>
  async (url, timeoutMs) => {
    const headers: Record<string, string> = apiKey ? { 'api-key': apiKey } : {};
    const res = await fetch(new URL('/', url), { headers, signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`HTTP ${res.status}${res.status === 401 || res.status === 403 ? ': check QDRANT_API_KEY' : ''}`);
    const body = (await res.json()) as { version?: unknown };
    return { version: typeof body.version === 'string' ? body.version : null };
  };
