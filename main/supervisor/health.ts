import type { PoolHealth, PoolState } from '../../shared/worker-protocol/health';
import type { Stage, WorkerStats } from '../../shared/worker-protocol/protocol';

/** Pure aggregation of one pool's threads into `PoolHealth` (tested on its own). */

export interface Totals {
  processed: number;
  failed: number;
  retried: number;
  deadLettered: number;
}

export const zeroTotals = (): Totals => ({ processed: 0, failed: 0, retried: 0, deadLettered: 0 });

/** Adds an exited thread's last counters to the pool's running totals. */
export const retire = (totals: Totals, stats: WorkerStats | null): Totals =>
  stats
    ? {
        processed: totals.processed + stats.processed,
        failed: totals.failed + stats.failed,
        retried: totals.retried + stats.retried,
        deadLettered: totals.deadLettered + stats.deadLettered,
      }
    : totals;

export interface PoolSnapshot {
  readonly stage: Stage;
  readonly desired: number;
  readonly lifecycle: 'running' | 'stopping' | 'stopped';
  readonly threads: readonly { readonly state: 'created' | 'active' | 'stopping' | 'stopped'; readonly stats: WorkerStats | null }[];
  readonly retired: Totals;
  readonly restarts: number;
  readonly crashStreak: number;
  readonly nextRestartAt: number | null;
  readonly lastError: { readonly message: string; readonly at: string } | null;
}

type LastError = PoolHealth['lastError'];

/** The more recent of two errors (ISO timestamps compare as strings). */
const latest = (a: LastError, b: LastError): LastError => (!a ? b : !b ? a : b.at > a.at ? b : a);

export const aggregatePool = (s: PoolSnapshot): PoolHealth => {
  const active = s.threads.filter((t) => t.state === 'active');
  let totals = s.retired;
  let lastError: LastError = s.lastError;
  let inFlight = 0;
  let busy = 0;
  let disconnected = 0;
  for (const t of s.threads) {
    totals = retire(totals, t.stats);
    lastError = latest(lastError, t.stats?.lastError ?? null);
  }
  for (const t of active) {
    const n = t.stats?.inFlight ?? 0;
    inFlight += n;
    if (n > 0) busy += 1;
    if (t.stats && t.stats.connection !== 'connected') disconnected += 1;
  }
  const state: PoolState =
    s.lifecycle === 'stopping' ? 'stopping' : s.lifecycle === 'stopped' ? 'stopped' : s.desired === 0 && active.length === 0 ? 'idle' : active.length >= s.desired ? 'running' : 'degraded';
  return {
    stage: s.stage,
    state,
    desired: s.desired,
    alive: active.length,
    disconnected,
    draining: s.threads.filter((t) => t.state === 'stopping').length,
    busy,
    inFlight,
    ...totals,
    restarts: s.restarts,
    crashStreak: s.crashStreak,
    nextRestartAt: s.nextRestartAt === null ? null : new Date(s.nextRestartAt).toISOString(),
    lastError,
  };
};

/** One line per pool for logs: `transform 2/2 busy 1 processed 1200 failed 0 restarts 0`. */
export const describePools = (pools: readonly PoolHealth[]): string =>
  pools
    .map((p) => `${p.stage} ${p.alive}/${p.desired} ${p.state} busy ${p.busy}${p.disconnected ? ` disconnected ${p.disconnected}` : ''} processed ${p.processed} failed ${p.failed} retried ${p.retried} dead ${p.deadLettered} restarts ${p.restarts}${p.lastError ? ` last error: ${p.lastError.message}` : ''}`)
    .join('; ');
