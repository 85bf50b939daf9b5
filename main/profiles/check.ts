import amqp from 'amqplib';
import { Redis } from 'ioredis';
import pg from 'pg';

import { SERVICE_URLS, type ProfileServiceKey, type ServiceCheck } from '../../shared/contract/profiles';
import { withTimeout } from '../engine/health/probe';
import { probeQdrant } from '../engine/health/probes';
import { displayUrl, joinSecret } from './credentials';
import type { ResolvedProfile } from './model';

/**
 * "Test connection" per service of a profile: each service gets a fresh connection with the
 * profile's credentials, and a failure says precisely what went wrong (refused, unknown host, wrong
 * password, missing database or virtual host, timeout) and what to change in the profile.
 */
type Services = ResolvedProfile['services'];
interface Probed {
  readonly version: string | null;
  /** A caveat while up. */
  readonly note?: string;
}

const pgProbe = async (url: string, timeoutMs: number, service: 'postgres' | 'postgresReplica'): Promise<Probed> => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ v: string; standby: boolean; schema: string | null }>("SELECT current_setting('server_version') AS v, pg_is_in_recovery() AS standby, to_regclass('sluice_migrations')::text AS schema");
    const row = rows[0];
    const version = row?.v.split(' ')[0] ?? null;
    if (service === 'postgres' && row?.standby) throw new ProbeFailure('this server is a read-only standby: point Postgres at the primary (writes go there) and use the standby as the read replica');
    const notes: string[] = [];
    if (service === 'postgresReplica' && !row?.standby) notes.push('this server is a primary, not a standby: reads work but take no load off the primary');
    if (!row?.schema) notes.push(service === 'postgres' ? 'no Sluice schema yet: the engine applies the migrations when it starts (or run `sluice migrate`)' : 'no Sluice schema here yet: check that this is a replica of the platform database');
    return notes.length ? { version, note: `Connected; ${notes.join('; ')}.` } : { version };
  } finally {
    await client.end().catch(() => undefined);
  }
};

const amqpProbe = async (url: string, timeoutMs: number): Promise<Probed> => {
  const conn = await amqp.connect(url, { timeout: timeoutMs });
  conn.on('error', () => undefined);
  try {
    const version = (conn.connection.serverProperties as { version?: unknown }).version;
    return { version: typeof version === 'string' ? version : null };
  } finally {
    await conn.close().catch(() => undefined);
  }
};

const managementProbe = async (url: string, timeoutMs: number): Promise<Probed> => {
  const target = new URL('api/overview', url.endsWith('/') ? url : `${url}/`);
  const auth = Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString('base64');
  target.username = '';
  target.password = '';
  const res = await fetch(target, { headers: { authorization: `Basic ${auth}` }, signal: AbortSignal.timeout(timeoutMs) });
  if (res.status === 401) throw new ProbeFailure('the management API refused the user and password (HTTP 401): check them, and that the user has the "monitoring" or "management" tag');
  if (!res.ok) throw new ProbeFailure(`the management API answered HTTP ${res.status}: check the URL (it is the management port, usually 15672, not 5672)`);
  const body = (await res.json().catch(() => ({}))) as { rabbitmq_version?: unknown };
  return { version: typeof body.rabbitmq_version === 'string' ? body.rabbitmq_version : null };
};

const redisProbe = async (url: string, timeoutMs: number): Promise<Probed> => {
  let lastError: Error | null = null;
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  // ioredis rejects connect() with a bare "Connection is closed"; the reason arrives as an error event.
  redis.on('error', (error: Error) => (lastError = error));
  try {
    await redis.connect();
    const info = await redis.info('server');
    return { version: /redis_version:([^\r\n]+)/.exec(info)?.[1] ?? null };
  } catch (error) {
    throw lastError ?? error;
  } finally {
    redis.disconnect();
  }
};

const probeOf = (service: ProfileServiceKey, services: Services) => (url: string, timeoutMs: number): Promise<Probed> => {
  switch (service) {
    case 'postgres':
    case 'postgresReplica':
      return pgProbe(url, timeoutMs, service);
    case 'rabbitmq':
      return amqpProbe(url, timeoutMs);
    case 'rabbitmqManagement':
      return managementProbe(url, timeoutMs);
    case 'redis':
      return redisProbe(url, timeoutMs);
    case 'qdrant':
      return probeQdrant(services.qdrant.secret)(url, timeoutMs);
  }
};

/** A failure the probe itself diagnosed; its message is already the explanation. */
class ProbeFailure extends Error {}

/** What went wrong, in words an operator can act on, with the driver's own message for precision. */
export const explainFailure = (service: ProfileServiceKey, error: unknown, url: string): string => {
  if (error instanceof ProbeFailure) return error.message;
  const e = error as { code?: unknown; message?: unknown; cause?: { code?: unknown } };
  // fetch (Qdrant, the management API) says only "fetch failed"; the socket's code is in its cause.
  const code = typeof e.code === 'string' ? e.code : typeof e.cause?.code === 'string' ? e.cause.code : '';
  const message = typeof e.message === 'string' ? e.message : String(error);
  const parsed = new URL(url);
  const where = `${parsed.hostname}:${parsed.port || defaultPort(service)}`;
  const user = decodeURIComponent(parsed.username) || '(no user)';
  const label = SERVICE_URLS[service].label;
  const secret = SERVICE_URLS[service].secretLabel;
  if (code === 'ECONNREFUSED') return `nothing is listening at ${where} (connection refused): check the host and port, and that ${label} is running`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the host name "${parsed.hostname}" does not resolve (${code}): check its spelling, or your VPN and DNS`;
  if (code === 'ECONNRESET' || code === 'EPIPE') return `${where} closed the connection (${code}): it may expect TLS (${tlsHint(service)}) or be another kind of server`;
  if (code === 'ETIMEDOUT' || /no answer within|timeout|timed out/i.test(message)) return `no answer from ${where} in time: a firewall may drop the traffic, or the host or port is wrong`;
  if (code === '28P01' || code === '28000') return `Postgres refused user "${user}": ${message}. Check the user and ${secret} (and pg_hba.conf for this machine's address)`;
  if (code === '3D000') return `${message}: create it, or fix the database name at the end of the URL`;
  if (code === '53300') return `Postgres has no free connections (${message}): raise max_connections or close idle clients`;
  if (/ACCESS.REFUSED/i.test(message)) return `RabbitMQ refused user "${user}" (ACCESS_REFUSED): check the user and ${secret}`;
  if (/ConnectionOpenOk|NOT.ALLOWED|vhost/i.test(message)) return `RabbitMQ accepted the login but not the virtual host "${decodeURIComponent(parsed.pathname.slice(1)) || '/'}": create it or give the user access to it (${message})`;
  if (/WRONGPASS|invalid password|invalid username-password/i.test(message)) return `Redis refused the ${secret} (${message.split('\n')[0]}): check it`;
  if (/NOAUTH/i.test(message)) return `Redis needs a ${secret}: add it to the profile`;
  if (/certificate|self.signed|SSL|TLS/i.test(message)) return `the TLS handshake failed (${message}): check the certificate, or the URL scheme`;
  return message;
};

const defaultPort = (service: ProfileServiceKey): string =>
  ({ postgres: '5432', postgresReplica: '5432', rabbitmq: '5672', rabbitmqManagement: '15672', redis: '6379', qdrant: '6333' })[service];

const tlsHint = (service: ProfileServiceKey): string =>
  ({ postgres: 'add ?sslmode=require', postgresReplica: 'add ?sslmode=require', rabbitmq: 'use amqps://', rabbitmqManagement: 'use https://', redis: 'use rediss://', qdrant: 'use https://' })[service];

/** Checks the services (all configured ones by default) in parallel; each has its own timeout. */
export const checkServices = async (services: Services, which: readonly ProfileServiceKey[] | undefined, timeoutMs = 5000): Promise<ServiceCheck[]> => {
  const keys = which ?? (Object.keys(SERVICE_URLS) as ProfileServiceKey[]);
  return Promise.all(
    keys.map(async (service): Promise<ServiceCheck> => {
      const { url, secret } = services[service];
      const label = SERVICE_URLS[service].label;
      if (!url) {
        return { service, state: 'not_configured', version: null, latencyMs: null, target: null, message: service === 'postgres' ? 'Postgres is not set: the console has nothing to show without it.' : `${label} is not set (optional).` };
      }
      const target = displayUrl(url);
      const started = performance.now();
      try {
        const result = await withTimeout(probeOf(service, services)(joinSecret(service, url, secret), timeoutMs), timeoutMs + 500, `${label} check`);
        const latencyMs = Math.round((performance.now() - started) * 10) / 10;
        return { service, state: 'up', version: result.version, latencyMs, target, message: result.note ?? `Connected${result.version ? ` (version ${result.version})` : ''}.` };
      } catch (error) {
        return { service, state: 'down', version: null, latencyMs: null, target, message: `${label} at ${target}: ${explainFailure(service, error, url)}.` };
      }
    }),
  );
};
