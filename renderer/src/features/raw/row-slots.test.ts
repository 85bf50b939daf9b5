import { describe, expect, it } from 'vitest';

import { withSlots } from './row-slots';

const window = (from: number, length: number) => Array.from({ length }, (_, i) => ({ index: from + i }));
const slotsByIndex = (from: number, length: number, pool: number) => new Map(withSlots(window(from, length), pool, 'slot').map(({ item, slot }) => [item.index, slot]));

describe('withSlots', () => {
  it('gives every row of a window its own slot', () => {
    const slots = withSlots(window(37, 32), 32, 'slot').map((s) => s.slot);
    expect(new Set(slots).size).toBe(32);
    expect(Math.min(...slots)).toBe(0);
    expect(Math.max(...slots)).toBe(31);
  });

  it('keeps the slot of a row that stays in view, and hands the freed slot to the row coming in', () => {
    const before = slotsByIndex(100, 32, 32);
    const after = slotsByIndex(103, 32, 32);
    for (let index = 103; index < 132; index++) expect(after.get(index)).toBe(before.get(index));
    // Rows 100-102 left at the top; rows 132-134 came in at the bottom in their slots.
    expect([132, 133, 134].map((i) => after.get(i))).toEqual([100, 101, 102].map((i) => before.get(i)));
  });

  it('lists rows in slot order while scrolling (each element stays put), in row order at rest, with the same keys', () => {
    const bySlot = withSlots(window(45, 10), 10, 'slot');
    expect(bySlot.map((s) => s.slot)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(bySlot.map((s) => s.item.index)).toEqual([50, 51, 52, 53, 54, 45, 46, 47, 48, 49]);
    const byRow = withSlots(window(45, 10), 10, 'row');
    expect(byRow.map((s) => s.item.index)).toEqual([45, 46, 47, 48, 49, 50, 51, 52, 53, 54]);
    expect(byRow.map((s) => s.slot)).toEqual([5, 6, 7, 8, 9, 0, 1, 2, 3, 4]);
  });

  it('refuses a window larger than the pool (two rows would share a key)', () => {
    expect(() => withSlots(window(0, 33), 32, 'row')).toThrow(/33 rows do not fit a pool of 32/);
  });
});
