import type { RawFilter } from '../../../../shared/contract/raw';
import type { RawView } from '../../store/raw-slice';

/** A `datetime-local` value (the operator's local time) as an ISO instant; undefined when empty or invalid. */
export const localToIso = (value: string): string | undefined => {
  if (value.trim() === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
};

/** The contract filter of the form's view; empty fields filter nothing. */
export const filterOf = (view: RawView): RawFilter => {
  const since = localToIso(view.since);
  const until = localToIso(view.until);
  return {
    ...(view.integrationId !== null ? { integrationId: view.integrationId } : {}),
    ...(view.runId !== null ? { runId: view.runId } : {}),
    ...(view.stream !== null ? { stream: view.stream } : {}),
    ...(view.statuses.length > 0 ? { statuses: view.statuses } : {}),
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
    ...(view.text.trim() ? { text: view.text.trim() } : {}),
    ...(view.errorText.trim() ? { errorText: view.errorText.trim() } : {}),
  };
};

/** Stable key of a filter: the list restarts when it changes. */
export const filterKey = (filter: RawFilter): string => JSON.stringify(Object.entries(filter).sort(([a], [b]) => a.localeCompare(b)));

export const formatBytes = (n: number): string => (n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 ** 2).toFixed(1)} MB`);

// One formatter: toLocaleString with options builds a new one per call (about a millisecond each,
// which a list row per frame cannot afford).
const TIME = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });

export const formatTime = (iso: string): string => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : TIME.format(d);
};
