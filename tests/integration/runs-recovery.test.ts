import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { recoverInterruptedRuns } from '../../main/engine/runs/recovery';
import { startRun } from '../../main/engine/runs/start';
import { waitFor } from './queue-harness';
import { createJobsHarness, type JobsHarness } from './jobs-harness';
import { repoRoot } from './supervisor-harness';
import { requireEnv } from './support/env';

/**
 * Nothing stays running forever: an engine killed mid-run (SIGKILL, with its worker threads) and
 * started again resumes the run from its checkpoints even though every queued message was lost; a
 * run that cannot continue is failed with the reason; a run without activity is sent again, then
 * failed with what to do.
 */
describe('runs: recovery after an engine crash, and the sweep of runs without activity', () => {
  let j: JobsHarness;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    j = await createJobsHarness('rec');
  }, 120_000);
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await j?.cleanup();
  });

  const n = async (sql: string, params: unknown[]): Promise<number> => Number((await j.h.pool.query<{ n: string }>(sql, params)).rows[0]!.n);

  /** `createEngine` in a child process with embedded workers in this file's queue namespace. */
  const startEngine = async (): Promise<ChildProcess> => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/integration/support/engine-child.ts'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        DATABASE_URL: j.databaseUrl,
        RABBITMQ_URL: requireEnv('RABBITMQ_URL'),
        REDIS_URL: requireEnv('REDIS_URL'),
        SLUICE_HOME: mkdtempSync(join(tmpdir(), 'sluice-rec-')),
        SLUICE_WORKERS: 'extract=1,transform=1,load=1,vectorize=0',
        SLUICE_TEST_PREFIX: j.h.queues.prefix,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the engine did not get ready within 90 s:\n${stderr}`)), 90_000);
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (line.trim() !== 'ready') return;
        clearTimeout(timer);
        resolve();
      });
      child.once('exit', (code) => reject(new Error(`the engine exited with ${code}:\n${stderr}`)));
    });
    return child;
  };

  it('an engine killed mid-run and started again resumes the run from its checkpoints, with exact counts', async () => {
    const pages = 400;
    const integrationId = await j.integration({ pages, pageSize: 2 });
    const jobId = await j.job(integrationId);
    const first = await startEngine();
    const { run } = await j.jobs['jobs.runNow']({ id: jobId, force: false }, j.ctx);
    await waitFor('some pages', async () => (await n('SELECT count(*) AS n FROM raw_extraction_data WHERE run_id = $1', [run.id])) >= 30, 60_000);
    const exited = new Promise((r) => first.once('exit', r));
    first.kill('SIGKILL');
    await exited;
    expect(await j.state(run.id)).toBe('running');
    const storedAtCrash = await n('SELECT count(*) AS n FROM raw_extraction_data WHERE run_id = $1', [run.id]);
    expect(storedAtCrash).toBeLessThan(pages);
    // Whatever was queued or unacked is gone too (as if the broker lost it): only the checkpoints in Postgres remain.
    await j.h.queues.queues.management.deleteByPrefix(j.h.queues.prefix);

    const second = await startEngine();
    expect(await j.h.waitForRunEnd(run.id, 120_000)).toBe('succeeded');
    const o = await j.h.outcome({ runId: run.id, integrationId, firstExtract: null as never });
    expect(o).toMatchObject({ state: 'succeeded', items: pages * 2, itemsWithLineage: pages * 2, rawUnits: pages, distinctPages: pages, byStatus: { loaded: pages } });
    const logs = (await j.runs['runs.logs']({ id: run.id, levels: ['warn'], limit: 50 }, j.ctx)).logs;
    expect(logs.map((l) => l.message)).toEqual([expect.stringMatching(/^Recovered after an engine restart: 1 partition\(s\) continue from their checkpoints/)]);
    second.kill('SIGTERM');
    await new Promise((r) => second.once('exit', r));
  }, 240_000);

  it('marks a run failed with the reason when it cannot continue (its connector is unknown)', async () => {
    const integrationId = await j.integration({ pages: 5, pageSize: 1 });
    const { runId } = await startRun(j.h.pool, { tenantId: j.h.tenantId, integrationId, kind: 'full_refresh', trigger: 'manual' });
    await j.h.pool.query(`UPDATE integrations SET settings = jsonb_set(settings, '{connector}', '"retired"') WHERE id = $1`, [integrationId]);
    const report = await recoverInterruptedRuns(j.h.pool);
    expect(report.failed).toContain(runId);
    const run = await j.runs['runs.get']({ id: runId }, j.ctx);
    expect(run).toMatchObject({ state: 'failed', error: { reason: 'connector_unknown' } });
    expect(run.error?.message).toMatch(/cannot continue run \d+: its integration names a connector this engine does not know \(retired\)\. Fix the integration/);
    expect(await n('SELECT count(*) AS n FROM queue_outbox WHERE run_id = $1', [runId])).toBe(0);
  });

  it('a run without activity is sent again once, then failed with what to do', async () => {
    const coordinator = j.coordinator({ staleAfterMs: 300, sweepEveryMs: 0 });
    const integrationId = await j.integration({ pages: 5, pageSize: 1 });
    const { runId } = await startRun(j.h.pool, { tenantId: j.h.tenantId, integrationId, kind: 'full_refresh', trigger: 'manual' });
    // Its first message left the outbox and was lost on the way (no worker here relays it anyway).
    await j.h.pool.query('DELETE FROM queue_outbox WHERE run_id = $1', [runId]);
    await new Promise((r) => setTimeout(r, 400));
    expect((await coordinator.tick()).republished).toEqual([runId]);
    expect(await n('SELECT count(*) AS n FROM queue_outbox WHERE run_id = $1', [runId])).toBe(1);
    expect(await j.state(runId)).toBe('running');
    // Still nothing takes it: now the outbox itself waits, so no extract worker runs anywhere.
    await new Promise((r) => setTimeout(r, 400));
    expect((await coordinator.tick()).failed).toEqual([runId]);
    const run = await j.runs['runs.get']({ id: runId }, j.ctx);
    expect(run).toMatchObject({ state: 'failed', error: { reason: 'no_workers' } });
    expect(run.error?.message).toMatch(/no extract worker is running\. Start one \(SLUICE_WORKERS, or `sluice worker`\), then resume the run\./);
    // A paused run is never swept: it waits for the operator.
    const other = await j.integration({ pages: 5, pageSize: 1 });
    const paused = await startRun(j.h.pool, { tenantId: j.h.tenantId, integrationId: other, kind: 'full_refresh', trigger: 'manual' });
    await j.runs['runs.pause']({ id: paused.runId }, j.ctx);
    await new Promise((r) => setTimeout(r, 400));
    const report = await coordinator.tick();
    expect([...report.failed, ...report.republished]).not.toContain(paused.runId);
    expect(await j.state(paused.runId)).toBe('paused');
    await j.runs['runs.cancel']({ id: paused.runId }, j.ctx);
  });
});
