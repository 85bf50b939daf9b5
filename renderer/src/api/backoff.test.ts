import { describe, expect, it } from 'vitest';

import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const options = { initialMs: 500, maxMs: 30_000 };

  it('doubles per attempt up to the ceiling', () => {
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, options, () => 1))).toEqual([500, 1000, 2000, 4000, 30_000]);
  });

  it('jitters between half and the full step', () => {
    expect(backoffDelay(2, options, () => 0)).toBe(1000);
    expect(backoffDelay(2, options, () => 0.5)).toBe(1500);
  });
});
