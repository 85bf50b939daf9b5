import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startPostgres, type StartedPostgres } from '../../main/stack/postgres';
import type { Supervisor } from '../../main/supervisor/supervisor';
import { createPipelineHarness, expectExactSuccess, type PipelineHarness } from './pipeline-harness';
import { waitFor } from './queue-harness';

/**
 * Postgres goes away mid-run. This file runs on a private Postgres (the suite's is shared with other
 * files) so it can stop it; RabbitMQ stays the suite's. While the database is down every handler's
 * database work fails, so its message waits in a delay tier and comes back; the worker pools must
 * reconnect by themselves once Postgres is back, and the run must end with exact figures. The retry
 * budget is set far below the outage (2 attempts, ~0.75 s of delays against a 3 s outage): outage
 * failures must not spend it, or messages would be dead-lettered with their units left pending and
 * the run would never end.
 */
const PAGES = 60;
const PAGE_SIZE = 20;
const OUTAGE_MS = 3_000;

describe('pipeline: Postgres restarted mid-run', () => {
  const savedUrl = process.env.DATABASE_URL;
  let dir = '';
  let postgres: StartedPostgres | null = null;
  let dataDir = '';
  let h: PipelineHarness | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-it-pg-'));
    postgres = await startPostgres({ dir });
    dataDir = postgres.dataDir;
    // The harness finds the server through DATABASE_URL when it is created (this file's process only).
    process.env.DATABASE_URL = postgres.url;
    h = await createPipelineHarness('pgrestart');
    // The harness's own pool holds idle connections that die with the server: ignore those errors (the next query reconnects).
    h.pool.on('error', () => undefined);
  }, 60_000);

  afterAll(async () => {
    try {
      await h?.cleanup();
    } finally {
      await postgres?.stop();
      if (savedUrl === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = savedUrl;
      // As root the cluster may live outside `dir` (see clusterDir in main/stack/postgres.ts).
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
      if (dir) await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('retries through an outage longer than the retry budget and ends succeeded with exactly 60 pages and 1200 items', async () => {
    const harness = h!;
    const supervisor: Supervisor = await harness.start('pipeline', { extract: 1, transform: 2, load: 2 }, {}, { delayTiersMs: [250, 500, 1_000, 2_000], maxAttempts: 2 });
    const total = (key: 'failed' | 'retried' | 'deadLettered' | 'restarts'): number => supervisor.pools().reduce((n, p) => n + p[key], 0);
    const run = await harness.createRun({ pages: PAGES, pageSize: PAGE_SIZE });
    const loaded = async (): Promise<number> =>
      Number((await harness.pool.query<{ n: string }>("SELECT count(*) AS n FROM raw_extraction_data WHERE run_id = $1 AND status = 'loaded'", [run.runId])).rows[0]!.n);

    // Why any thread ended, caught as it happens (a pool's lastError is overwritten by later failures).
    const exits: string[] = [];
    let restartsSeen = 0;
    const spy = setInterval(() => {
      if (total('restarts') === restartsSeen) return;
      restartsSeen = total('restarts');
      exits.push(...supervisor.pools().map((p) => `${p.stage}: ${p.lastError?.message ?? 'no error'}`));
    }, 10);
    spy.unref(); // never keeps the process alive if an assertion below throws before clearInterval
    const publishedAt = Date.now();
    await waitFor('a third of the pages loaded', async () => (await loaded()) >= PAGES / 3, 30_000);
    const atCut = await loaded();
    const before = { failed: total('failed'), retried: total('retried') };

    const first = postgres!;
    await first.stop();
    const stoppedAt = Date.now();
    // The outage lasts until handlers have failed and gone through the delay tiers a few times, and at least OUTAGE_MS.
    await waitFor(
      'handlers to fail and be retried while Postgres is down',
      () => Date.now() - stoppedAt >= OUTAGE_MS && total('retried') >= before.retried + 3,
      20_000,
    );
    const outageMs = Date.now() - stoppedAt;
    postgres = await startPostgres({ dir, port: first.port, password: first.password });
    const restartedAt = Date.now();
    expect(postgres.url).toBe(first.url);

    expect(await harness.waitForRunEnd(run.runId, 60_000)).toBe('succeeded');
    clearInterval(spy);
    console.info(
      `postgres restart: ${atCut}/${PAGES} pages loaded at the stop after ${stoppedAt - publishedAt} ms; down ${outageMs} ms ` +
        `(${total('failed') - before.failed} failed attempts retried); run succeeded ${Date.now() - restartedAt} ms after the restart`,
    );
    expectExactSuccess(await harness.outcome(run), PAGES, PAGE_SIZE);
    expect(atCut).toBeLessThan(PAGES);
    // The outage was survived by retrying, not by giving up: nothing dead-lettered, no unit failed, no thread crashed.
    expect(total('failed')).toBeGreaterThan(before.failed);
    expect(total('deadLettered')).toBe(0);
    expect(total('restarts'), `worker threads ended during the outage:\n${exits.join('\n')}`).toBe(0);
    expect(await (await harness.deadLetters()).count()).toBe(0);
  }, 90_000);
});
