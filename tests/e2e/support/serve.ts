import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface ServeProcess {
  readonly url: string;
  readonly loginUrl: string;
  readonly token: string;
  stop(): Promise<void>;
}

const ROOT = new URL('../../..', import.meta.url).pathname;
const STOP_TIMEOUT_MS = 30_000;

/**
 * Starts the built `sluice serve` (or another command that serves the console) as a separate
 * process, as an operator would, on a free port with its own home and token, and resolves once it
 * prints its URL.
 */
export const startServe = async (env: Record<string, string | undefined> = {}, args: readonly string[] = [], command: readonly string[] = ['serve']): Promise<ServeProcess> => {
  const token = randomBytes(18).toString('base64url');
  const home = mkdtempSync(join(process.env['SLUICE_TEST_WORK'] ?? tmpdir(), 'serve-'));
  // `command`: `serve`, or e.g. `open file.sluice --headless`, which serves the same console.
  const child: ChildProcess = spawn(process.execPath, ['bin/sluice.js', ...command, '--port', '0', ...args], {
    cwd: ROOT,
    env: { ...process.env, SLUICE_HOME: home, SLUICE_TOKEN: token, SLUICE_HEALTH_INTERVAL_MS: '1000', SLUICE_LOG_LEVEL: 'warn', SLUICE_WORKERS: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const loginUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sluice serve printed no URL within 30 s:\n${stderr}`)), 30_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`sluice serve exited with ${code}:\n${stderr}`)));
  });
  const url = new URL(loginUrl).origin;
  return {
    url,
    loginUrl,
    token,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      // A stop that hangs fails here with the server's own words, not as the spec's timeout.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), STOP_TIMEOUT_MS)));
      const outcome = await Promise.race([exited, late]);
      clearTimeout(timer);
      if (outcome === 'late') {
        child.kill('SIGKILL');
        throw new Error(`sluice ${command[0]} did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM (killed). Its stderr ends:\n${stderr.slice(-3000)}`);
      }
    },
  };
};

/**
 * A typed call to a running serve's HTTP API with its console token, as the console makes it
 * (`tenant` sets the tenant header); throws with the engine's error when the answer is not ok.
 */
export const apiOf = (serve: { url: string; token: string }) => async <T>(method: string, input: unknown, tenant?: number): Promise<T> => {
  const res = await fetch(`${serve.url}/api/v1/call/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json', ...(tenant ? { 'x-sluice-tenant': String(tenant) } : {}) },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { ok: boolean; result?: T; error?: unknown };
  if (!body.ok) throw new Error(`${method} failed: ${JSON.stringify(body.error)}`);
  return body.result as T;
};
