import type pg from 'pg';
import type pino from 'pino';

import type { ProgressFeed } from '../runs/progress-feed';
import { recoverInterruptedRuns, sweepStaleRuns } from '../runs/recovery';
import { applyRetention } from '../runs/retention';
import type { Leadership } from './leader';
import { runDueRetries, runDueSchedules, type TickOutcome } from './scheduler';

/**
 * The engine's run coordinator: recovery once at start, then a tick every `tickMs` on the engine
 * that holds the scheduler lead (Redis lock with renewal; a dead holder's lock expires and the next
 * engine takes over): due schedules, due retries, the sweep of runs without activity, retention.
 * Ticks never overlap; a failing tick is logged and the next one tries again.
 */

export interface CoordinatorTiming {
  /** How often the leader looks for due jobs (default 5 s; 0 = only when `tick()` is called). */
  readonly tickMs: number;
  /** A live run without activity for this long is sent again, then failed (default 15 min). */
  readonly staleAfterMs: number;
  /** How often the stale-run sweep runs (default 60 s). */
  readonly sweepEveryMs: number;
  /** How often retention is applied (default 1 h). */
  readonly retentionEveryMs: number;
  /** Recover interrupted runs at start (default true). */
  readonly recoverOnStart: boolean;
}

export const DEFAULT_TIMING: CoordinatorTiming = { tickMs: 5_000, staleAfterMs: 15 * 60_000, sweepEveryMs: 60_000, retentionEveryMs: 3_600_000, recoverOnStart: true };

export interface TickReport extends TickOutcome {
  readonly led: boolean;
  readonly republished: number[];
  readonly failed: number[];
}

export class JobCoordinator {
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<TickReport> | null = null;
  private lastSweep = 0;
  private lastRetention = 0;
  private stopped = false;
  readonly timing: CoordinatorTiming;

  constructor(
    private readonly pool: pg.Pool,
    private readonly feed: ProgressFeed,
    private readonly leadership: Leadership,
    private readonly logger: pino.Logger,
    timing: Partial<CoordinatorTiming> = {},
  ) {
    this.timing = { ...DEFAULT_TIMING, ...timing };
  }

  get mode(): Leadership['mode'] {
    return this.leadership.mode;
  }

  async start(): Promise<void> {
    if (this.timing.recoverOnStart) {
      try {
        const report = await recoverInterruptedRuns(this.pool);
        for (const id of [...report.resumed, ...report.failed, ...report.ended]) this.feed.touch(id);
        if (report.resumed.length + report.failed.length + report.ended.length > 0) this.logger.info(report, 'interrupted runs recovered');
      } catch (error) {
        this.logger.warn({ err: error }, 'interrupted runs could not be recovered now; the stale-run sweep will retry');
      }
    }
    if (this.timing.tickMs > 0) this.loop();
  }

  /** One tick now (tests, and the timer). Concurrent calls share the running tick. */
  tick(now?: Date): Promise<TickReport> {
    this.ticking ??= this.runTick(now).finally(() => (this.ticking = null));
    return this.ticking;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking?.catch(() => undefined);
    await this.leadership.release();
  }

  private loop(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.tick()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'scheduler tick failed; retrying at the next tick'))
        .finally(() => this.loop());
    }, this.timing.tickMs);
    this.timer.unref();
  }

  private async runTick(now = new Date()): Promise<TickReport> {
    const report = { led: false, started: [] as TickOutcome['started'], refused: [] as TickOutcome['refused'], republished: [] as number[], failed: [] as number[] };
    if (this.stopped || !(await this.leadership.hold())) return report;
    report.led = true;
    // The sweep goes first, so it never judges a run this tick has just started (with a short
    // staleAfterMs and a slow tick, a fresh run whose outbox was not relayed yet looked abandoned).
    if (now.getTime() - this.lastSweep >= this.timing.sweepEveryMs) {
      this.lastSweep = now.getTime();
      const swept = await sweepStaleRuns(this.pool, this.timing.staleAfterMs);
      report.republished.push(...swept.republished);
      report.failed.push(...swept.failed);
    }
    await runDueSchedules(this.pool, report, now);
    await runDueRetries(this.pool, report, now);
    if (now.getTime() - this.lastRetention >= this.timing.retentionEveryMs) {
      this.lastRetention = now.getTime();
      const removed = await applyRetention(this.pool);
      if (removed.logs + removed.rawUnits + removed.runs > 0) this.logger.info(removed, 'retention applied');
    }
    for (const s of report.started) this.feed.touch(s.runId);
    for (const id of [...report.republished, ...report.failed]) this.feed.touch(id);
    for (const r of report.refused) this.logger.warn(r, 'a scheduled start was refused');
    if (report.started.length + report.refused.length > 0) await this.notifyJobs([...report.started.map((s) => s.jobId), ...report.refused.map((r) => r.jobId)]);
    return report;
  }

  private async notifyJobs(jobIds: number[]): Promise<void> {
    const res = await this.pool.query<{ id: string; tenant_id: number }>('SELECT id, tenant_id FROM jobs WHERE id = ANY ($1::bigint[])', [jobIds]);
    for (const row of res.rows) this.feed.jobChanged(row.tenant_id, Number(row.id), 'scheduled');
  }
}
