import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createJobsHarness, type JobsHarness } from './jobs-harness';
import { waitFor } from './queue-harness';

/**
 * Live progress: worker threads signal "run changed" (through the supervisor without Redis, through
 * Redis pub/sub with it), the engine pushes `runs.progress` at most a few times a second per run with
 * counters read from Postgres, and the last event of a run carries its exact final figures. Also: the
 * run log the engine writes from what it sees (failed units with their errors, the end).
 */
describe.each([
  { transport: 'the worker protocol (no Redis)', redis: false },
  { transport: 'Redis pub/sub', redis: true },
])('runs: live progress through $transport', ({ redis }) => {
  let j: JobsHarness;

  beforeAll(async () => {
    j = await createJobsHarness(redis ? 'progr' : 'progp', { redisFeed: redis });
    await j.workers({ extract: 1, transform: 2, load: 2 }, { redis });
  }, 120_000);
  afterAll(async () => {
    await j?.cleanup();
  });

  it('pushes throttled progress with per-step counters and rates, ending on the exact final figures', async () => {
    const pages = 300;
    const integrationId = await j.integration({ pages, pageSize: 4, poisonPage: 5 });
    const jobId = await j.job(integrationId);
    const { run } = await j.jobs['jobs.runNow']({ id: jobId, force: false }, j.ctx);
    expect(await j.h.waitForRunEnd(run.id, 90_000)).toBe('partial');
    // The trailing event of the end arrives shortly after the run ended.
    const deadline = Date.now() + 5_000;
    while (j.progressOf(run.id).at(-1)?.state !== 'partial' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const events = j.progressOf(run.id);
    const last = events.at(-1)!;
    expect(last).toMatchObject({
      runId: run.id,
      jobId,
      integrationId,
      tenantId: j.h.tenantId,
      state: 'partial',
      totals: { units: pages, extracted: pages * 4, transformed: (pages - 1) * 4, loaded: (pages - 1) * 4, failed: 1, skipped: 0, pending: 0 },
      rateLimit: { limitedUntil: null },
    });
    // The shared budget: capacity from the integration (the synthetic connector's default); tokens read from the workers' Redis bucket.
    expect(last.rateLimit.capacity).toBe(100);
    if (redis) expect(last.rateLimit.tokens).toBeGreaterThan(0);
    else expect(last.rateLimit.tokens).toBeNull();
    expect(last.steps).toEqual([expect.objectContaining({ step: 'items', label: 'Items', extractionDone: true, units: pages, loaded: (pages - 1) * 4, failed: 1, extractedPerSec: 0, loadedPerSec: 0 })]);
    // Throttled: far fewer events than the ~900 commits, and never more than 4 a second (250 ms apart, a little jitter allowed).
    expect(events.length).toBeGreaterThan(2);
    expect(events.length).toBeLessThan(pages);
    for (let i = 1; i < events.length; i++) expect(events[i]!.receivedAt - events[i - 1]!.receivedAt).toBeGreaterThanOrEqual(240);
    // Counters only grow while it runs, and rates were measured on the way.
    for (let i = 1; i < events.length; i++) expect(events[i]!.totals.loaded).toBeGreaterThanOrEqual(events[i - 1]!.totals.loaded);
    expect(events.some((e) => e.state === 'running' && e.steps[0]!.loadedPerSec > 0)).toBe(true);
    // Consoles are told to refetch the job when its run ends.
    expect(j.events.some((e) => e.event === 'jobs.changed' && (e.payload as { jobId: number; reason: string }).jobId === jobId && /ended partial/.test((e.payload as { reason: string }).reason))).toBe(true);

    // The run log: the start, the poisoned unit with its error, and the end; filterable and downloadable.
    const errors = (await j.runs['runs.logs']({ id: run.id, levels: ['error'], limit: 50 }, j.ctx)).logs;
    expect(errors).toEqual([expect.objectContaining({ level: 'error', step: 'items', message: expect.stringMatching(/^Unit \d+ \(items, page \|5\) failed in transform: Synthetic page 5 is poison on purpose/) })]);
    const exported = await j.runs['runs.logsExport']({ id: run.id }, j.ctx);
    const lines = exported.content.trim().split('\n').map((l) => JSON.parse(l) as { message: string; level: string });
    expect(exported).toMatchObject({ filename: `sluice-run-${run.id}-logs.ndjson`, lines: lines.length });
    expect(lines[0]!.message).toMatch(/^Started by test-operator \(manual, full_refresh\)/);
    expect(lines.at(-1)).toMatchObject({ level: 'warn', message: expect.stringMatching(new RegExp(`^Ended partial: ${(pages - 1) * 4} record\\(s\\) loaded from ${pages} unit\\(s\\), 1 failed, 0 skipped, in \\d+\\.\\d s\\.$`)) });
    // Nothing was written per record: the runs row was not rewritten by the progress path.
    const row = (await j.h.pool.query<{ n: string }>("SELECT count(*) AS n FROM run_logs WHERE run_id = $1", [run.id])).rows[0]!;
    expect(Number(row.n)).toBe(lines.length);
    expect(lines.length).toBe(3);
  }, 120_000);

  it('shows a rate-limited run waiting for the reset time, which then continues by itself', async () => {
    const resetAt = Date.now() + 2_500;
    const integrationId = await j.integration({ pages: 6, pageSize: 2, rateLimitedPage: 2, rateLimitedUntil: resetAt });
    const jobId = await j.job(integrationId);
    const { run } = await j.jobs['jobs.runNow']({ id: jobId, force: false }, j.ctx);
    expect(await j.h.waitForRunEnd(run.id, 60_000)).toBe('succeeded');
    await waitFor('the final progress event', () => j.progressOf(run.id).at(-1)?.state === 'succeeded', 5_000);
    const events = j.progressOf(run.id);
    const waiting = events.filter((e) => e.state === 'rate_limited');
    expect(waiting.length).toBeGreaterThan(0);
    // The console can count down to the reset: the wait ends within a second of what the API said.
    expect(Math.abs(Date.parse(waiting[0]!.rateLimit.limitedUntil!) - resetAt)).toBeLessThan(1_500);
    expect(events.at(-1)).toMatchObject({ state: 'succeeded', totals: { units: 6, loaded: 12, failed: 0 }, rateLimit: { limitedUntil: null } });
    expect((await j.runs['runs.get']({ id: run.id }, j.ctx)).finishedAt! >= new Date(resetAt).toISOString()).toBe(true);
  }, 90_000);
});