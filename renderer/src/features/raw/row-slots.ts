/**
 * Recycled rows for a virtualized list. A window of `pool` consecutive rows never holds two rows
 * with the same `index % pool`, so that remainder is a key that survives scrolling: the row that
 * leaves at the top comes back, re-rendered, as the one entering at the bottom. Handing React the
 * rows in slot order (not row order) keeps each DOM element where it is; rows are positioned
 * absolutely, so the order on screen does not depend on it.
 */
export const slotOrder = <T extends { readonly index: number }>(items: readonly T[], pool: number): { item: T; slot: number }[] => {
  if (items.length > pool) throw new Error(`slotOrder: ${items.length} rows do not fit a pool of ${pool}.`);
  return items.map((item) => ({ item, slot: item.index % pool })).sort((a, b) => a.slot - b.slot);
};
