import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, describe, expect, it } from 'vitest';

import { WORKER_PROTOCOL_VERSION, type Stage } from '../../shared/worker-protocol/protocol';
import { Supervisor } from './supervisor';

/**
 * The supervisor's own logic (restart, backoff, hang detection, scaling, drain) against tiny fake
 * worker entries written as plain JS: no broker, no tsx, fast. The real entries run against RabbitMQ
 * in tests/integration/supervisor-*.test.ts.
 */
const dir = mkdtempSync(join(tmpdir(), 'sluice-supervisor-'));
const entry = (name: string, body: string, protocol = WORKER_PROTOCOL_VERSION): string => {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(
    file,
    `import { parentPort, workerData } from 'node:worker_threads';
const post = (m) => parentPort.postMessage(m);
const stage = workerData.stage;
const stats = (processed) => ({ processed, failed: 0, retried: 0, deadLettered: 0, redelivered: 0, inFlight: 0, lastError: null, connection: 'connected' });
parentPort.on('message', (m) => {
  if (m.type === 'ping') post({ type: 'pong', id: m.id });
  if (m.type === 'shutdown') { post({ type: 'stats', stage, stats: stats(5) }); post({ type: 'stopped', stage, timedOut: false }); parentPort.close(); }
});
post({ type: 'ready', stage, protocol: ${protocol}, threadId: 1 });
${body}
`,
  );
  return file;
};
const files = {
  ok: entry('ok', ''),
  crash: entry('crash', `setTimeout(() => process.exit(3), 20);`),
  hang: entry('hang', `setTimeout(() => { for (;;) {} }, 50);`),
  oldProtocol: entry('old', '', 1),
};

const supervisors: Supervisor[] = [];
const make = (file: string, counts: Partial<Record<Stage, number>>) => {
  const s = new Supervisor({
    entries: () => ({ kind: 'file', path: file }),
    counts,
    settings: { hostId: 'unit', rabbitmqUrl: 'amqp://127.0.0.1:1' },
    timing: { pingIntervalMs: 100, pingTimeoutMs: 600, readyTimeoutMs: 5_000, exitTimeoutMs: 500, drainGraceMs: 1_000, restart: { initialMs: 100, maxMs: 400, healthyAfterMs: 60_000 } },
  });
  supervisors.push(s);
  return s;
};

const waitFor = async (what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('Supervisor', () => {
  afterEach(async () => {
    await Promise.all(supervisors.splice(0).map((s) => s.stop(200)));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts, scales and drains pools; a planned stop is not a crash', async () => {
    const s = make(files.ok, { transform: 2, load: 1 });
    s.start();
    await s.waitUntilReady(5_000);
    expect(s.pools().map((p) => [p.stage, p.alive, p.state])).toEqual([
      ['transform', 2, 'running'],
      ['load', 1, 'running'],
    ]);
    s.scale('transform', 0);
    await waitFor('transform drained', () => s.pools()[0]!.alive === 0 && s.pools()[0]!.draining === 0);
    // The drained threads' final stats stay in the pool's totals.
    expect(s.pools()[0]).toMatchObject({ state: 'idle', processed: 10, restarts: 0 });
    await s.stop(1_000);
    expect(s.state).toBe('stopped');
    expect(s.pools().every((p) => p.state === 'stopped' && p.alive === 0 && p.restarts === 0)).toBe(true);
    expect(() => s.scale('load', 1)).toThrow(/Cannot scale: the supervisor is stopped/);
  });

  it('restarts a crashing thread with growing, capped backoff and shows the loop', async () => {
    const s = make(files.crash, { extract: 1 });
    s.start();
    await waitFor('4 restarts', () => (s.pools()[0]?.restarts ?? 0) >= 4);
    const pool = s.pools()[0]!;
    expect(pool.crashStreak).toBeGreaterThanOrEqual(4);
    expect(pool.lastError?.message).toBe('the extract thread exited with code 3');
    expect(pool.state).not.toBe('running');
  });

  it('terminates a thread that stops answering pings, and restarts it', async () => {
    const s = make(files.hang, { load: 1 });
    s.start();
    await waitFor('a restart after a hang', () => (s.pools()[0]?.restarts ?? 0) >= 1);
    expect(s.pools()[0]!.lastError?.message).toMatch(/stopped answering pings for 600 ms/);
  });

  it('refuses a thread that speaks another protocol version', async () => {
    const s = make(files.oldProtocol, { load: 1 });
    s.start();
    await waitFor('a restart', () => (s.pools()[0]?.restarts ?? 0) >= 1);
    expect(s.pools()[0]!.lastError?.message).toMatch(new RegExp(`protocol 1, the supervisor ${WORKER_PROTOCOL_VERSION}; rebuild`));
  });

  it('reports a missing built entry with what to do, as a crash loop', async () => {
    const s = make(join(dir, 'missing.js'), { vectorize: 1 });
    s.start();
    await waitFor('a restart', () => (s.pools()[0]?.restarts ?? 0) >= 1);
    expect(s.pools()[0]!.lastError?.message).toMatch(/does not exist; run `npm run build`/);
  });

  it('validates pool sizes', () => {
    expect(() => make(files.ok, { load: 1.5 })).toThrow(/load pool size must be an integer from 0 to 64, got 1.5/);
  });
});
