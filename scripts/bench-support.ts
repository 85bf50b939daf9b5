/**
 * What the connector benchmarks share (bench-jira.ts, bench-github.ts): a simulator in its own process,
 * a fresh migrated database, a supervisor running the real pipeline handlers with a sealing key, run
 * timing from the database clock, the COPY floor of loaded rows, and peak RSS sampling.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { runnerImport } from 'vite';

import type * as MigrateModule from '../main/migrate/postgres';
import { sourceWorkerEntries } from '../main/supervisor/entries';
import { Supervisor } from '../main/supervisor/supervisor';
import { seal, type SecretKey } from '../shared/lib/secret-box';
import type { Stage } from '../shared/worker-protocol/protocol';

export const root = fileURLToPath(new URL('..', import.meta.url));
const TERMINAL = ['succeeded', 'partial', 'failed', 'cancelled'];

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
export const rate = (n: number, ms: number): string => Math.round((n / ms) * 1000).toLocaleString('en');

export const requireServers = (name: string): { databaseUrl: string; rabbitmqUrl: string; managementUrl: string } => {
  const { DATABASE_URL: databaseUrl, RABBITMQ_URL: rabbitmqUrl, RABBITMQ_MANAGEMENT_URL: managementUrl } = process.env;
  if (!databaseUrl || !rabbitmqUrl || !managementUrl) {
    console.error(`${name}: set DATABASE_URL, RABBITMQ_URL and RABBITMQ_MANAGEMENT_URL (e.g. \`. /tmp/devenv.sh\` or \`sluice stack up\`).`);
    process.exit(1);
  }
  return { databaseUrl, rabbitmqUrl, managementUrl };
};

/** `extract=2,transform=2,load=2` → counts per stage. */
export const parseCounts = (text: string): Partial<Record<Stage, number>> =>
  Object.fromEntries(text.split(',').map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)])) as Partial<Record<Stage, number>>;

/** A simulator as its own process (`sluice sim <kind>`, built CLI), so its serving does not share this event loop. */
export const startSimulatorProcess = async (kind: 'jira' | 'github', args: readonly string[]): Promise<{ url: string; stop: () => void }> => {
  const child = spawn(process.execPath, ['bin/sluice.js', 'sim', kind, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve(line.trim()));
    child.once('exit', (code) => reject(new Error(`sluice sim ${kind} exited with ${code} before printing its URL (run \`npm run build\` first).`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
};

export const createDatabase = async (adminUrl: string, label: string): Promise<{ url: string; drop: () => Promise<void> }> => {
  const { module: migrate } = await runnerImport<typeof MigrateModule>(fileURLToPath(new URL('../main/migrate/postgres.ts', import.meta.url)), { configFile: false, logLevel: 'error' });
  const name = `sluice_bench_${label}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrate.migratePostgres(url.toString());
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
};

/** A sealing key, as the engine gives its worker threads, and a way to seal an integration's token with it. */
export const benchKey = (): { settings: { id: string; key: string }; seal: (token: string, integrationId: number) => Promise<string> } => {
  const bytes = randomBytes(32);
  const key: SecretKey = { id: createHash('sha256').update(bytes).digest('hex').slice(0, 8), bytes: new Uint8Array(bytes) };
  return { settings: { id: key.id, key: bytes.toString('base64') }, seal: (token, integrationId) => seal(key, token, `integration:${integrationId}`) };
};

export const pipelineSupervisor = (options: { databaseUrl: string; rabbitmqUrl: string; prefix: string; counts: Partial<Record<Stage, number>>; prefetch: number; secretKey: { id: string; key: string } }): Supervisor =>
  new Supervisor({
    entries: sourceWorkerEntries(root),
    counts: options.counts,
    settings: {
      hostId: 'bench',
      rabbitmqUrl: options.rabbitmqUrl,
      databaseUrl: options.databaseUrl,
      topology: { prefix: options.prefix },
      prefetch: options.prefetch,
      handlers: { extract: 'pipeline', transform: 'pipeline', load: 'pipeline' },
      secretKeys: [options.secretKey],
    },
  });

export const waitForEnd = async (db: pg.Pool, runId: number, timeoutMs: number): Promise<string> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = (await db.query<{ state: string }>('SELECT state FROM runs WHERE id = $1', [runId])).rows[0]!.state;
    if (TERMINAL.includes(state)) return state;
    if (Date.now() > deadline) throw new Error(`Run ${runId} did not end in time (state ${state}).`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

/** From the run row's creation ("Run") to its first stored page and to its end, by the database clock. */
export const runTimes = async (db: pg.Pool, runId: number): Promise<{ first_ms: number; total_ms: number; pages: string }> =>
  (await db.query<{ first_ms: number; total_ms: number; pages: string }>(
    `SELECT extract(epoch FROM (SELECT min(d.created_at) FROM raw_extraction_data d WHERE d.run_id = r.id) - r.created_at) * 1000 AS first_ms,
            extract(epoch FROM r.finished_at - r.created_at) * 1000 AS total_ms,
            (SELECT count(*) FROM raw_extraction_data d WHERE d.run_id = r.id) AS pages
       FROM runs r WHERE r.id = $1`,
    [runId],
  )).rows[0]!;

/** When each stream's first and last page were stored, after Run: where a run spends its time. */
export const streamPhases = async (db: pg.Pool, runId: number): Promise<string> => {
  const rows = (await db.query<{ stream: string; units: string; first_ms: number; last_ms: number }>(
    `SELECT d.stream, count(*) AS units, extract(epoch FROM min(d.created_at) - r.created_at) * 1000 AS first_ms, extract(epoch FROM max(d.created_at) - r.created_at) * 1000 AS last_ms
       FROM raw_extraction_data d JOIN runs r ON r.id = d.run_id WHERE d.run_id = $1 GROUP BY d.stream, r.created_at ORDER BY min(d.created_at)`,
    [runId],
  )).rows;
  return rows.map((p) => `${p.stream} ${p.units} pages ${seconds(p.first_ms)}→${seconds(p.last_ms)}`).join('; ');
};

/** Plain COPY of every loaded row of `tables` into empty tables of the same columns: the floor of a load. */
export const copyFloor = async (url: string, tables: readonly string[]): Promise<{ rows: number; ms: number }> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let rows = 0;
  let ms = 0;
  try {
    for (const table of tables) {
      const chunks: Buffer[] = [];
      await new Promise<void>((resolve, reject) => {
        const out = client.query(copyTo(`COPY ${table} TO STDOUT`));
        out.on('data', (c: Buffer) => chunks.push(c));
        out.on('end', () => resolve());
        out.on('error', reject);
      });
      await client.query(`CREATE TABLE floor_${table} AS SELECT * FROM ${table} WITH NO DATA`);
      const started = performance.now();
      await new Promise<void>((resolve, reject) => {
        const input = client.query(copyFrom(`COPY floor_${table} FROM STDIN`));
        input.on('finish', () => resolve());
        input.on('error', reject);
        for (const c of chunks) input.write(c);
        input.end();
      });
      ms += performance.now() - started;
      rows += Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM floor_${table}`)).rows[0]!.n);
    }
  } finally {
    await client.end();
  }
  return { rows, ms };
};

/** Peak resident memory of this process (the worker host: every worker thread lives in it). */
export const rssSampler = (): { peakMb: () => number; stop: () => void } => {
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 200);
  return { peakMb: () => Math.round(peak / 1024 / 1024), stop: () => clearInterval(timer) };
};
