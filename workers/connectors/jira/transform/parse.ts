import type { z } from 'zod';

import { PermanentError } from '../../../queue/errors';

/** Validates a payload against its contract; a mismatch can never transform, so it is a PermanentError naming the paths. */
export const parsePayload = <S extends z.ZodType>(schema: S, payload: unknown, what: string): z.infer<S> => {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`)
    .join('; ');
  throw new PermanentError(`The ${what} does not match the Jira API contract (${where}); check the extract of this stream, then re-extract it.`);
};
