import { describe, expect, it } from 'vitest';

import { DEFAULT_RESTART_POLICY, nextCrashStreak, restartDelay } from './backoff';

describe('restart backoff', () => {
  it('doubles from the initial delay and stops at the cap', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 20].map((s) => restartDelay(s, DEFAULT_RESTART_POLICY));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  });

  it('grows the streak for threads that crash soon after start', () => {
    expect(nextCrashStreak(0, 0, DEFAULT_RESTART_POLICY)).toBe(1);
    expect(nextCrashStreak(3, 5_000, DEFAULT_RESTART_POLICY)).toBe(4);
  });

  it('resets the streak after a thread was healthy for a while', () => {
    expect(nextCrashStreak(6, 60_000, DEFAULT_RESTART_POLICY)).toBe(1);
  });
});
