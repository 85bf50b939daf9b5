import { useCallback, useEffect, useRef, useState } from 'react';

import type { RawFilter, RawPage, RawUnitSummary } from '../../../../shared/contract/raw';
import { useAppStore, useClient } from '../../app/context';
import { describeError } from '../../store/describe-error';

import { filterKey } from './filter-model';

/**
 * The inspector's list as loaded so far: keyset pages from the engine appended in order, the total
 * for the scrollbar (rows past what is loaded are placeholders), and `want(index)` to load up to a
 * row when the virtualized list shows it. Pages grow with the distance still to cover, so dragging
 * the scrollbar to the end of 100k rows takes a few hundred requests at most, one at a time.
 */

export interface RawListState {
  /**
   * The units loaded so far. One array per list, appended in place as pages arrive (`loaded` says
   * how far): copying 100k rows into a new array per page made each arrival slower than the last
   * and filled the heap with dead copies, whose collection showed up as long frames while scrolling.
   */
  readonly units: readonly RawUnitSummary[];
  readonly loaded: number;
  readonly total: number | null;
  readonly totalCapped: boolean;
  readonly done: boolean;
  readonly loading: boolean;
  readonly error: string | null;
  /** Text search: units looked into so far. */
  readonly scanned: number | null;
}

const initial = (units: readonly RawUnitSummary[]): RawListState => ({ units, loaded: 0, total: null, totalCapped: false, done: false, loading: false, error: null, scanned: null });

export const FIRST_PAGE = 200;

export function useRawList(filter: RawFilter, reloadToken: number) {
  const client = useClient();
  const note = useAppStore((s) => s.noteRawAnswer);
  const key = filterKey(filter);
  // Mutable loading state outside React: a scroll fires many `want` calls between renders.
  const ref = useRef({ key, cursor: null as string | null, busy: false, wanted: 0, loaded: 0, started: false, generation: 0, source: null as RawPage['source'] | null, units: [] as RawUnitSummary[] });
  const [state, setState] = useState<RawListState>(() => initial([]));

  const pump = useCallback(async (): Promise<void> => {
    const r = ref.current;
    if (r.busy) return;
    const generation = r.generation;
    r.busy = true;
    setState((s) => ({ ...s, loading: true }));
    try {
      for (;;) {
        const loaded = r.loaded;
        const first = !r.started;
        if (!first && (r.cursor === null || loaded > r.wanted)) break;
        const limit = first ? FIRST_PAGE : Math.min(500, Math.max(FIRST_PAGE, r.wanted - loaded + 100));
        const page = await client.call('raw.list', { ...filter, limit, withTotal: first, ...(r.cursor ? { cursor: r.cursor } : {}) });
        if (generation !== r.generation) return;
        note(page);
        // Postgres came back (or went away) mid-list: its cursors mean nothing to the other source.
        if (!first && r.source !== null && page.source !== r.source) {
          r.cursor = null;
          r.source = null;
          r.loaded = 0;
          r.started = false;
          r.units = [];
          setState(initial(r.units));
          continue;
        }
        r.source = page.source;
        r.started = true;
        r.cursor = page.nextCursor;
        r.loaded = first ? page.units.length : r.loaded + page.units.length;
        if (first) r.units = [];
        // Outside the updater: React may call an updater twice, and a push is not idempotent.
        for (const unit of page.units) r.units.push(unit);
        const units = r.units;
        setState((s) => ({
          units,
          loaded: units.length,
          total: first ? page.total : s.total,
          totalCapped: first ? page.totalCapped : s.totalCapped,
          done: page.nextCursor === null,
          loading: true,
          error: null,
          scanned: page.scanned === null ? null : (first ? 0 : (s.scanned ?? 0)) + page.scanned,
        }));
        if (page.nextCursor === null) break;
      }
    } catch (error) {
      if (generation === r.generation) setState((s) => ({ ...s, error: describeError(error) }));
    } finally {
      if (generation === r.generation) {
        r.busy = false;
        setState((s) => ({ ...s, loading: false }));
      }
    }
  }, [client, filter, note]);

  useEffect(() => {
    const r = ref.current;
    r.generation += 1;
    r.key = key;
    r.cursor = null;
    r.busy = false;
    r.wanted = 0;
    r.loaded = 0;
    r.started = false;
    r.source = null;
    r.units = [];
    setState(initial(r.units));
    void pump();
    // `filter` is captured by pump; its key (and the reload token) decide when to start over.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, reloadToken]);

  /** The list shows row `index`: load up to it (and a little past). */
  const want = useCallback(
    (index: number) => {
      const r = ref.current;
      if (index <= r.wanted) return;
      r.wanted = index;
      void pump();
    },
    [pump],
  );

  return { ...state, want };
}
