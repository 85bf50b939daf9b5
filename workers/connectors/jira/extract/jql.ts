/**
 * The JQL of the issues stream (one partition per project): the project, the integration's base JQL,
 * and on incremental runs `updated >= watermark - overlap`, always `ORDER BY updated ASC` so every
 * `nextPageToken` is followed in watermark order and a run that stops part-way can only have loaded a
 * prefix (DESIGN.md section 5). Jira compares JQL dates at minute precision in the account's time
 * zone; we send UTC, and the overlap (default 5 minutes) absorbs both the rounding and clock skew.
 */

const quote = (value: string): string => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** `yyyy-MM-dd HH:mm` in UTC, rounded down to the minute. */
export const jqlDate = (iso: string): string => {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new Error(`Not a date: ${iso}`);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};

export interface IssueJqlInput {
  readonly projectKey: string;
  readonly baseJql: string | null;
  /** The partition's watermark (ISO), or null for everything. */
  readonly watermark: string | null;
  readonly overlapMinutes: number;
}

export const issueJql = ({ projectKey, baseJql, watermark, overlapMinutes }: IssueJqlInput): string => {
  const clauses = [`project = ${quote(projectKey)}`];
  if (baseJql && baseJql.trim()) clauses.push(`(${baseJql.trim()})`);
  if (watermark) clauses.push(`updated >= ${quote(jqlDate(new Date(new Date(watermark).getTime() - overlapMinutes * 60_000).toISOString()))}`);
  return `${clauses.join(' AND ')} ORDER BY updated ASC`;
};
