import type { z } from 'zod';

import { PermanentError } from '../../../queue/errors';
import type { GraphqlError } from '../payloads';

/**
 * Reading a stored payload: a payload that does not match its schema can never be transformed, so it
 * is a PermanentError (the unit is marked failed with this message, its raw payload stays for the
 * inspector). The message names the unit kind, where the payload broke and what to do.
 */
export const parsePayload = <T extends z.ZodType>(schema: T, payload: unknown, what: string): z.infer<T> => {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
  throw new PermanentError(`The ${what} payload does not match GitHub's contract (${issues}); inspect the raw unit, and fix the connector's schema if GitHub changed.`);
};

const describeErrors = (errors: readonly GraphqlError[] | undefined): string =>
  errors && errors.length > 0 ? errors.slice(0, 3).map((e) => `${e.type ?? 'ERROR'}: ${e.message}`).join('; ') : 'no data and no errors';

/**
 * A GraphQL response with no `data` at all carries nothing to transform (a rate-limit or validation
 * answer that should never have been stored as a page): fail it for good with GitHub's own words.
 * With `data`, errors are partial (nulls inside `data`) and the rest is transformed.
 */
export const requireData = <D>(payload: { data?: D | null; errors?: readonly GraphqlError[] }, what: string): D => {
  if (payload.data === null || payload.data === undefined) {
    throw new PermanentError(`The ${what} response has no data (${describeErrors(payload.errors)}); re-extract the page once the cause is fixed.`);
  }
  return payload.data;
};

/** One spelling for every timestamp (GitHub sends `Z` and offsets; git timestamps keep the author's zone). */
export const iso = (value: string): string => new Date(value).toISOString();
export const isoOrNull = (value: string | null | undefined): string | null => (value === null || value === undefined ? null : iso(value));

/** Non-null nodes of a connection page (a null is a partial error GitHub reported in `errors`). */
export const present = <T>(nodes: readonly (T | null)[]): T[] => nodes.filter((n): n is T => n !== null);
