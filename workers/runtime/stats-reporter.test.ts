import { afterEach, describe, expect, it, vi } from 'vitest';

import type { WorkerStats } from '../../shared/worker-protocol/protocol';
import { StatsReporter } from './stats-reporter';

const stats = (processed: number): WorkerStats => ({ processed, failed: 0, retried: 0, deadLettered: 0, redelivered: 0, inFlight: 0, lastError: null, connection: 'connected' });

describe('StatsReporter', () => {
  afterEach(() => vi.useRealTimers());

  it('posts at most once per interval and only on change', () => {
    vi.useFakeTimers();
    let processed = 0;
    const posted: number[] = [];
    const reporter = new StatsReporter(() => stats(processed), (s) => posted.push(s.processed), 500);
    reporter.start();
    for (let i = 0; i < 100; i++) {
      processed += 1;
      vi.advanceTimersByTime(10); // 100 changes within one second
    }
    expect(posted).toEqual([50, 100]);
    vi.advanceTimersByTime(2000); // nothing changed: nothing posted
    expect(posted).toEqual([50, 100]);
    reporter.stop();
  });

  it('flush posts the latest numbers at once', () => {
    const posted: number[] = [];
    const reporter = new StatsReporter(() => stats(7), (s) => posted.push(s.processed), 500);
    reporter.flush();
    expect(posted).toEqual([7]);
  });
});
