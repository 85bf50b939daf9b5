import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { ensureBinaries } from './binaries';
import { choosePorts } from './ports';
import { logTail, pidAlive, pidOwned, spawnDetached, stopPid, waitFor, type PidSignature } from './proc';
import { noLog, type LogFn, type RunningService } from './types';

export interface RedisOptions {
  /** Private directory for config, log and data. */
  dir: string;
  port?: number;
  password?: string;
  log?: LogFn;
}

export interface StartedRedis extends RunningService {
  port: number;
  password: string;
}

/** Redis rewrites its process title to `redis-server 127.0.0.1:<port>`, which is what /proc shows. */
export const redisSignature = (port: number): PidSignature => ({ exe: 'redis-server', includes: [`127.0.0.1:${port}`] });

export const redisUrl = (port: number, password: string): string => `redis://:${encodeURIComponent(password)}@127.0.0.1:${port}`;

/** AUTH + PING over a raw socket (RESP arrays): no client library, no reconnect loops while waiting. */
export function redisPing(port: number, password: string, timeoutMs = 1_000): Promise<boolean> {
  const resp = (...parts: string[]): string => `*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join('')}`;
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let buf = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write(resp('AUTH', password) + resp('PING')));
    socket.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      if (buf.includes('+PONG')) done(true);
      else if (buf.startsWith('-') && buf.includes('\r\n')) done(false);
    });
  });
}

/**
 * Starts redis-server on 127.0.0.1 with a private dir and a generated password (requirepass), detached.
 * The config file (0600) carries the password so it never appears in /proc/<pid>/cmdline.
 * Nothing is persisted (save "", no AOF): the stack's Redis holds locks and live events only.
 */
export async function startRedis(opts: RedisOptions): Promise<StartedRedis> {
  const log = opts.log ?? noLog;
  const { redisServer } = await ensureBinaries(['redisServer'], log);
  await mkdir(opts.dir, { recursive: true, mode: 0o700 });
  const port = opts.port ?? (await choosePorts(['redis'], {})).redis;
  const password = opts.password ?? randomBytes(18).toString('hex');
  const conf = join(opts.dir, 'redis.conf');
  const logFile = join(opts.dir, 'redis.log');
  await writeFile(
    conf,
    [
      'bind 127.0.0.1',
      `port ${port}`,
      'protected-mode yes',
      `dir ${opts.dir}`,
      'save ""',
      'appendonly no',
      'daemonize no',
      `logfile ${logFile}`,
      `requirepass ${password}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const started = Date.now();
  const child = spawnDetached(redisServer, [conf], join(opts.dir, 'redis.out'));
  try {
    await waitFor(
      async () => {
        if (child.exited()) throw new Error(`redis-server exited during startup: ${logTail(logFile) || logTail(join(opts.dir, 'redis.out'))}`);
        return redisPing(port, password, 500);
      },
      15_000,
      `Redis did not answer PING on 127.0.0.1:${port} within 15 s: see ${logFile}.`,
      20,
    );
  } catch (err) {
    await stopPid(child.pid, 'SIGTERM', 5_000); // never leave a half-started server behind
    throw err;
  }
  log(`redis ready on 127.0.0.1:${port} (pid ${child.pid}) in ${Date.now() - started} ms`);
  const pid = child.pid;
  return {
    name: 'redis',
    pid,
    port,
    password,
    url: redisUrl(port, password),
    stop: async () => void (await stopRedis(pid, port)),
  };
}

/** SIGTERM is Redis's clean shutdown; only signalled when the PID is still that server. */
export async function stopRedis(pid: number, port: number): Promise<boolean> {
  if (!pidAlive(pid) || !pidOwned(pid, redisSignature(port))) return false;
  await stopPid(pid, 'SIGTERM', 10_000);
  return true;
}
