import { describe, expect, it } from 'vitest';

import { MAX_PAYLOAD_DEPTH, measurePayload } from './payload';

describe('measurePayload', () => {
  it('counts exactly the UTF-8 JSON size of escape-free values', () => {
    const samples: unknown[] = [
      {},
      [],
      null,
      { a: 1, b: [true, false, null], c: { d: 'é€😀', e: -1.5e-7 } },
      [1, 'two', { three: [3] }],
    ];
    for (const value of samples) {
      expect(measurePayload(value, 10_000)).toEqual({ ok: true, bytes: Buffer.byteLength(JSON.stringify(value), 'utf8') });
    }
  });

  it('stops at the limit', () => {
    expect(measurePayload('x'.repeat(100), 50)).toEqual({ ok: false, reason: 'too_large' });
    expect(measurePayload(new Array(1000).fill(null), 100)).toEqual({ ok: false, reason: 'too_large' });
  });

  it('accepts a shared (non-cyclic) reference but refuses a cycle', () => {
    const shared = { x: 1 };
    expect(measurePayload({ a: shared, b: shared }, 1000).ok).toBe(true);
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(measurePayload(cyclic, 1000)).toEqual({ ok: false, reason: 'not_json' });
  });

  it('refuses nesting beyond the depth limit and values JSON cannot hold', () => {
    let deep: unknown = 0;
    for (let i = 0; i <= MAX_PAYLOAD_DEPTH; i += 1) deep = [deep];
    expect(measurePayload(deep, 1_000_000)).toEqual({ ok: false, reason: 'too_deep' });
    for (const value of [Number.NaN, Infinity, 1n, Symbol('s'), () => 1, new Set(), new Date(0)]) {
      expect(measurePayload({ value }, 1000)).toEqual({ ok: false, reason: 'not_json' });
    }
  });
});
