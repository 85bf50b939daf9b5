import type { WorkerStats } from '../../shared/worker-protocol/protocol';

/**
 * Posts a thread's counters to the supervisor at most every `intervalMs`, and only when they changed:
 * a thread handling thousands of messages a second must not flood the supervisor (which forwards
 * summaries, never per-message events). `flush()` posts at once (ready, shutdown) so the final
 * numbers are never lost to the throttle.
 */
export class StatsReporter {
  private timer: NodeJS.Timeout | null = null;
  private last = '';

  constructor(
    private readonly read: () => WorkerStats,
    private readonly post: (stats: WorkerStats) => void,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.tick(), this.intervalMs);
  }

  /** Posts the current stats if they differ from the last posted; returns whether it posted. */
  tick(): boolean {
    const stats = this.read();
    const key = JSON.stringify(stats);
    if (key === this.last) return false;
    this.last = key;
    this.post(stats);
    return true;
  }

  flush(): void {
    this.tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
