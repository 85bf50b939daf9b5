import { createHash } from 'node:crypto';

/**
 * The stable name of a page within its run, step and stream, known before the page is fetched: its
 * partition and the cursor that asks for it. A redelivered extract message therefore finds its page
 * already stored without calling the API again. Long opaque cursors (Jira's nextPageToken) are hashed
 * to stay within the column's 500 characters.
 */
export const pageKeyOf = (partition: string | null, cursor: string | null): string => {
  const key = `${partition ?? ''}|${cursor ?? ''}`;
  return key.length <= 120 ? key : `${key.slice(0, 60)}…${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
};
