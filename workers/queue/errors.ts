/**
 * How a stage handler tells the consumer what to do with a failed message.
 * - `RetryableError` (and any error that is not a `PermanentError`): try again after the next delay
 *   tier, until the retry budget is spent, then dead-letter with reason `retries_exhausted`.
 * - `PermanentError`: retrying cannot help (e.g. the raw row is missing or its payload violates the
 *   contract): dead-letter at once with reason `permanent_error`.
 */
export class RetryableError extends Error {
  override readonly name: string = 'RetryableError';
}

export class PermanentError extends Error {
  override readonly name: string = 'PermanentError';
}

export const toError = (value: unknown): Error => (value instanceof Error ? value : new Error(String(value)));
