import type { PoolHealth } from '../../shared/worker-protocol/health';
import type { Stage } from '../../shared/worker-protocol/protocol';
import { nextCrashStreak, restartDelay, type RestartPolicy } from './backoff';
import { aggregatePool, retire, zeroTotals, type Totals } from './health';
import type { SupervisorLogger } from './logger';
import type { ThreadExit, WorkerThread } from './thread';

/**
 * The threads of one stage. It keeps `desired` threads alive: a thread that exits unplanned is
 * replaced after a backoff (see backoff.ts); extra threads after a scale-down are drained, not killed.
 */
export interface PoolDeps {
  readonly createThread: (stage: Stage, events: { onReady(t: WorkerThread): void; onExit(t: WorkerThread, e: ThreadExit): void }) => WorkerThread;
  readonly restartPolicy: RestartPolicy;
  /** Grace for threads stopped by a scale-down or a pool restart. */
  readonly drainGraceMs: number;
  readonly logger: SupervisorLogger;
}

export class StagePool {
  private desired = 0;
  private lifecycle: 'running' | 'stopping' | 'stopped' = 'running';
  private readonly threads = new Set<WorkerThread>();
  private retired: Totals = zeroTotals();
  private restarts = 0;
  private crashStreak = 0;
  private lastError: { message: string; at: string } | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private nextRestartAt: number | null = null;
  private readyWaiters = new Set<() => void>();

  constructor(
    readonly stage: Stage,
    private readonly deps: PoolDeps,
  ) {}

  scale(n: number): void {
    this.desired = n;
    this.reconcile();
  }

  /** Drains every thread, then starts `desired` fresh ones (e.g. after new settings or a crash loop fix). */
  async restart(graceMs = this.deps.drainGraceMs): Promise<void> {
    this.clearRestartTimer();
    this.crashStreak = 0;
    const old = [...this.threads];
    // Start replacements first, so the stage keeps consuming while the old threads drain.
    for (const t of old) void t.shutdown(graceMs);
    this.reconcile();
    await Promise.all(old.map((t) => t.shutdown(graceMs)));
  }

  async stop(graceMs: number): Promise<void> {
    this.lifecycle = 'stopping';
    this.clearRestartTimer();
    await Promise.all([...this.threads].map((t) => t.shutdown(graceMs)));
    this.lifecycle = 'stopped';
  }

  health(): PoolHealth {
    return aggregatePool({
      stage: this.stage,
      desired: this.desired,
      lifecycle: this.lifecycle,
      threads: [...this.threads].map((t) => ({ state: t.state, stats: t.stats })),
      retired: this.retired,
      restarts: this.restarts,
      crashStreak: this.crashStreak,
      nextRestartAt: this.nextRestartAt,
      lastError: this.lastError,
    });
  }

  /** Resolves once `desired` threads are active (checked on every ready). */
  whenReady(): Promise<void> {
    if (this.activeCount() >= this.desired) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.activeCount() < this.desired) return;
        this.readyWaiters.delete(check);
        resolve();
      };
      this.readyWaiters.add(check);
    });
  }

  private activeCount(): number {
    return [...this.threads].filter((t) => t.state === 'active').length;
  }

  /** Threads that count toward `desired`: starting or active, not those draining. */
  private current(): WorkerThread[] {
    return [...this.threads].filter((t) => t.state === 'created' || t.state === 'active');
  }

  private reconcile(): void {
    if (this.lifecycle !== 'running') return;
    const current = this.current();
    if (current.length > this.desired) {
      // Drop the youngest first (starting ones before active ones): they have the least work in flight.
      const extra = current.reverse().slice(0, current.length - this.desired);
      for (const t of extra) void t.shutdown(this.deps.drainGraceMs);
      return;
    }
    // While a backoff is pending, wait for it: spawning now would defeat the backoff.
    if (this.restartTimer) return;
    for (let i = current.length; i < this.desired; i++) this.spawn();
  }

  private spawn(): void {
    const thread = this.deps.createThread(this.stage, {
      onReady: () => {
        for (const check of [...this.readyWaiters]) check();
      },
      onExit: (t, exit) => this.onExit(t, exit),
    });
    this.threads.add(thread);
    thread.start();
  }

  private onExit(thread: WorkerThread, exit: ThreadExit): void {
    this.threads.delete(thread);
    this.retired = retire(this.retired, exit.stats);
    if (exit.planned || this.lifecycle !== 'running') {
      this.reconcile();
      return;
    }
    this.restarts += 1;
    this.crashStreak = nextCrashStreak(this.crashStreak, exit.uptimeMs, this.deps.restartPolicy);
    this.lastError = { message: exit.reason ?? `exit code ${exit.code}`, at: new Date().toISOString() };
    const delay = restartDelay(this.crashStreak, this.deps.restartPolicy);
    this.deps.logger.warn({ stage: this.stage, code: exit.code, reason: exit.reason, crashStreak: this.crashStreak, restartInMs: delay }, 'worker thread crashed; restarting after backoff');
    if (!this.restartTimer) {
      this.nextRestartAt = Date.now() + delay;
      this.restartTimer = setTimeout(() => {
        this.restartTimer = null;
        this.nextRestartAt = null;
        this.reconcile();
      }, delay);
      this.restartTimer.unref();
    }
  }

  private clearRestartTimer(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    this.nextRestartAt = null;
  }
}
