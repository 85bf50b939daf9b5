import { spawn, type SpawnOptions } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';

/** Reads the NUL-separated argv of a process; null when the process is gone or unreadable. */
export type CmdlineReader = (pid: number) => string[] | null;

export const readProcCmdline: CmdlineReader = (pid) => {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').filter((part) => part.length > 0);
  } catch {
    return null;
  }
};

/**
 * What a recorded PID must look like to still be "ours": an executable name that appears in argv[0]
 * and strings that must all appear somewhere in the command line (data dir, node name, port...).
 * PIDs are reused by the kernel, so `down` must never signal a PID on the strength of the number alone.
 */
export interface PidSignature {
  exe: string;
  includes: string[];
}

/** Pure check of a command line against a signature (unit-tested). */
export function cmdlineMatches(cmdline: string[] | null, sig: PidSignature): boolean {
  if (!cmdline || cmdline.length === 0) return false;
  const argv0 = cmdline[0] ?? '';
  if (!argv0.includes(sig.exe)) return false;
  // Token-bounded match: `-port 4000` must not match `-port 40005`.
  const joined = ` ${cmdline.join(' ').replace(/\s+/g, ' ').trim()} `;
  return sig.includes.every((needle) => joined.includes(` ${needle} `));
}

/** True when the PID exists and is not a zombie (a zombie has exited, only its parent has not reaped it). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM means it exists but belongs to someone else: still alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true; // no /proc (macOS): trust kill(0)
  }
}

export function pidOwned(pid: number, sig: PidSignature, read: CmdlineReader = readProcCmdline): boolean {
  return pidAlive(pid) && cmdlineMatches(read(pid), sig);
}

/** Resolves once `check` returns true; rejects with `message` after `timeoutMs`. Polls, no fixed sleeps. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  message: string,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Sends `signal`, waits for exit, escalates to SIGKILL after `timeoutMs`. Returns how it ended. */
export async function stopPid(
  pid: number,
  signal: NodeJS.Signals,
  timeoutMs: number,
): Promise<'exited' | 'killed' | 'gone'> {
  if (!pidAlive(pid)) return 'gone';
  try {
    process.kill(pid, signal);
  } catch {
    return 'gone';
  }
  try {
    await waitFor(() => !pidAlive(pid), timeoutMs, 'timeout', 50);
    return 'exited';
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* exited in between */
    }
    await waitFor(() => !pidAlive(pid), 5_000, `Process ${pid} survived SIGKILL.`, 50);
    return 'killed';
  }
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function tcpOpen(port: number, host = '127.0.0.1', timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface DetachedChild {
  pid: number;
  /** Set when the child exited while we were still watching (during startup). */
  exited: () => { code: number | null; signal: NodeJS.Signals | null } | null;
}

/**
 * Starts a server in its own session/process group with output going to `logFile`, so it survives the
 * CLI process (no pipes back to us, no SIGHUP from our terminal). We keep watching its exit while this
 * process lives so startup can fail fast with the log tail instead of waiting for a timeout.
 */
export function spawnDetached(
  command: string,
  args: string[],
  logFile: string,
  opts: Pick<SpawnOptions, 'env' | 'cwd' | 'uid' | 'gid'> = {},
): DetachedChild {
  const fd = openSync(logFile, 'a', 0o600);
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  try {
    const child = spawn(command, args, { ...opts, detached: true, stdio: ['ignore', fd, fd] });
    // Handlers first: a missing binary emits 'error' asynchronously, which would otherwise crash us.
    child.on('error', () => {
      exitInfo = { code: -1, signal: null };
    });
    child.on('exit', (code, signal) => {
      exitInfo = { code, signal };
    });
    if (child.pid === undefined) throw new Error(`Could not start ${command}: the executable was not found or is not runnable.`);
    child.unref();
    return { pid: child.pid, exited: () => exitInfo };
  } finally {
    closeSync(fd);
  }
}

/** Last lines of a log file, for one-line error messages that point at the cause. */
export function logTail(file: string, lines = 3): string {
  try {
    const text = readFileSync(file, 'utf8').trim().split('\n');
    return text.slice(-lines).join(' | ').slice(0, 400);
  } catch {
    return '';
  }
}
