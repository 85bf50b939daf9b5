import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { threadId } from 'node:worker_threads';

import type { Stage } from '../../shared/worker-protocol/protocol';
import { PROGRESS_CHANNEL, ProgressCounters, ProgressEvent, PROGRESS_EVENT_VERSION, type ProgressCountersInput } from './progress-schema';

export { PROGRESS_CHANNEL };

export type ProgressListener = (event: ProgressEvent) => void;

/** Where progress events go: Redis pub/sub across hosts, or an EventEmitter in one process. */
export interface ProgressBus {
  publish(event: ProgressEvent): Promise<void>;
  /** Resolves once subscribed; the returned function unsubscribes. */
  subscribe(listener: ProgressListener): Promise<() => Promise<void>>;
}

/** Every console's entry point: progress of all runs, validated. */
export const subscribeProgress = (bus: ProgressBus, listener: ProgressListener): Promise<() => Promise<void>> => bus.subscribe(listener);

export class MemoryProgressBus implements ProgressBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  async publish(event: ProgressEvent): Promise<void> {
    // Same validation as over Redis, so the in-process mode catches the same bugs.
    this.emitter.emit('progress', ProgressEvent.parse(event));
  }

  async subscribe(listener: ProgressListener): Promise<() => Promise<void>> {
    this.emitter.on('progress', listener);
    return async () => {
      this.emitter.off('progress', listener);
    };
  }
}

export interface ProgressPublisherOptions {
  /** At most this many events per second per run (default 4). */
  readonly perSecond?: number;
  /** Identifies this publisher in events; default host:pid:thread. */
  readonly source?: string;
  /** A publish that failed (e.g. Redis down); progress is best effort and never fails the run. */
  readonly onError?: (err: unknown) => void;
}

interface RunSlot {
  /** Something to send: counters reported, or only "changed" (touch). */
  dirty: boolean;
  pending: ProgressCounters | null;
  stages: Set<Stage>;
  lastSentAt: number;
  timer: NodeJS.Timeout | null;
  seq: number;
}

/**
 * Coalesces progress per run: `report` (counters) or `touch` (a "run changed" signal, counters read
 * later by the engine) may be called for every unit; at most `perSecond` events per run leave, each
 * with the latest counters (or null) and the stages touched since the previous event. The first report after a quiet period goes out at once
 * (leading edge) and the last one always goes out (trailing edge), so a console never stays on a
 * stale count when a run goes quiet or ends.
 */
export class ProgressPublisher {
  private readonly slots = new Map<number, RunSlot>();
  private readonly intervalMs: number;
  private readonly source: string;
  private inFlight = new Set<Promise<void>>();

  constructor(
    private readonly bus: ProgressBus,
    private readonly options: ProgressPublisherOptions = {},
  ) {
    const perSecond = options.perSecond ?? 4;
    if (!(perSecond > 0 && perSecond <= 100)) throw new Error(`Progress events per second must be between 0 and 100; got ${perSecond}.`);
    this.intervalMs = Math.ceil(1000 / perSecond);
    this.source = options.source ?? `${hostname()}:${process.pid}:${threadId}`;
  }

  /** Records the latest counters of a run; throws at once when they do not match the schema. */
  report(runId: number, counters: ProgressCountersInput): void {
    const parsed = ProgressCounters.parse(counters);
    const slot = this.slotOf(runId);
    slot.pending = parsed;
    this.schedule(runId, slot);
  }

  /** Records that a stage committed something for the run (cheap: no counters are read here). */
  touch(runId: number, stage: Stage): void {
    const slot = this.slotOf(runId);
    slot.stages.add(stage);
    this.schedule(runId, slot);
  }

  private slotOf(runId: number): RunSlot {
    let slot = this.slots.get(runId);
    if (!slot) {
      if (this.slots.size >= 256) this.prune();
      slot = { dirty: false, pending: null, stages: new Set(), lastSentAt: 0, timer: null, seq: 0 };
      this.slots.set(runId, slot);
    }
    return slot;
  }

  private schedule(runId: number, slot: RunSlot): void {
    slot.dirty = true;
    if (slot.timer) return; // a trailing send is already due and will carry these counters
    const dueIn = slot.lastSentAt + this.intervalMs - Date.now();
    if (dueIn <= 0) this.send(runId, slot);
    else {
      const s = slot;
      s.timer = setTimeout(() => {
        s.timer = null;
        this.send(runId, s);
      }, dueIn);
    }
  }

  /** Sends pending counters now (all runs, or one), ignoring the rate: for a run's end or shutdown. */
  async flush(runId?: number): Promise<void> {
    for (const [id, slot] of this.slots) {
      if (runId !== undefined && id !== runId) continue;
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = null;
      this.send(id, slot);
    }
    await Promise.all(this.inFlight);
  }

  /** Final flush for a finished run; forgets it. */
  async end(runId: number): Promise<void> {
    await this.flush(runId);
    this.slots.delete(runId);
  }

  async close(): Promise<void> {
    await this.flush();
    this.slots.clear();
  }

  private send(runId: number, slot: RunSlot): void {
    if (!slot.dirty) return;
    const event: ProgressEvent = {
      v: PROGRESS_EVENT_VERSION,
      runId,
      source: this.source,
      seq: ++slot.seq,
      at: new Date().toISOString(),
      stages: [...slot.stages],
      counters: slot.pending,
    };
    slot.dirty = false;
    slot.pending = null;
    slot.stages.clear();
    slot.lastSentAt = Date.now();
    const p = this.bus.publish(event).catch((err: unknown) => this.options.onError?.(err));
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /** Forgets idle runs (nothing pending, last event older than the interval) so the map stays small. */
  private prune(): void {
    const cutoff = Date.now() - this.intervalMs;
    for (const [id, slot] of this.slots) if (!slot.timer && !slot.dirty && slot.lastSentAt < cutoff) this.slots.delete(id);
  }
}
