import { join } from 'node:path';
import { withStackLock } from './lock';
import { choosePorts, preferredPorts, type PortKey } from './ports';
import { startPostgres, stopPostgres, postgresSignature } from './postgres';
import { pidOwned, tcpOpen } from './proc';
import { startRabbitmq, stopRabbitmq, rabbitSignature, defaultNodeName } from './rabbitmq';
import { deriveManagementUrl, redactUrl, urlWith } from './redact';
import { startRedis, stopRedis, redisSignature, redisUrl } from './redis';
import { readState, stackDir, writeState, type StackState } from './state';
import { noLog, type LogFn } from './types';

export interface StackOptions {
  home: string;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}
export interface StackEndpoints {
  databaseUrl: string;
  rabbitmqUrl: string;
  rabbitmqManagementUrl: string;
  redisUrl: string;
}
/**
 * `state: 'stopped'` with a non-null `pid` means our process is alive but its port does not answer
 * (booting, hung): `up` will not start a second copy over the same data dir.
 */
export interface ServiceStatus {
  name: 'postgres' | 'rabbitmq' | 'redis';
  state: 'running' | 'stopped' | 'external';
  pid: number | null;
  url: string | null /* redacted */;
}
export interface StackStatus {
  home: string;
  services: ServiceStatus[];
  endpoints: StackEndpoints | null /* with credentials, for the engine */;
}

type Name = ServiceStatus['name'];
const NAMES: readonly Name[] = ['postgres', 'rabbitmq', 'redis'];
const ENV_VAR: Record<Name, 'DATABASE_URL' | 'RABBITMQ_URL' | 'REDIS_URL'> = {
  postgres: 'DATABASE_URL',
  rabbitmq: 'RABBITMQ_URL',
  redis: 'REDIS_URL',
};

const serviceDir = (home: string, name: Name): string => join(stackDir(home), name);
const envOf = (opts: StackOptions): NodeJS.ProcessEnv => opts.env ?? process.env;
const externalUrl = (opts: StackOptions, name: Name): string | null => envOf(opts)[ENV_VAR[name]] || null;

/** Whether the PID recorded for a service is still that server (not a reused PID). */
function ownedPid(home: string, state: StackState, name: Name): number | null {
  if (name === 'postgres' && state.postgres?.pid) return pidOwned(state.postgres.pid, postgresSignature(state.postgres.dataDir)) ? state.postgres.pid : null;
  if (name === 'rabbitmq' && state.rabbitmq?.pid) return pidOwned(state.rabbitmq.pid, rabbitSignature(serviceDir(home, 'rabbitmq'))) ? state.rabbitmq.pid : null;
  if (name === 'redis' && state.redis?.pid) return pidOwned(state.redis.pid, redisSignature(state.redis.port)) ? state.redis.pid : null;
  return null;
}

function localUrl(state: StackState, name: Name): string | null {
  if (name === 'postgres' && state.postgres) {
    const p = state.postgres;
    return urlWith('postgres', p.user, p.password, p.port, `/${encodeURIComponent(p.database)}`);
  }
  if (name === 'rabbitmq' && state.rabbitmq) return urlWith('amqp', state.rabbitmq.user, state.rabbitmq.password, state.rabbitmq.port);
  if (name === 'redis' && state.redis) return redisUrl(state.redis.port, state.redis.password);
  return null;
}

function livenessPort(state: StackState, name: Name): number | null {
  return name === 'postgres' ? (state.postgres?.port ?? null) : name === 'rabbitmq' ? (state.rabbitmq?.managementPort ?? null) : (state.redis?.port ?? null);
}

async function computeStatus(opts: StackOptions, state: StackState): Promise<StackStatus> {
  const log = opts.log ?? noLog;
  const services = await Promise.all(
    NAMES.map(async (name): Promise<ServiceStatus & { fullUrl: string | null }> => {
      const ext = externalUrl(opts, name);
      if (ext) return { name, state: 'external', pid: null, url: redactUrl(ext), fullUrl: ext };
      const pid = ownedPid(opts.home, state, name);
      const port = livenessPort(state, name);
      if (pid === null || port === null) return { name, state: 'stopped', pid: null, url: null, fullUrl: null };
      if (!(await tcpOpen(port))) {
        log(`${name}: pid ${pid} is alive but 127.0.0.1:${port} does not answer`);
        return { name, state: 'stopped', pid, url: null, fullUrl: null };
      }
      const full = localUrl(state, name);
      return { name, state: 'running', pid, url: full ? redactUrl(full) : null, fullUrl: full };
    }),
  );
  const byName = Object.fromEntries(services.map((s) => [s.name, s])) as Record<Name, (typeof services)[number]>;
  let endpoints: StackEndpoints | null = null;
  const { postgres, rabbitmq, redis } = byName;
  if (postgres.fullUrl && rabbitmq.fullUrl && redis.fullUrl) {
    const mgmtEnv = envOf(opts).RABBITMQ_MANAGEMENT_URL;
    const management =
      rabbitmq.state === 'external'
        ? mgmtEnv || deriveManagementUrl(rabbitmq.fullUrl)
        : urlWith('http', state.rabbitmq?.user ?? '', state.rabbitmq?.password ?? '', state.rabbitmq?.managementPort ?? 0);
    endpoints = { databaseUrl: postgres.fullUrl, rabbitmqUrl: rabbitmq.fullUrl, rabbitmqManagementUrl: management, redisUrl: redis.fullUrl };
  }
  return { home: opts.home, services: services.map(({ fullUrl: _omit, ...s }) => s), endpoints };
}

/** Starts every service that is neither running nor external, in parallel; already running → reported as is. */
export function stackUp(opts: StackOptions): Promise<StackStatus> {
  const log = opts.log ?? noLog;
  return withStackLock(stackDir(opts.home), async () => {
    const state = await readState(opts.home);
    const toStart = NAMES.filter((n) => !externalUrl(opts, n) && ownedPid(opts.home, state, n) === null);
    for (const n of NAMES) if (!toStart.includes(n)) log(`${n}: ${externalUrl(opts, n) ? 'external' : 'already running'}`);
    if (toStart.length === 0) return computeStatus(opts, state);

    // Previous ports first (stable URLs), then this home's preferred block, then any free port.
    const pref = preferredPorts(opts.home);
    const keys: PortKey[] = [];
    if (toStart.includes('postgres')) keys.push('postgres');
    if (toStart.includes('redis')) keys.push('redis');
    if (toStart.includes('rabbitmq')) keys.push('amqp', 'management', 'dist', 'epmd');
    const ports = await choosePorts(keys, {
      postgres: state.postgres?.port ?? pref.postgres,
      redis: state.redis?.port ?? pref.redis,
      amqp: state.rabbitmq?.port ?? pref.amqp,
      management: state.rabbitmq?.managementPort ?? pref.management,
      dist: state.rabbitmq?.distPort ?? pref.dist,
      epmd: state.rabbitmq?.epmdPort ?? pref.epmd,
    });
    const at = (k: PortKey): number => ports[k as keyof typeof ports];
    const tag = (name: Name): LogFn => (line) => log(`${name}: ${line}`);

    const starters: Record<Name, () => Promise<void>> = {
      postgres: async () => {
        const s = await startPostgres({ dir: serviceDir(opts.home, 'postgres'), port: at('postgres'), password: state.postgres?.password, log: tag('postgres') });
        state.postgres = { pid: s.pid, port: s.port, user: s.user, password: s.password, database: s.database, dataDir: s.dataDir };
      },
      rabbitmq: async () => {
        const dir = serviceDir(opts.home, 'rabbitmq');
        const r = state.rabbitmq;
        const s = await startRabbitmq({
          dir,
          ports: { amqp: at('amqp'), management: at('management'), dist: at('dist'), epmd: at('epmd') },
          nodeName: r?.nodeName ?? defaultNodeName(dir),
          user: r?.user,
          password: r?.password,
          log: tag('rabbitmq'),
        });
        state.rabbitmq = {
          pid: s.pid,
          epmdPid: s.epmdPid,
          port: s.ports.amqp,
          managementPort: s.ports.management,
          distPort: s.ports.dist,
          epmdPort: s.ports.epmd,
          nodeName: s.nodeName,
          user: s.user,
          password: s.password,
        };
      },
      redis: async () => {
        const s = await startRedis({ dir: serviceDir(opts.home, 'redis'), port: at('redis'), password: state.redis?.password, log: tag('redis') });
        state.redis = { pid: s.pid, port: s.port, password: s.password };
      },
    };
    const results = await Promise.allSettled(toStart.map((n) => starters[n]()));
    // Record whatever did start, even when another service failed, so `down` can stop it.
    await writeState(opts.home, state);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    return computeStatus(opts, state);
  });
}

/** Stops exactly the processes `up` recorded (PID checked against /proc), waits for them to exit. */
export function stackDown(opts: StackOptions): Promise<StackStatus> {
  const log = opts.log ?? noLog;
  return withStackLock(stackDir(opts.home), async () => {
    const state = await readState(opts.home);
    const stops: Promise<void>[] = [];
    const t0 = Date.now();
    const timed = (name: Name, p: Promise<boolean>): Promise<void> =>
      p.then((stopped) => log(stopped ? `${name}: stopped in ${Date.now() - t0} ms` : `${name}: was not running (recorded PID gone or reused)`));
    const pg = state.postgres;
    if (pg?.pid) stops.push(timed('postgres', stopPostgres(pg.pid, pg.dataDir)).then(() => void (pg.pid = null)));
    const rb = state.rabbitmq;
    if (rb && (rb.pid || rb.epmdPid)) {
      const dir = serviceDir(opts.home, 'rabbitmq');
      stops.push(
        timed('rabbitmq', stopRabbitmq({ dir, pid: rb.pid, epmdPid: rb.epmdPid, epmdPort: rb.epmdPort })).then(() => {
          rb.pid = null;
          rb.epmdPid = null;
        }),
      );
    }
    const rd = state.redis;
    if (rd?.pid) stops.push(timed('redis', stopRedis(rd.pid, rd.port)).then(() => void (rd.pid = null)));
    if (stops.length === 0) log('nothing to stop');
    const results = await Promise.allSettled(stops);
    await writeState(opts.home, state);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    return computeStatus(opts, state);
  });
}

/** Reads the state file and checks each recorded PID (ownership) and port (liveness). Starts nothing. */
export async function stackStatus(opts: StackOptions): Promise<StackStatus> {
  return computeStatus(opts, await readState(opts.home));
}

/* Lower-level starters for tests that need a private server they can stop (each returns a RunningService). */
export { startPostgres, type PostgresOptions, type StartedPostgres } from './postgres';
export { startRabbitmq, type RabbitmqOptions, type StartedRabbitmq } from './rabbitmq';
export { startRedis, type RedisOptions, type StartedRedis } from './redis';
export type { RunningService } from './types';
