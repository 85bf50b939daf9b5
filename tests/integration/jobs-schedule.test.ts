import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { redisLeadership } from '../../main/engine/jobs/leader';
import { JobCoordinator } from '../../main/engine/jobs/coordinator';
import { waitFor } from './queue-harness';
import { createJobsHarness, type JobsHarness } from './jobs-harness';
import { requireEnv } from './support/env';

/**
 * The scheduler and the retry policy against real Postgres, RabbitMQ, Redis and worker threads: a
 * scheduled job fires on time (interval, and cron in a timezone), an overdue job runs once at
 * start-up, a failed run is retried after its backoff until the budget is spent, and two engines
 * racing for the same job (or two consoles pressing "run now") start one run.
 */
describe('jobs: schedules, retries and one run per job', () => {
  let j: JobsHarness;

  beforeAll(async () => {
    j = await createJobsHarness('sched');
  }, 120_000);
  afterAll(async () => {
    await j?.cleanup();
  });

  const runsOf = async (jobId: number) =>
    (await j.h.pool.query<{ id: string; trigger: string; kind: string; state: string; started_by: string; created_at: Date; source_run_id: string | null }>(
      'SELECT id, trigger, kind, state, started_by, created_at, source_run_id FROM runs WHERE job_id = $1 ORDER BY id',
      [jobId],
    )).rows;

  // First, while no worker runs anywhere: runs fail (nobody takes their messages), so retries can be watched.
  // Retry decisions take the tick's `now`, so the test drives them with explicit instants (a one-minute
  // backoff, ticks "61 s later"); only the stale-run sweep reads the database clock, and it is polled.
  it('retries a failed run after its backoff, as a resume from its checkpoints, until the budget is spent', async () => {
    const coordinator = j.coordinator({ staleAfterMs: 300, sweepEveryMs: 0 });
    const a = await j.job(await j.integration({ pages: 3, pageSize: 2 }), { name: 'one retry', retryPolicy: { maxRetries: 1, backoffMinutes: 1 } });
    const b = await j.job(await j.integration({ pages: 3, pageSize: 2 }), { name: 'two retries', retryPolicy: { maxRetries: 2, backoffMinutes: 1 } });
    const ra = (await j.jobs['jobs.runNow']({ id: a, force: false }, j.ctx)).run.id;
    const rb = (await j.jobs['jobs.runNow']({ id: b, force: false }, j.ctx)).run.id;
    /** Ticks (as of `now`) until the sweep has failed every run of `ids`; returns what those ticks started. */
    const sweepUntilFailed = async (ids: number[], now: () => Date): Promise<number[]> => {
      const failed = new Set<number>();
      const started: number[] = [];
      await waitFor(`runs ${ids.join(', ')} swept as failed`, async () => {
        const t = await coordinator.tick(now());
        t.failed.forEach((id) => failed.add(id));
        started.push(...t.started.map((x) => x.jobId));
        return ids.every((id) => failed.has(id));
      }, 30_000);
      return started;
    };
    // Swept with "now" as the instant they fail: their one-minute backoff has not passed, so nothing retries yet.
    expect(await sweepUntilFailed([ra, rb], () => new Date())).toEqual([]);
    const minuteLater = (): Date => new Date(Date.now() + 61_000);
    const first = await coordinator.tick(minuteLater());
    expect(first.started.map((s) => s.jobId).sort()).toEqual([a, b].sort());
    expect(first.started.every((s) => s.trigger === 'retry')).toBe(true);
    const retryA = (await runsOf(a))[1]!;
    expect(retryA).toMatchObject({ trigger: 'retry', kind: 'resume', source_run_id: String(ra), started_by: 'retry 1/1' });
    // The retries fail the same way; job a has no budget left, job b waits for its second backoff (2 minutes).
    // (The tick's clock only moves forward: the coordinator spaces its sweeps by it.)
    expect(await sweepUntilFailed(first.started.map((s) => s.runId), minuteLater)).toEqual([]);
    const again = await coordinator.tick(minuteLater());
    expect(again.started.map((s) => s.jobId)).toEqual([]);
    const jobA = await j.jobs['jobs.get']({ id: a }, j.ctx);
    expect(jobA.retry).toEqual({ attempt: 1, maxRetries: 1, nextAt: null, exhausted: true });
    expect((await runsOf(a)).map((r) => r.state)).toEqual(['failed', 'failed']);
    const jobB = await j.jobs['jobs.get']({ id: b }, j.ctx);
    expect(jobB.retry).toMatchObject({ attempt: 1, maxRetries: 2, exhausted: false });
    expect(jobB.retry?.nextAt).not.toBeNull();
    expect(Date.parse(jobB.retry!.nextAt!) - Date.now()).toBeGreaterThan(60_000);

    // Workers come back: at its due time, b's second retry continues the work and succeeds with every page once.
    await j.workers({ extract: 1, transform: 2, load: 2 });
    const last = await coordinator.tick(new Date(Date.parse(jobB.retry!.nextAt!) + 1_000));
    expect(last.started).toEqual([expect.objectContaining({ jobId: b, trigger: 'retry' })]);
    expect(await j.h.waitForRunEnd(last.started[0]!.runId)).toBe('succeeded');
    const all = (await runsOf(b)).map((r) => Number(r.id));
    expect(Number((await j.h.pool.query('SELECT count(DISTINCT page_key) AS n FROM raw_extraction_data WHERE run_id = ANY ($1) AND status = $2', [all, 'loaded'])).rows[0].n)).toBe(3);
    const done = await j.jobs['jobs.get']({ id: b }, j.ctx);
    expect(done).toMatchObject({ retry: null, lastRun: { state: 'succeeded', trigger: 'retry', kind: 'resume' } });
  }, 150_000);

  it('fires an interval job on time, then keeps its rhythm from the run it started', async () => {
    const coordinator = j.coordinator({ tickMs: 100 });
    const jobId = await j.job(await j.integration({ pages: 3, pageSize: 2 }), { name: 'hourly', schedule: { type: 'interval', everyMinutes: 60 } });
    const created = await j.jobs['jobs.get']({ id: jobId }, j.ctx);
    expect(Date.parse(created.nextRunAt!) - Date.now()).toBeGreaterThan(59 * 60_000);
    // As if it was created 58.5 minutes ago: due in 1.5 s.
    const due = (await j.h.pool.query<{ due: Date }>("UPDATE jobs SET next_run_at = now() + interval '1.5 seconds' WHERE id = $1 RETURNING next_run_at AS due", [jobId])).rows[0]!.due;
    await coordinator.start();
    await waitFor('the scheduled run', async () => (await runsOf(jobId)).length > 0, 10_000);
    const [run] = await runsOf(jobId);
    expect(run).toMatchObject({ trigger: 'schedule', started_by: 'scheduler', kind: 'full_refresh' });
    const lateness = run!.created_at.getTime() - due.getTime();
    expect(lateness).toBeGreaterThanOrEqual(0);
    // Within the tick (100 ms) plus the start's own work, even on a loaded machine.
    expect(lateness).toBeLessThan(2_000);
    const job = await j.jobs['jobs.get']({ id: jobId }, j.ctx);
    expect(Math.abs(Date.parse(job.nextRunAt!) - run!.created_at.getTime() - 60 * 60_000)).toBeLessThan(2_000);
    expect(await j.h.waitForRunEnd(Number(run!.id))).toBe('succeeded');
    expect(await runsOf(jobId)).toHaveLength(1);
    await coordinator.stop();
  }, 60_000);

  it('fires a cron job at its slots in its timezone', async () => {
    const coordinator = j.coordinator({ tickMs: 100 });
    const jobId = await j.job(await j.integration({ pages: 1, pageSize: 1 }), { name: 'every 3 s', schedule: { type: 'cron', expression: '*/3 * * * * *', timezone: 'Asia/Kolkata' } });
    const slot = Date.parse((await j.jobs['jobs.get']({ id: jobId }, j.ctx)).nextRunAt!);
    expect(slot % 3_000).toBe(0);
    await coordinator.start();
    await waitFor('the cron run', async () => (await runsOf(jobId)).length > 0, 10_000);
    await j.jobs['jobs.setActive']({ id: jobId, active: false }, j.ctx);
    const [run] = await runsOf(jobId);
    expect(run!.created_at.getTime() - slot).toBeGreaterThanOrEqual(0);
    expect(run!.created_at.getTime() - slot).toBeLessThan(2_000);
    expect(await j.h.waitForRunEnd(Number(run!.id))).toBe('succeeded');
    expect((await j.jobs['jobs.get']({ id: jobId }, j.ctx)).nextRunAt).toBeNull();
    await coordinator.stop();
  }, 60_000);

  it('runs an overdue job once at start-up, not once per missed slot and not a full interval later', async () => {
    const jobId = await j.job(await j.integration({ pages: 1, pageSize: 1 }), { name: 'overdue', schedule: { type: 'interval', everyMinutes: 60 } });
    await j.h.pool.query("UPDATE jobs SET next_run_at = now() - interval '3 hours' WHERE id = $1", [jobId]);
    const coordinator = j.coordinator();
    const first = await coordinator.tick();
    expect(first.started.filter((s) => s.jobId === jobId)).toHaveLength(1);
    expect((await coordinator.tick()).started.filter((s) => s.jobId === jobId)).toEqual([]);
    const job = await j.jobs['jobs.get']({ id: jobId }, j.ctx);
    expect(Math.abs(Date.parse(job.nextRunAt!) - Date.now() - 60 * 60_000)).toBeLessThan(5_000);
    expect(await j.h.waitForRunEnd(first.started[0]!.runId)).toBe('succeeded');
  }, 60_000);

  it('two engines racing for the same due job start one run; two consoles pressing "run now" too', async () => {
    const jobId = await j.job(await j.integration({ pages: 200, pageSize: 1 }), { name: 'raced', schedule: { type: 'interval', everyMinutes: 60 } });
    await j.h.pool.query('UPDATE jobs SET next_run_at = now() WHERE id = $1', [jobId]);
    // Two engines, each with its own pool, both believing they lead (no Redis lock between them): the claim decides.
    const otherPool = new pg.Pool({ connectionString: j.databaseUrl, max: 3 });
    otherPool.on('error', () => undefined);
    const engineA = j.coordinator();
    const engineB = new JobCoordinator(otherPool, j.feed, { mode: 'in-process', hold: async () => true, release: async () => undefined }, (await import('pino')).default({ level: 'silent' }), { tickMs: 0, recoverOnStart: false });
    const [ta, tb] = await Promise.all([engineA.tick(), engineB.tick()]);
    expect([...ta.started, ...tb.started].filter((s) => s.jobId === jobId)).toHaveLength(1);
    expect(await runsOf(jobId)).toHaveLength(1);
    const runId = Number((await runsOf(jobId))[0]!.id);
    await j.runs['runs.cancel']({ id: runId }, j.ctx);

    const presses = await Promise.allSettled([1, 2, 3].map(() => j.jobs['jobs.runNow']({ id: jobId, force: false }, j.ctx)));
    const won = presses.filter((p) => p.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const p of presses.filter((x) => x.status === 'rejected')) {
      expect((p as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict', message: expect.stringMatching(/already (has run \d+ )?running; wait for it, or pause or cancel it first\.$/) });
    }
    await j.runs['runs.cancel']({ id: (won[0] as PromiseFulfilledResult<{ run: { id: number } }>).value.run.id }, j.ctx);
    await engineB.stop();
    await otherPool.end();
  }, 60_000);

  it('only one engine leads the scheduler through Redis; a dead leader’s lock expires and another takes over', async () => {
    const keyPrefix = `${j.h.queues.prefix}lead.`;
    const url = requireEnv('REDIS_URL');
    const a = redisLeadership(url, { keyPrefix, ttlMs: 1_500 });
    const b = redisLeadership(url, { keyPrefix, ttlMs: 1_500 });
    expect(await a.hold()).toBe(true);
    expect(await b.hold()).toBe(false);
    await new Promise((r) => setTimeout(r, 800));
    expect(await a.hold()).toBe(true); // renewed: good for another 1.5 s
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await b.hold()).toBe(false); // 1.8 s after a took it, but a renewed 1 s ago
    // a dies (no more renewals): once its TTL runs out b takes over, and a's late renewal fails.
    await new Promise((r) => setTimeout(r, 1_700));
    expect(await b.hold()).toBe(true);
    expect(await a.hold()).toBe(false);
    await a.release();
    await b.release();
  });
});
