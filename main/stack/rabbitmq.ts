import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ensureBinaries } from './binaries';
import { choosePorts } from './ports';
import { logTail, pidAlive, pidOwned, spawnDetached, stopPid, tcpOpen, waitFor, type PidSignature } from './proc';
import { urlWith } from './redact';
import { noLog, type LogFn, type RunningService } from './types';

export interface RabbitmqPorts {
  amqp: number;
  management: number;
  dist: number;
  epmd: number;
}

export interface RabbitmqOptions {
  /** Private directory: Erlang HOME (cookie), mnesia, logs, config. */
  dir: string;
  ports?: Partial<RabbitmqPorts>;
  /** Unique per instance so two brokers never share a node identity; default derived from `dir`. */
  nodeName?: string;
  user?: string;
  password?: string;
  log?: LogFn;
}

export interface StartedRabbitmq extends RunningService {
  managementUrl: string;
  epmdPid: number;
  ports: RabbitmqPorts;
  nodeName: string;
  user: string;
  password: string;
}

export const defaultNodeName = (dir: string): string =>
  `sluice-${createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 10)}@localhost`;

/** The node name is not in beam.smp's argv (it comes from env), but `-home <dir>/home` is, and it is unique per instance. */
export const rabbitSignature = (dir: string): PidSignature => ({ exe: 'beam', includes: [`-home ${join(resolve(dir), 'home')}`] });
export const epmdSignature = (port: number): PidSignature => ({ exe: 'epmd', includes: [`-port ${port}`] });

/** /api/overview with basic auth; true when the management API (hence the broker) is up. */
export async function managementAlive(port: number, user: string, password: string): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/overview`, {
      headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
      signal: AbortSignal.timeout(2_000),
    });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

function rabbitEnv(dir: string, rabbitBin: string, ports: RabbitmqPorts, nodeName: string): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('RABBITMQ_') && !k.startsWith('ERL_')));
  return {
    ...base,
    HOME: join(dir, 'home'), // the Erlang cookie is created here, private to this instance
    PATH: `${dirname(rabbitBin)}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(ports.amqp),
    RABBITMQ_DIST_PORT: String(ports.dist),
    ERL_EPMD_ADDRESS: '127.0.0.1',
    ERL_EPMD_PORT: String(ports.epmd),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_PID_FILE: join(dir, 'rabbit.pid'),
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}', // dist port on loopback only
  };
}

/**
 * Starts a private RabbitMQ (management plugin on) from the real scripts in /usr/lib/rabbitmq/bin,
 * detached, with its own epmd on its own port (so instances never share an epmd and we hold its PID;
 * otherwise beam would spawn an orphan `epmd -daemon`). Readiness = the management API answers, which
 * happens after the broker has booted. No rabbitmqctl: CLI tools need extra dist ports and ~1 s each.
 */
export async function startRabbitmq(opts: RabbitmqOptions): Promise<StartedRabbitmq> {
  const log = opts.log ?? noLog;
  const bins = await ensureBinaries(['rabbitmqServer', 'epmd'], log);
  const dir = resolve(opts.dir);
  for (const sub of ['', 'home', 'mnesia', 'log']) await mkdir(join(dir, sub), { recursive: true, mode: 0o700 });
  const ports = await choosePorts(['amqp', 'management', 'dist', 'epmd'], opts.ports ?? {});
  const nodeName = opts.nodeName ?? defaultNodeName(dir);
  const user = opts.user ?? 'sluice';
  const password = opts.password ?? randomBytes(18).toString('hex');
  // default_user/default_pass only take effect when mnesia is fresh; the stack keeps them in its state file.
  await writeFile(
    join(dir, 'rabbitmq.conf'),
    [
      `listeners.tcp.default = 127.0.0.1:${ports.amqp}`,
      'management.tcp.ip = 127.0.0.1',
      `management.tcp.port = ${ports.management}`,
      `default_user = ${user}`,
      `default_pass = ${password}`,
      'default_user_tags.administrator = true',
      'loopback_users = none',
      'log.console = false',
      'log.file.level = info',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  // What `rabbitmq-plugins enable --offline rabbitmq_management` writes, without its 0.5 s of Erlang boot.
  await writeFile(join(dir, 'enabled_plugins'), '[rabbitmq_management].\n', { mode: 0o600 });

  const started = Date.now();
  const env = rabbitEnv(dir, bins.rabbitmqServer, ports, nodeName);
  const epmd = spawnDetached(bins.epmd, ['-address', '127.0.0.1', '-port', String(ports.epmd)], join(dir, 'log', 'epmd.out'), { env });
  const serverOut = join(dir, 'log', 'server.out');
  let launcher: ReturnType<typeof spawnDetached> | null = null;
  try {
    await waitFor(() => tcpOpen(ports.epmd), 5_000, `epmd did not listen on 127.0.0.1:${ports.epmd} within 5 s.`, 20);
    launcher = spawnDetached(bins.rabbitmqServer, [], serverOut, { env, cwd: dir });
    const l = launcher;
    await waitFor(
      async () => {
        if (l.exited()) throw new Error(`RabbitMQ exited during startup: ${logTail(serverOut)}`);
        return managementAlive(ports.management, user, password);
      },
      60_000,
      `RabbitMQ's management API did not answer on 127.0.0.1:${ports.management} within 60 s: see ${join(dir, 'log')}.`,
      100,
    );
  } catch (err) {
    if (launcher) await stopPid(launcher.pid, 'SIGTERM', 15_000);
    await stopPid(epmd.pid, 'SIGTERM', 5_000);
    throw err;
  }
  const pid = Number((await readFile(join(dir, 'rabbit.pid'), 'utf8')).trim());
  if (!Number.isInteger(pid) || !pidOwned(pid, rabbitSignature(dir))) {
    throw new Error(`RabbitMQ started but its PID file ${join(dir, 'rabbit.pid')} does not point at the broker: stop it by hand.`);
  }
  log(`rabbitmq ready on 127.0.0.1:${ports.amqp} (management ${ports.management}, pid ${pid}) in ${Date.now() - started} ms`);
  const epmdPid = epmd.pid;
  return {
    name: 'rabbitmq',
    pid,
    epmdPid,
    ports,
    nodeName,
    user,
    password,
    url: urlWith('amqp', user, password, ports.amqp),
    managementUrl: urlWith('http', user, password, ports.management),
    stop: async () => void (await stopRabbitmq({ dir, pid, epmdPid, epmdPort: ports.epmd })),
  };
}

/** SIGTERM makes the broker shut down cleanly (~6 s); epmd goes after it, since beam deregisters on the way out. */
export async function stopRabbitmq(p: { dir: string; pid: number | null; epmdPid: number | null; epmdPort: number }): Promise<boolean> {
  let stopped = false;
  if (p.pid !== null && pidAlive(p.pid) && pidOwned(p.pid, rabbitSignature(p.dir))) {
    await stopPid(p.pid, 'SIGTERM', 30_000);
    stopped = true;
  }
  if (p.epmdPid !== null && pidAlive(p.epmdPid) && pidOwned(p.epmdPid, epmdSignature(p.epmdPort))) {
    await stopPid(p.epmdPid, 'SIGTERM', 5_000);
    stopped = true;
  }
  return stopped;
}
