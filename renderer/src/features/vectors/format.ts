import type { EntityCounts } from '../../../../shared/contract/vectors';

/** "97.5 %", "100 %". */
export const percent = (value: number): string => `${Number.isInteger(value) ? value : value.toFixed(1)} %`;

/** Cosine score with three decimals: enough to tell neighbours apart. */
export const score = (value: number): string => value.toFixed(3);

export const count = (value: number | null): string => (value === null ? '—' : value.toLocaleString('en-US'));

/** How a kind's vectors stand, in words (also the row's data-state for tests and screen readers). */
export const completionState = (e: EntityCounts): 'complete' | 'catching-up' | 'empty' => (e.database === 0 ? 'empty' : e.vectorized >= e.database ? 'complete' : 'catching-up');

/**
 * Qdrant's own count next to the bridge's: equal when everything is in step. A difference is worth a
 * word: points without bridge rows (another writer) or bridge rows whose points went missing.
 */
export const pointsNote = (e: EntityCounts): string | null => {
  if (e.points === null) return e.vectorized > 0 ? 'The collection is missing in Qdrant: use Re-embed all.' : null;
  const expected = e.vectorized + e.stale + e.pendingDeletes;
  if (e.points === expected) return null;
  return e.points > expected ? `Qdrant holds ${e.points - expected} point(s) the bridge does not know.` : `${expected - e.points} vector(s) are missing in Qdrant: use Re-embed all.`;
};
