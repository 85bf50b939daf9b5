import type { StateCreator } from 'zustand';

import type { OfflineInfo, RawSource, RawStatus } from '../../../shared/contract/raw';

import type { AppState } from './types';

/** The raw inspector's filters as the form holds them (times as `datetime-local` text, '' = none). */
export interface RawView {
  integrationId: number | null;
  runId: number | null;
  stream: string | null;
  statuses: RawStatus[];
  since: string;
  until: string;
  text: string;
  errorText: string;
}

export interface RawSlice {
  /** View state: kept while the operator moves between screens, never persisted. */
  rawView: RawView;
  setRawView(view: Partial<RawView>): void;
  resetRawView(): void;
  rawSelectedId: number | null;
  selectRawUnit(id: number | null): void;
  /** Units ticked for reprocess (one run's units, see raw.reprocess). */
  rawChecked: number[];
  toggleRawChecked(id: number): void;
  setRawChecked(ids: number[]): void;
  /** Where the last answer came from: the banner says "offline" while it is the cache. */
  rawSource: RawSource | null;
  rawOffline: OfflineInfo | null;
  noteRawAnswer(answer: { source: RawSource; offline: OfflineInfo | null }): void;
}

export const EMPTY_RAW_VIEW: RawView = { integrationId: null, runId: null, stream: null, statuses: [], since: '', until: '', text: '', errorText: '' };

export const createRawSlice: StateCreator<AppState, [['zustand/persist', unknown]], [], RawSlice> = (set, get) => ({
  rawView: EMPTY_RAW_VIEW,
  // A new filter is a new list: ticks of units that may no longer show are dropped.
  setRawView: (view) => set({ rawView: { ...get().rawView, ...view }, rawChecked: [] }),
  resetRawView: () => set({ rawView: EMPTY_RAW_VIEW, rawChecked: [] }),
  rawSelectedId: null,
  selectRawUnit: (id) => set({ rawSelectedId: id }),
  rawChecked: [],
  toggleRawChecked: (id) => set({ rawChecked: get().rawChecked.includes(id) ? get().rawChecked.filter((c) => c !== id) : [...get().rawChecked, id] }),
  setRawChecked: (ids) => set({ rawChecked: ids }),
  rawSource: null,
  rawOffline: null,
  noteRawAnswer: ({ source, offline }) => {
    if (get().rawSource !== source || get().rawOffline?.reason !== offline?.reason || get().rawOffline?.cachedUnits !== offline?.cachedUnits) set({ rawSource: source, rawOffline: offline });
  },
});
