/**
 * Jira timestamps. Jira sends `2024-01-02T10:00:00.000+0100` (offset without a colon), which is not
 * in the ECMAScript date-time format, so `Date.parse` alone is engine-dependent on it; agile and
 * greenhopper send ISO with `Z`. We normalise to `YYYY-MM-DDTHH:mm:ss.sss±HH:MM` and check the
 * calendar date ourselves, because V8 silently rolls `02-31` over into March.
 * A timestamp without an offset is read as UTC (never as the worker's local time: transform must
 * give the same output on every host).
 */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Epoch milliseconds of a Jira timestamp, or null when the text is not one. */
export const parseJiraTimestamp = (text: string): number | null => {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) return null;
  const [, year, month, day, hour, minute, second = '00', fraction = '', zone = 'Z'] = m;
  const y = Number(year);
  const mo = Number(month);
  const d = Number(day);
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return null;
  const offset = zone === 'Z' || zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const millis = `${fraction}000`.slice(0, 3);
  const t = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}.${millis}${offset}`);
  return Number.isFinite(t) ? t : null;
};

/** The same instant as an ISO string in UTC (what the rows carry); throws on text that is not a timestamp. */
export const toIso = (text: string): string => {
  const t = parseJiraTimestamp(text);
  if (t === null) throw new Error(`"${text.slice(0, 40)}" is not a Jira timestamp`);
  return new Date(t).toISOString();
};

export const toIsoOrNull = (text: string | null | undefined): string | null => (text === null || text === undefined || text === '' ? null : toIso(text));

/** Whole seconds between two instants (rounded, never negative: clock skew in imported data must not produce negative durations). */
export const secondsBetween = (fromMs: number, toMs: number): number => Math.max(0, Math.round((toMs - fromMs) / 1000));
