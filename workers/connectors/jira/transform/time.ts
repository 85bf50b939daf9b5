/**
 * Jira timestamps. Jira sends `2024-01-02T10:00:00.000+0100` (offset without a colon), which is not
 * in the ECMAScript date-time format, so `Date.parse` is engine-dependent on it; agile and
 * greenhopper send ISO with `Z`. We read the parts ourselves and check the calendar date, because
 * V8's Date.parse silently rolls `02-31` over into March.
 * A timestamp without an offset is read as UTC (never as the worker's local time: transform must
 * give the same output on every host).
 */
const TIMESTAMP = /^\s*(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?\s*$/;

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * Epoch milliseconds of a Jira timestamp, or null when the text is not one. Arithmetic rather than
 * Date.parse on a rebuilt string: this runs for every changelog entry, and it is the transform's
 * hottest function.
 */
export const parseJiraTimestamp = (text: string): number | null => {
  const m = TIMESTAMP.exec(text);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const sec = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(`${m[7]}00`.slice(0, 3));
  if (mo < 1 || mo > 12 || d < 1 || (d > 28 && d > daysIn(y, mo)) || h > 23 || mi > 59 || sec > 59) return null;
  const zone = m[8];
  let offsetMinutes = 0;
  if (zone !== undefined && zone !== 'Z') {
    const digits = zone.replace(':', '');
    const oh = Number(digits.slice(1, 3));
    const om = Number(digits.slice(3, 5));
    if (oh > 18 || om > 59) return null;
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const utc = new Date(Date.UTC(y, mo - 1, d, h, mi, sec, ms));
  if (y < 100) utc.setUTCFullYear(y); // Date.UTC reads years 0-99 as 1900-1999
  return utc.getTime() - offsetMinutes * 60_000;
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
