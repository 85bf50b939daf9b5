import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startRabbitmq, type StartedRabbitmq } from '../../main/stack/rabbitmq';
import type { Supervisor } from '../../main/supervisor/supervisor';
import { createPipelineHarness, expectExactSuccess, type PipelineHarness } from './pipeline-harness';
import { waitFor } from './queue-harness';

/**
 * The broker goes away mid-run. This file runs on a private RabbitMQ (not the suite's shared one, which
 * other files use at the same time) so it can stop it; the database stays the suite's. The workers must
 * reconnect by themselves, the quorum stage queues must keep their messages across the restart, and the
 * run must end with exact figures: messages unacked at the cut are redelivered, and the handlers'
 * idempotence absorbs what was committed but not yet acked.
 */
const PAGES = 60;
const PAGE_SIZE = 20;
const ENV_KEYS = ['RABBITMQ_URL', 'RABBITMQ_MANAGEMENT_URL'] as const;

describe('pipeline: RabbitMQ restarted mid-run', () => {
  const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  let dir = '';
  let rabbit: StartedRabbitmq | null = null;
  let h: PipelineHarness | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-it-rabbit-'));
    rabbit = await startRabbitmq({ dir });
    // The harness reads the broker from the environment when it is created (this file's process only).
    process.env.RABBITMQ_URL = rabbit.url;
    process.env.RABBITMQ_MANAGEMENT_URL = rabbit.managementUrl;
    h = await createPipelineHarness('rmqrestart');
  }, 60_000);

  afterAll(async () => {
    try {
      await h?.cleanup();
    } finally {
      await rabbit?.stop();
      for (const k of ENV_KEYS) {
        if (savedEnv[k] === undefined) delete process.env[k];
        else process.env[k] = savedEnv[k];
      }
      if (dir) await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('reconnects by itself and ends succeeded with exactly 60 pages and 1200 items', async () => {
    const harness = h!;
    const supervisor: Supervisor = await harness.start('pipeline', { extract: 1, transform: 2, load: 2 }, {}, { delayTiersMs: [200, 500, 1_000], maxAttempts: 6 });
    const run = await harness.createRun({ pages: PAGES, pageSize: PAGE_SIZE });
    const loaded = async (): Promise<number> =>
      Number((await harness.pool.query<{ n: string }>("SELECT count(*) AS n FROM raw_extraction_data WHERE run_id = $1 AND status = 'loaded'", [run.runId])).rows[0]!.n);

    const publishedAt = Date.now();
    await waitFor('a third of the pages loaded', async () => (await loaded()) >= PAGES / 3, 30_000);

    const first = rabbit!;
    const stoppingAt = Date.now();
    await first.stop();
    const stoppedAt = Date.now();
    // The broker is gone (stop waits for beam to exit): the run cannot have finished in the meantime.
    const atCut = await loaded();
    expect(atCut).toBeLessThan(PAGES);
    expect((await harness.pool.query<{ state: string }>('SELECT state FROM runs WHERE id = $1', [run.runId])).rows[0]!.state).toBe('running');
    await waitFor('every worker thread to notice the broker is gone', () => supervisor.pools().every((p) => p.desired === 0 || p.disconnected === p.alive), 20_000);
    const frozen = await loaded();

    // Same dir, node name, ports and credentials: the same broker with its mnesia and message store.
    rabbit = await startRabbitmq({ dir, ports: first.ports, user: first.user, password: first.password });
    expect(rabbit.ports).toEqual(first.ports);
    const restartedAt = Date.now();
    expect(rabbit.url).toBe(first.url);

    expect(await harness.waitForRunEnd(run.runId, 60_000)).toBe('succeeded');
    console.info(
      `rabbitmq restart: stop began after ${stoppingAt - publishedAt} ms and took ${stoppedAt - stoppingAt} ms (${atCut}/${PAGES} pages loaded when it was down); ` +
        `broker down ${restartedAt - stoppedAt} ms including its restart; run succeeded ${Date.now() - restartedAt} ms after the restart`,
    );
    expectExactSuccess(await harness.outcome(run), PAGES, PAGE_SIZE);
    // Work really resumed after the restart, through the reconnected threads (no thread was replaced).
    expect(frozen).toBeLessThan(PAGES);
    // Thread stats arrive throttled (up to 500 ms late, and only on change): give them a few seconds to settle.
    const settled = () => supervisor.pools().every((p) => p.desired === 0 || (p.alive === p.desired && p.disconnected === 0));
    for (let waited = 0; !settled() && waited < 10_000; waited += 250) await new Promise((r) => setTimeout(r, 250));
    for (const pool of supervisor.pools()) {
      if (pool.desired === 0) continue;
      expect(pool, `${pool.stage} pool`).toMatchObject({ alive: pool.desired, disconnected: 0, restarts: 0 });
    }
    expect(await (await harness.deadLetters()).count()).toBe(0);
  }, 90_000);
});
