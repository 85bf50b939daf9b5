import { useCallback, useEffect, useRef, useState } from 'react';

import type { BundleFilter } from '../../../../shared/contract/bundles';
import { useClient } from '../../app/context';
import { describeError } from '../../store/describe-error';

import type { RawUnitSummary } from '../../../../shared/contract/raw';

import type { RawListState } from './use-raw-list';

/**
 * The units of an open bundle as the virtualized list loads them: offset pages from `bundle.units`
 * in file order, the exact total from the first page, `want(index)` to load up to a row. The
 * bundle is in the engine's memory, so pages are cheap; one request at a time all the same.
 */

// One units array per list, appended in place (see RawListState.units).
const initial = (units: readonly RawUnitSummary[]): RawListState => ({ units, loaded: 0, total: null, totalCapped: false, done: false, loading: false, error: null, scanned: null });
const PAGE = 200;

export function useBundleList(bundleId: string, filter: BundleFilter) {
  const client = useClient();
  const [state, setState] = useState<RawListState>(() => initial([]));
  const key = `${bundleId}|${JSON.stringify(filter)}`;
  const ref = useRef({ cursor: null as string | null, started: false, busy: false, wanted: 0, loaded: 0, generation: 0, units: [] as RawUnitSummary[] });

  const pump = useCallback(async (): Promise<void> => {
    const r = ref.current;
    if (r.busy) return;
    const generation = r.generation;
    r.busy = true;
    setState((s) => ({ ...s, loading: true }));
    try {
      while (!r.started || (r.cursor !== null && r.loaded <= r.wanted)) {
        const first = !r.started;
        const page = await client.call('bundle.units', { bundleId, ...filter, limit: first ? PAGE : 500, ...(r.cursor ? { cursor: r.cursor } : {}) });
        if (generation !== r.generation) return;
        r.started = true;
        r.cursor = page.nextCursor;
        r.loaded += page.units.length;
        if (first) r.units = [];
        for (const unit of page.units) r.units.push(unit);
        const units = r.units;
        setState((s) => ({ ...s, units, loaded: units.length, total: page.total, done: page.nextCursor === null, error: null }));
      }
    } catch (error) {
      if (generation === r.generation) setState((s) => ({ ...s, error: describeError(error) }));
    } finally {
      if (generation === r.generation) {
        r.busy = false;
        setState((s) => ({ ...s, loading: false }));
      }
    }
  }, [client, bundleId, filter]);

  useEffect(() => {
    ref.current = { cursor: null, started: false, busy: false, wanted: 0, loaded: 0, generation: ref.current.generation + 1, units: [] };
    setState(initial(ref.current.units));
    void pump();
    // `filter` is captured by pump; its key decides when to start over.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const want = useCallback(
    (index: number) => {
      if (index <= ref.current.wanted) return;
      ref.current.wanted = index;
      void pump();
    },
    [pump],
  );

  return { ...state, want };
}
