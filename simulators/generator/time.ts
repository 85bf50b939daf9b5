/** Timestamp formats of the two APIs. Jira: `2023-06-24T19:24:50.000+0000`; GitHub: `2011-04-14T16:00:49Z`. */
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export function jiraTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function githubTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Parses Jira's `+0000` offsets as well as ISO `Z`; NaN when the text is not a date. */
export function parseJiraTime(value: unknown): number {
  if (typeof value !== 'string') return Number.NaN;
  return Date.parse(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
}
