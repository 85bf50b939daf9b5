import type pg from 'pg';
import type pino from 'pino';
import { z } from 'zod';

import type { EventPayload } from '../../../shared/contract/api';
import type { RunAttention } from '../../../shared/contract/notifications';
import type { EventHub } from '../events';

/**
 * Turns the end of a run that needs an operator (failed, or partial: finished with failed units) into
 * one `notifications.run` event, which consoles show as a toast and the desktop shell as a native
 * notification. It watches the engine's own `runs.progress` pushes (every engine sees every run's end
 * through Redis), so it needs no hook in the run code; a run is announced once per engine, and only
 * if it ended recently (an old run whose progress is pushed again is not news).
 */

const RECENT_MS = 10 * 60_000;
const REMEMBER = 2_000;

const Row = z.object({
  tenant_id: z.coerce.number(),
  job_id: z.coerce.number().nullable(),
  tenant_name: z.string(),
  job_name: z.string().nullable(),
  integration_name: z.string(),
  finished_at: z.date().nullable(),
  error: z.looseObject({ message: z.string().optional() }).nullable(),
});

export const attentionMessage = (runId: number, title: string, hasJob: boolean, state: 'failed' | 'partial', failedUnits: number, error: string | null): string => {
  const what = `Run ${runId} of ${hasJob ? 'job' : 'integration'} "${title}"`;
  if (state === 'partial') return `${what} finished partial: ${failedUnits} unit(s) failed. Open the run to see the errors by cause, then re-run the failed units.`;
  const why = error ? error.replace(/\.$/, '') : 'no reason was recorded';
  return `${what} failed: ${why}. Open the run to see its log, then resume it from its checkpoints.`;
};

export class RunNotifier {
  private readonly seen = new Set<number>();
  private readonly unsubscribe: () => void;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly hub: EventHub,
    private readonly logger: pino.Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.unsubscribe = hub.subscribe((event, payload) => {
      if (event === 'runs.progress') this.onProgress(payload as EventPayload<'runs.progress'>);
    });
  }

  private onProgress(progress: EventPayload<'runs.progress'>): void {
    if (progress.state !== 'failed' && progress.state !== 'partial') return;
    if (this.seen.has(progress.runId)) return;
    this.seen.add(progress.runId);
    if (this.seen.size > REMEMBER) this.seen.delete(this.seen.values().next().value as number);
    const state = progress.state;
    const p = this.announce(progress.runId, state, progress.totals.failed)
      .catch((error: unknown) => this.logger.warn({ err: error, runId: progress.runId }, 'could not announce the end of a run'))
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  private async announce(runId: number, state: 'failed' | 'partial', failedUnits: number): Promise<void> {
    const res = await this.pool.query(
      `SELECT r.tenant_id, r.job_id, t.name AS tenant_name, j.name AS job_name, i.name AS integration_name, r.finished_at, r.error
         FROM runs r JOIN tenants t ON t.id = r.tenant_id JOIN integrations i ON i.id = r.integration_id
         LEFT JOIN jobs j ON j.id = r.job_id WHERE r.id = $1`,
      [runId],
    );
    if (res.rowCount === 0) return;
    const row = Row.parse(res.rows[0]);
    const ended = row.finished_at?.getTime() ?? this.now();
    if (this.now() - ended > RECENT_MS) return;
    const title = row.job_name ?? row.integration_name;
    const payload: RunAttention = {
      tenantId: row.tenant_id,
      tenantName: row.tenant_name,
      runId,
      jobId: row.job_id,
      title,
      state,
      message: attentionMessage(runId, title, row.job_name !== null, state, failedUnits, row.error?.message ?? null),
      at: new Date(ended).toISOString(),
    };
    this.hub.publish('notifications.run', payload);
  }

  async close(): Promise<void> {
    this.unsubscribe();
    await Promise.allSettled([...this.inFlight]);
  }
}
