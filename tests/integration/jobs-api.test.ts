import { spawn } from 'node:child_process';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { methods } from '../../shared/contract/api';
import { integrationHandlers } from '../../main/engine/handlers/integrations';
import { applyRetention } from '../../main/engine/runs/retention';
import { createJobsHarness, type JobsHarness } from './jobs-harness';
import { repoRoot } from './supervisor-harness';
import { requireEnv } from './support/env';

/**
 * The jobs and runs API against real Postgres: validation that says what to fix, the guards (inactive
 * job or integration, a live run), tenant isolation, history with filters and cursor pagination,
 * retention, and `sluice job` on the command line with --wait.
 */
describe('jobs API, run history and the sluice job CLI', () => {
  let j: JobsHarness;

  beforeAll(async () => {
    j = await createJobsHarness('api');
  }, 120_000);
  afterAll(async () => {
    await j?.cleanup();
  });

  it('validates jobs and says what to fix', async () => {
    const integrationId = await j.integration({ pages: 1, pageSize: 1 }, 'synthetic', 'Validation');
    const create = (input: Record<string, unknown>) => j.jobs['jobs.create']({ integrationId, name: 'sync', runKind: 'incremental', schedule: null, retryPolicy: { maxRetries: 3, backoffMinutes: 15 }, active: true, ...input } as never, j.ctx);
    await expect(create({ schedule: { type: 'cron', expression: '0 25 * * *', timezone: 'UTC' } })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringMatching(/^Cron expression "0 25 \* \* \*" is invalid/) });
    await expect(create({ schedule: { type: 'cron', expression: '0 6 * * *', timezone: 'Europe/Atlantis' } })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringMatching(/^Timezone "Europe\/Atlantis" is not an IANA timezone/) });
    await expect(create({ integrationId: 999_999 })).rejects.toMatchObject({ code: 'not_found', message: 'Integration 999999 does not exist in this tenant.' });
    const job = await create({ schedule: { type: 'cron', expression: '30 6 * * 1-5', timezone: 'Europe/Paris' } });
    expect(job).toMatchObject({ name: 'sync', active: true, connector: 'synthetic', steps: [{ key: 'items', label: 'Items' }], lastRun: null, activeRun: null, retry: null });
    expect(new Date(job.nextRunAt!).getUTCMinutes()).toBe(30);
    await expect(create({})).rejects.toMatchObject({ code: 'conflict', message: 'This integration already has a job named "sync"; pick another name.' });
    // The contract itself refuses a full refresh without confirmation, and bad schedules.
    const refresh = methods['jobs.fullRefresh'].input.safeParse({ id: job.id, confirm: false });
    expect(refresh.success).toBe(false);
    expect(refresh.error?.issues[0]?.message).toBe('a full refresh re-reads everything from the source: pass confirm: true to start it');
    expect(methods['jobs.create'].input.safeParse({ integrationId, name: 'x', schedule: { type: 'interval', everyMinutes: 0 } }).success).toBe(false);

    const updated = await j.jobs['jobs.update']({ id: job.id, patch: { schedule: { type: 'interval', everyMinutes: 10 }, retryPolicy: { maxRetries: 1, backoffMinutes: 2 } } }, j.ctx);
    expect(Math.abs(Date.parse(updated.nextRunAt!) - Date.now() - 10 * 60_000)).toBeLessThan(5_000);
    expect(updated.retryPolicy).toEqual({ maxRetries: 1, backoffMinutes: 2 });
    const inactive = await j.jobs['jobs.setActive']({ id: job.id, active: false }, j.ctx);
    expect(inactive).toMatchObject({ active: false, nextRunAt: null });
  });

  it('guards: an inactive job runs only when forced, an inactive integration never, and a live run blocks a second one and the delete', async () => {
    const integrationId = await j.integration({ pages: 1, pageSize: 1 }, 'synthetic', 'Guards');
    const jobId = await j.job(integrationId, { name: 'guarded', active: false });
    await expect(j.jobs['jobs.runNow']({ id: jobId, force: false }, j.ctx)).rejects.toMatchObject({ code: 'conflict', message: 'Job "guarded" is inactive; activate it, or force a single run.' });
    const forced = await j.jobs['jobs.runNow']({ id: jobId, force: true }, j.ctx);
    expect(forced.run).toMatchObject({ state: 'running', trigger: 'manual', startedBy: 'test-operator' });
    await expect(j.jobs['jobs.runNow']({ id: jobId, force: true }, j.ctx)).rejects.toMatchObject({ code: 'conflict', message: `Run ${forced.run.id} of job "guarded" is already running; wait for it, or pause or cancel it first.` });
    await expect(j.jobs['jobs.delete']({ id: jobId }, j.ctx)).rejects.toMatchObject({ code: 'conflict', message: `Job "guarded" has run ${forced.run.id} running; cancel it or let it finish before deleting the job.` });
    await j.runs['runs.cancel']({ id: forced.run.id }, j.ctx);

    await j.h.pool.query('UPDATE integrations SET active = false WHERE id = $1', [integrationId]);
    await expect(j.jobs['jobs.runNow']({ id: jobId, force: true }, j.ctx)).rejects.toMatchObject({ code: 'conflict', message: 'Integration "Guards" is inactive; activate it before running it.' });
    await expect(j.jobs['jobs.setActive']({ id: jobId, active: true }, j.ctx)).rejects.toMatchObject({ code: 'conflict', message: 'Integration "Guards" is inactive; activate it before activating job "guarded".' });

    // Deleting the job keeps its run history.
    expect(await j.jobs['jobs.delete']({ id: jobId }, j.ctx)).toEqual({ id: jobId, deleted: true });
    expect(await j.runs['runs.get']({ id: forced.run.id }, j.ctx)).toMatchObject({ id: forced.run.id, jobId: null, state: 'cancelled' });
  });

  it('an integration cannot be deactivated while a run of its job is live, even when both happen at once', async () => {
    // Deactivation is the integrations API's (it needs neither tasks nor the sealing key).
    const integrations = integrationHandlers({ pool: j.h.pool, tasks: {} as never, secretKey: () => ({}) as never });
    const integrationId = await j.integration({ pages: 1, pageSize: 1 }, 'synthetic', 'Deactivation');
    const jobId = await j.job(integrationId, { name: 'busy' });
    const { run } = await j.jobs['jobs.runNow']({ id: jobId, force: false }, j.ctx);
    await expect(integrations['integrations.setActive']({ id: integrationId, active: false }, j.ctx)).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/has 1 run in progress .* so it cannot be deactivated/) });
    // The database refuses it too, whoever asks (it closes the race below).
    await expect(j.h.pool.query('UPDATE integrations SET active = false WHERE id = $1', [integrationId])).rejects.toMatchObject({
      code: '55006',
      message: `Integration "Deactivation" has run ${run.id} in progress, so it cannot be deactivated; let it finish or cancel it, then try again.`,
    });
    await j.runs['runs.cancel']({ id: run.id }, j.ctx);
    // Race a start against a deactivation, many times: never an inactive integration with a live run.
    for (let i = 0; i < 20; i++) {
      await j.h.pool.query('UPDATE integrations SET active = true WHERE id = $1', [integrationId]);
      const [started] = await Promise.allSettled([j.jobs['jobs.runNow']({ id: jobId, force: false }, j.ctx), integrations['integrations.setActive']({ id: integrationId, active: false }, j.ctx)]);
      const live = await j.h.pool.query("SELECT i.active, r.id FROM integrations i LEFT JOIN runs r ON r.integration_id = i.id AND r.state IN ('queued', 'running', 'paused', 'rate_limited') WHERE i.id = $1", [integrationId]);
      expect(live.rows.filter((r) => r.id !== null && r.active === false)).toEqual([]);
      if (started.status === 'fulfilled') await j.runs['runs.cancel']({ id: started.value.run.id }, j.ctx);
    }
  });

  it('keeps tenants apart', async () => {
    const other = (await j.h.pool.query<{ id: number }>("INSERT INTO tenants (name) VALUES ('Other tenant') RETURNING id")).rows[0]!.id;
    const jobId = await j.job(await j.integration({ pages: 1, pageSize: 1 }));
    const theirs = { ...j.ctx, tenantId: other };
    await expect(j.jobs['jobs.get']({ id: jobId }, theirs)).rejects.toMatchObject({ code: 'not_found' });
    expect((await j.jobs['jobs.list']({}, theirs)).jobs).toEqual([]);
    expect((await j.runs['runs.list']({ limit: 50 }, theirs)).runs).toEqual([]);
    await expect(j.jobs['jobs.list']({}, { ...j.ctx, tenantId: null })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringMatching(/^Pick a tenant first/) });
  });

  it('lists run history newest first with filters and a cursor that neither skips nor repeats', async () => {
    const integrationId = await j.integration({ pages: 1, pageSize: 1 }, 'synthetic', 'History');
    const jobId = await j.job(integrationId, { name: 'history' });
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { run } = await j.jobs['jobs.runNow']({ id: jobId, force: false }, j.ctx);
      ids.push(run.id);
      await j.runs['runs.cancel']({ id: run.id }, j.ctx);
    }
    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await j.runs['runs.list']({ jobId, limit: 2, ...(cursor ? { cursor } : {}) }, j.ctx);
      seen.push(...page.runs.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    expect(pages).toBe(3);
    expect((await j.runs['runs.list']({ jobId, states: ['succeeded'], limit: 50 }, j.ctx)).runs).toEqual([]);
    const cancelled = await j.runs['runs.list']({ jobId, states: ['cancelled'], kinds: ['full_refresh'], triggers: ['manual'], limit: 50 }, j.ctx);
    expect(cancelled.runs.map((r) => r.id)).toEqual([...ids].reverse());
    expect(cancelled.runs[0]).toMatchObject({ kind: 'full_refresh', trigger: 'manual', startedBy: 'test-operator', error: { reason: 'cancelled' } });
    await expect(j.runs['runs.list']({ cursor: 'bm9wZQ', limit: 5 }, j.ctx)).rejects.toMatchObject({ code: 'bad_request', message: 'The history cursor is not one this engine gave out; start again from the first page.' });
    const detail = await j.runs['runs.get']({ id: ids[0]! }, j.ctx);
    expect(detail.steps).toEqual([expect.objectContaining({ step: 'items', label: 'Items', streams: [{ stream: 'items', done: false, partitions: 1, partitionsDone: 0, partitionsFailed: 0, pages: 0 }] })]);
  });

  it('retention: raw data only with an explicit confirmation; old logs and runs without raw data are removed', async () => {
    await expect(j.runs['runs.setRetention']({ runsDays: 30, logsDays: 7, rawDays: 90, confirmRawDeletion: false }, j.ctx)).rejects.toMatchObject({ code: 'bad_request', message: expect.stringMatching(/^Deleting raw data older than 90 days cannot be undone/) });
    expect(await j.runs['runs.getRetention']({}, j.ctx)).toEqual({ runsDays: null, logsDays: 90, rawDays: null });
    expect(await j.runs['runs.setRetention']({ runsDays: 30, logsDays: 7, rawDays: null, confirmRawDeletion: false }, j.ctx)).toEqual({ runsDays: 30, logsDays: 7, rawDays: null });
    // A cancelled run from 40 days ago with no raw data, and one with raw data: only the first goes.
    const jobId = await j.job(await j.integration({ pages: 1, pageSize: 1 }), { name: 'old' });
    const { run: bare } = await j.jobs['jobs.runNow']({ id: jobId, force: false }, j.ctx);
    await j.runs['runs.cancel']({ id: bare.id }, j.ctx);
    const { run: withRaw } = await j.jobs['jobs.runNow']({ id: jobId, force: false }, j.ctx);
    await j.runs['runs.cancel']({ id: withRaw.id }, j.ctx);
    await j.h.pool.query(
      `INSERT INTO raw_extraction_data (tenant_id, integration_id, run_id, step, stream, request_url, payload, payload_bytes, status)
       SELECT tenant_id, integration_id, id, 'items', 'items', 'synthetic://x', '{}', 2, 'loaded' FROM runs WHERE id = $1`,
      [withRaw.id],
    );
    await j.h.pool.query("UPDATE runs SET created_at = now() - interval '40 days', started_at = now() - interval '40 days', finished_at = now() - interval '40 days' WHERE id = ANY ($1)", [[bare.id, withRaw.id]]);
    await j.h.pool.query("UPDATE run_logs SET at = now() - interval '8 days' WHERE run_id = $1", [withRaw.id]);
    const removed = await applyRetention(j.h.pool);
    expect(removed.runs).toBe(1);
    expect(removed.logs).toBeGreaterThanOrEqual(2);
    expect((await j.h.pool.query('SELECT id FROM runs WHERE id = ANY ($1) ORDER BY id', [[bare.id, withRaw.id]])).rows.map((r) => Number(r.id))).toEqual([withRaw.id]);
    expect((await j.h.pool.query('SELECT count(*) AS n FROM run_logs WHERE run_id = $1', [withRaw.id])).rows[0].n).toBe('0');
    expect((await j.h.pool.query('SELECT count(*) AS n FROM raw_extraction_data WHERE run_id = $1', [withRaw.id])).rows[0].n).toBe('1');
  });

  it('sluice job list / run --wait prints per-step progress and exits 0 only when the run succeeded', async () => {
    await j.workers({ extract: 1, transform: 1, load: 1 });
    const ok = await j.job(await j.integration({ pages: 20, pageSize: 5 }, 'synthetic', 'CLI ok'), { name: 'cli ok' });
    const bad = await j.job(await j.integration({ pages: 4, pageSize: 5, poisonPage: 2 }, 'synthetic', 'CLI partial'), { name: 'cli partial' });
    const cli = (...args: string[]) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/index.ts', 'job', ...args], {
          cwd: repoRoot,
          env: { ...process.env, DATABASE_URL: j.databaseUrl, RABBITMQ_URL: requireEnv('RABBITMQ_URL'), SLUICE_HOME: '/nonexistent-sluice-home' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('exit', (code) => resolve({ code, out, err }));
      });
    const list = await cli('list', '--tenant', String(j.h.tenantId));
    expect(list.code).toBe(0);
    expect(list.out).toMatch(new RegExp(`^ +${ok}  cli ok  \\[CLI ok, synthetic\\]  active  manual  next -  never run$`, 'm'));

    const good = await cli('run', String(ok), '--wait');
    expect(good.err).toBe('');
    expect(good.code).toBe(0);
    const lines = good.out.trim().split('\n');
    expect(lines[0]).toMatch(/^Run \d+ of job "cli ok" started: it reads everything from the source again\.$/);
    expect(lines.slice(1, -1).every((l) => /^run \d+ (running|succeeded) {2}Items: (extracting|extracted) · \d+ extracted · \d+ transformed · \d+ loaded · 0 failed · \d+ pending$/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^run \d+ ended succeeded: 100 record\(s\) loaded from 20 unit\(s\), 0 failed, 0 skipped in \d+\.\d s$/);

    const partial = await cli('run', String(bad), '--wait');
    expect(partial.code).toBe(1);
    expect(partial.err).toMatch(/^sluice: run (\d+) ended partial: 15 record\(s\) loaded from 4 unit\(s\), 1 failed, 0 skipped in \d+\.\d s; see `sluice job logs \1`, then `sluice job rerun \1`\n$/);

    const nothing = await cli('pause', String(ok));
    expect(nothing.code).toBe(1);
    expect(nothing.err).toBe(`sluice: Job ${ok} ("cli ok") has no live run to act on.\n`);
    const missing = await cli('run', '424242');
    expect(missing.code).toBe(3);
    expect(missing.err).toBe('sluice: Job 424242 does not exist; `sluice job list` shows the jobs.\n');
  }, 120_000);
});
