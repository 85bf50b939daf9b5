import { describe, expect, it } from 'vitest';

import type { WorkerStats } from '../../shared/worker-protocol/protocol';
import { aggregatePool, retire, zeroTotals, type PoolSnapshot } from './health';

const stats = (over: Partial<WorkerStats> = {}): WorkerStats => ({ processed: 0, failed: 0, retried: 0, deadLettered: 0, redelivered: 0, inFlight: 0, lastError: null, connection: 'connected', ...over });

const snapshot = (over: Partial<PoolSnapshot> = {}): PoolSnapshot => ({
  stage: 'transform',
  desired: 2,
  lifecycle: 'running',
  threads: [],
  retired: zeroTotals(),
  restarts: 0,
  crashStreak: 0,
  nextRestartAt: null,
  lastError: null,
  ...over,
});

describe('pool health aggregation', () => {
  it('sums live threads and retired totals, counting busy threads', () => {
    const h = aggregatePool(
      snapshot({
        threads: [
          { state: 'active', stats: stats({ processed: 10, inFlight: 3 }) },
          { state: 'active', stats: stats({ processed: 5, failed: 1, retried: 1, connection: 'reconnecting' }) },
          { state: 'stopping', stats: stats({ processed: 1, inFlight: 2 }) },
        ],
        retired: { processed: 100, failed: 2, retried: 1, deadLettered: 1 },
      }),
    );
    expect(h).toMatchObject({ state: 'running', alive: 2, disconnected: 1, draining: 1, busy: 1, inFlight: 3, processed: 116, failed: 3, retried: 2, deadLettered: 1 });
  });

  it('is degraded while fewer threads are active than desired, and shows the crash loop', () => {
    const h = aggregatePool(
      snapshot({
        threads: [{ state: 'created', stats: null }],
        restarts: 4,
        crashStreak: 4,
        nextRestartAt: Date.parse('2026-01-01T00:00:08Z'),
        lastError: { message: 'boom', at: '2026-01-01T00:00:00.000Z' },
      }),
    );
    expect(h).toMatchObject({ state: 'degraded', alive: 0, restarts: 4, crashStreak: 4, nextRestartAt: '2026-01-01T00:00:08.000Z', lastError: { message: 'boom' } });
  });

  it('reports the most recent error, from a crash or from a handler', () => {
    const handlerError = { message: 'handler failed', at: '2026-01-02T00:00:00.000Z' };
    const h = aggregatePool(snapshot({ threads: [{ state: 'active', stats: stats({ lastError: handlerError }) }], lastError: { message: 'old crash', at: '2026-01-01T00:00:00.000Z' } }));
    expect(h.lastError).toEqual(handlerError);
  });

  it('is idle with no desired threads and follows the supervisor lifecycle', () => {
    expect(aggregatePool(snapshot({ desired: 0 })).state).toBe('idle');
    expect(aggregatePool(snapshot({ lifecycle: 'stopping' })).state).toBe('stopping');
  });

  it('retire adds an exited thread and ignores one that never reported', () => {
    expect(retire({ processed: 1, failed: 0, retried: 0, deadLettered: 0 }, stats({ processed: 2, deadLettered: 1 }))).toEqual({ processed: 3, failed: 0, retried: 0, deadLettered: 1 });
    expect(retire(zeroTotals(), null)).toEqual(zeroTotals());
  });
});
