/**
 * Repository discovery queries for GitHub's search API (pure). Name patterns become `<p> in:name`
 * terms joined by OR, batched so each query stays within GitHub's length limit (256 characters; we keep
 * 200 like the prior system). A query whose results pass the search API's 1000-result cap is split by
 * creation date into halves, recursively, until each slice fits (or is a single day).
 */

export const MAX_QUERY_LENGTH = 200;
/** GitHub was founded in 2008: no repository was created before. */
export const SEARCH_EPOCH = '2008-01-01';

const term = (pattern: string): string => `${/\s/.test(pattern) ? `"${pattern.replace(/"/g, '')}"` : pattern} in:name`;

/** The discovery queries for an organization and its name patterns (one query when there are none). */
export const repositoryQueries = (organization: string, patterns: readonly string[]): string[] => {
  const base = `org:${organization}`;
  if (patterns.length === 0) return [base];
  const queries: string[] = [];
  let current: string[] = [];
  const render = (terms: string[]): string => `${base} ${terms.join(' OR ')}`;
  for (const pattern of [...new Set(patterns)]) {
    const next = [...current, term(pattern)];
    if (current.length > 0 && render(next).length > MAX_QUERY_LENGTH) {
      queries.push(render(current));
      current = [term(pattern)];
    } else current = next;
  }
  if (current.length > 0) queries.push(render(current));
  return queries;
};

const DAY = 86_400_000;
const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const RANGE = /\s*created:(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})/;

/**
 * The two halves of a query's creation range (`created:A..B`, or the whole history up to `today`), or
 * null when it is one day already and cannot be split.
 */
export const splitByCreated = (query: string, today: string): [string, string] | null => {
  const m = RANGE.exec(query);
  const from = Date.parse(m?.[1] ?? SEARCH_EPOCH);
  const to = Date.parse(m?.[2] ?? today);
  if (!(to > from)) return null;
  const mid = from + Math.floor((to - from) / DAY / 2) * DAY;
  const bare = query.replace(RANGE, '');
  return [`${bare} created:${day(from)}..${day(mid)}`, `${bare} created:${day(mid + DAY)}..${day(to)}`];
};
