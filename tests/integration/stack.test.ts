import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_MAX_CONNECTIONS } from '../../main/stack/postgres';
import { pidAlive, tcpOpen } from '../../main/stack/proc';
import { stackDown, stackStatus, stackUp, type StackEndpoints, type StackStatus } from '../../main/stack/stack';
import { readState } from '../../main/stack/state';

/*
 * Runs two real stacks side by side in temp homes, with the suite's *_URL variables removed so nothing
 * is treated as external. Both start in parallel to keep the file near 30 s (RabbitMQ dominates: ~5 s up, ~6 s down).
 */

const privateEnv = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  for (const k of ['DATABASE_URL', 'RABBITMQ_URL', 'RABBITMQ_MANAGEMENT_URL', 'REDIS_URL']) delete env[k];
  return env;
};

const homes: string[] = [];
const lines: string[] = [];
const opts = (home: string) => ({ home, env: privateEnv(), log: (l: string) => lines.push(l) });

afterAll(async () => {
  // Whatever happened above, leave no server and no data behind.
  for (const home of homes) {
    await stackDown(opts(home)).catch(() => undefined);
    const state = await readState(home).catch(() => null);
    if (state?.postgres?.dataDir.startsWith('/var/lib/sluice/')) await rm(state.postgres.dataDir, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  }
});

const portOf = (url: string): number => Number(new URL(url).port);

async function checkEndpoints(e: StackEndpoints): Promise<void> {
  const client = new pg.Client({ connectionString: e.databaseUrl });
  await client.connect();
  const res = await client.query<{ one: number; db: string; max: string }>("select 1 as one, current_database() as db, current_setting('max_connections') as max");
  await client.end();
  // Room for the worker threads' pools (main/stack/postgres.ts).
  expect(res.rows[0]).toEqual({ one: 1, db: 'sluice', max: String(LOCAL_MAX_CONNECTIONS) });

  const conn = await amqp.connect(e.rabbitmqUrl);
  const ch = await conn.createChannel();
  const q = await ch.assertQueue('', { exclusive: true });
  expect(q.queue).toMatch(/^amq\.gen-/);
  await conn.close();

  const mgmt = new URL(e.rabbitmqManagementUrl);
  const auth = Buffer.from(`${decodeURIComponent(mgmt.username)}:${decodeURIComponent(mgmt.password)}`).toString('base64');
  const overview = await fetch(`${mgmt.protocol}//${mgmt.host}/api/overview`, { headers: { authorization: `Basic ${auth}` } });
  expect(overview.status).toBe(200);
  expect(((await overview.json()) as { rabbitmq_version?: string }).rabbitmq_version).toMatch(/^\d+\.\d+/);

  const redis = new Redis(e.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  expect(await redis.ping()).toBe('PONG');
  redis.disconnect();
}

const pids = (s: StackStatus): number[] => s.services.map((x) => x.pid ?? -1);
const allPorts = (e: StackEndpoints): number[] => [e.databaseUrl, e.rabbitmqUrl, e.rabbitmqManagementUrl, e.redisUrl].map(portOf);

describe('local stack', () => {
  it('starts two private stacks side by side, is idempotent, reports status and stops exactly what it started', async () => {
    const [homeA, homeB] = await Promise.all([mkdtemp(join(tmpdir(), 'sluice-stack-a-')), mkdtemp(join(tmpdir(), 'sluice-stack-b-'))]);
    homes.push(homeA, homeB);

    const t0 = Date.now();
    const [a, b] = await Promise.all([stackUp(opts(homeA)), stackUp(opts(homeB))]);
    lines.push(`two stacks up in parallel: ${Date.now() - t0} ms`);
    for (const s of [a, b]) {
      expect(s.services.map((x) => x.state)).toEqual(['running', 'running', 'running']);
      for (const svc of s.services) {
        expect(svc.url).toContain('***'); // password redacted in status
        expect(pidAlive(svc.pid ?? -1)).toBe(true);
      }
    }
    const ea = a.endpoints;
    const eb = b.endpoints;
    if (!ea || !eb) throw new Error('stackUp returned no endpoints');
    expect(new Set([...allPorts(ea), ...allPorts(eb)]).size).toBe(8);
    await Promise.all([checkEndpoints(ea), checkEndpoints(eb)]);

    // Idempotent: same PIDs, nothing restarted.
    const again = await stackUp(opts(homeA));
    expect(pids(again)).toEqual(pids(a));
    expect(again.endpoints).toEqual(ea);
    expect(pids(await stackStatus(opts(homeA)))).toEqual(pids(a));

    // A service named by env is external: not ours to start or report a PID for; management URL derived.
    const ext = await stackStatus({ home: homeA, env: { ...privateEnv(), RABBITMQ_URL: 'amqp://u:pw@mq.example:5672' } });
    expect(ext.services[1]).toEqual({ name: 'rabbitmq', state: 'external', pid: null, url: 'amqp://u:***@mq.example:5672' });
    expect(ext.endpoints?.rabbitmqManagementUrl).toBe('http://u:pw@mq.example:15672');

    const t1 = Date.now();
    const [downA, downB] = await Promise.all([stackDown(opts(homeA)), stackDown(opts(homeB))]);
    lines.push(`two stacks down in parallel: ${Date.now() - t1} ms`);
    for (const [before, after] of [
      [a, downA],
      [b, downB],
    ] as const) {
      expect(after.services.map((x) => x.state)).toEqual(['stopped', 'stopped', 'stopped']);
      expect(after.endpoints).toBeNull();
      for (const pid of pids(before)) expect(pidAlive(pid)).toBe(false);
    }
    for (const port of [...allPorts(ea), ...allPorts(eb)]) expect(await tcpOpen(port)).toBe(false);
    const stateA = await readState(homeA);
    expect(stateA.rabbitmq?.epmdPid).toBeNull();
    expect(await tcpOpen(stateA.rabbitmq?.epmdPort ?? 0)).toBe(false);
    console.info(lines.filter((l) => / in (parallel|\d+ ms)/.test(l)).join('\n'));
  }, 90_000);
});
