import type { Worker } from 'node:worker_threads';

import { WORKER_PROTOCOL_VERSION, WorkerMessage, type Stage, type WorkerSettingsInput, type WorkerStats } from '../../shared/worker-protocol/protocol';
import type { ProgressEvent } from '../../shared/worker-protocol/progress';
import { spawnWorker, type WorkerEntry } from './entries';

/**
 * One supervised worker thread, `created → active → stopping → stopped` (pg-boss's worker states):
 * created until the thread posts `ready` (it is consuming), active while it works, stopping after
 * `shutdown` was sent, stopped once the thread has exited. Liveness is a ping/pong: a thread whose
 * event loop is stuck (an endless loop, a synchronous call that never returns) stops answering and is
 * terminated, which the pool treats as a crash.
 */
export type ThreadState = 'created' | 'active' | 'stopping' | 'stopped';

export interface ThreadTiming {
  /** How often to ping. Handlers are async, so a healthy thread answers within milliseconds. */
  readonly pingIntervalMs: number;
  /** No pong for this long = hung. Generous: a CPU-heavy transform batch may hold the loop for seconds. */
  readonly pingTimeoutMs: number;
  /** Longer than the worker's own connect timeout (30 s), so the worker's `fatal` says why first. */
  readonly readyTimeoutMs: number;
  /** After `stopped` or `fatal`, how long the thread may take to end before it is terminated. */
  readonly exitTimeoutMs: number;
}

export const DEFAULT_THREAD_TIMING: ThreadTiming = { pingIntervalMs: 5_000, pingTimeoutMs: 20_000, readyTimeoutMs: 45_000, exitTimeoutMs: 5_000 };

export interface ThreadExit {
  readonly code: number;
  /** True when the supervisor asked it to stop; false for a crash, a fatal or a hang. */
  readonly planned: boolean;
  /** Why it ended unplanned (the worker's fatal message, an uncaught error, a missed ping). */
  readonly reason: string | null;
  /** How long it had been active (0 if it never became ready). */
  readonly uptimeMs: number;
  /** The last stats it posted (its totals, up to one stats interval old after a crash). */
  readonly stats: WorkerStats | null;
}

export interface ThreadEvents {
  onReady(thread: WorkerThread): void;
  onExit(thread: WorkerThread, exit: ThreadExit): void;
  /** A run's live progress signal from the thread (sent this way only without Redis). */
  onProgress?(event: ProgressEvent): void;
}

export class WorkerThread {
  state: ThreadState = 'created';
  stats: WorkerStats | null = null;
  private worker: Worker | null = null;
  private readyAt = 0;
  private lastPongAt = Date.now();
  private pingId = 0;
  private failure: string | null = null;
  private stopRequested = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly exited: Promise<void>;
  private resolveExited!: () => void;

  constructor(
    readonly stage: Stage,
    private readonly entry: WorkerEntry,
    private readonly settings: WorkerSettingsInput,
    private readonly timing: ThreadTiming,
    private readonly events: ThreadEvents,
  ) {
    this.exited = new Promise((resolve) => (this.resolveExited = resolve));
  }

  get busy(): boolean {
    return this.state === 'active' && (this.stats?.inFlight ?? 0) > 0;
  }

  start(): void {
    let worker: Worker;
    try {
      worker = spawnWorker(this.entry, { workerData: this.settings, name: `sluice-${this.stage}` });
    } catch (error) {
      // Reported like a crash one tick later, so the pool's backoff applies to a missing entry too.
      this.failure = error instanceof Error ? error.message : String(error);
      setImmediate(() => this.finish(1));
      return;
    }
    this.worker = worker;
    worker.on('message', (raw: unknown) => this.onMessage(raw));
    // An error the thread could not catch itself (it normally posts `fatal` and exits).
    worker.on('error', (error: Error) => (this.failure ??= `uncaught error in the ${this.stage} thread: ${error.message}`));
    worker.on('exit', (code) => this.finish(code));
    this.every(this.timing.pingIntervalMs, () => this.ping());
    this.after(this.timing.readyTimeoutMs, () => {
      if (this.state === 'created') this.kill(`the ${this.stage} thread did not become ready within ${this.timing.readyTimeoutMs} ms`);
    });
  }

  /** Asks the thread to drain and exit; resolves when it has exited (terminated if it overstays). */
  async shutdown(graceMs: number): Promise<void> {
    if (this.state === 'stopped') return;
    this.stopRequested = true;
    if (this.state !== 'stopping') {
      this.state = 'stopping';
      this.worker?.postMessage({ type: 'shutdown', graceMs });
      // The thread enforces graceMs itself; this is the backstop if it cannot (stuck event loop).
      this.after(graceMs + this.timing.exitTimeoutMs, () => this.kill(`the ${this.stage} thread did not stop within ${graceMs} ms`));
    }
    await this.exited;
  }

  /** Ends the thread now; in-flight messages go back to the queue when its connection drops. */
  kill(reason: string): void {
    this.failure ??= reason;
    void this.worker?.terminate();
  }

  private onMessage(raw: unknown): void {
    const parsed = WorkerMessage.safeParse(raw);
    if (!parsed.success) {
      this.kill(`the ${this.stage} thread sent an invalid message (${parsed.error.issues[0]?.message ?? 'invalid'})`);
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'ready':
        if (message.protocol !== WORKER_PROTOCOL_VERSION) {
          this.kill(`the ${this.stage} thread speaks protocol ${message.protocol}, the supervisor ${WORKER_PROTOCOL_VERSION}; rebuild so they match`);
          return;
        }
        if (this.state !== 'created') return;
        this.state = 'active';
        this.readyAt = Date.now();
        this.lastPongAt = this.readyAt;
        this.events.onReady(this);
        return;
      case 'pong':
        this.lastPongAt = Date.now();
        return;
      case 'stats':
        this.stats = message.stats;
        return;
      case 'fatal':
        this.failure = message.message;
        // The thread exits by itself right after `fatal`; make sure it does.
        this.after(this.timing.exitTimeoutMs, () => this.kill(message.message));
        return;
      case 'stopped':
        this.after(this.timing.exitTimeoutMs, () => void this.worker?.terminate());
        return;
      case 'progress':
        try {
          this.events.onProgress?.(message.event);
        } catch {
          // progress is best effort: a failing listener never ends a thread
        }
        return;
    }
  }

  private ping(): void {
    // Only an active thread is judged by its pongs: while starting, loading the entry (and compiling
    // it, under tsx) can hold the thread's loop for seconds on a busy machine; readyTimeoutMs covers
    // that phase, and the backstop timer in shutdown() covers stopping.
    if (this.state !== 'active') this.lastPongAt = Date.now();
    else if (Date.now() - this.lastPongAt > this.timing.pingTimeoutMs) {
      this.kill(`the ${this.stage} thread stopped answering pings for ${this.timing.pingTimeoutMs} ms (hung)`);
      return;
    }
    this.pingId += 1;
    this.worker?.postMessage({ type: 'ping', id: this.pingId });
  }

  private finish(code: number): void {
    if (this.state === 'stopped') return;
    const uptimeMs = this.readyAt ? Date.now() - this.readyAt : 0;
    this.state = 'stopped';
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const planned = this.stopRequested;
    const reason = planned ? null : (this.failure ?? `the ${this.stage} thread exited with code ${code}`);
    this.resolveExited();
    this.events.onExit(this, { code, planned, reason, uptimeMs, stats: this.stats });
  }

  private after(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  private every(ms: number, fn: () => void): void {
    const timer = setInterval(fn, ms);
    timer.unref();
    this.timers.add(timer);
  }
}
