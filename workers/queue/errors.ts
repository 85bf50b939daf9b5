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

/**
 * An error that says Postgres or RabbitMQ is away (a restart, a failover, a network cut), not that the
 * message is bad. Such failures do not spend the message's retry budget: the consumer keeps retrying it
 * through the delay tiers for as long as the outage lasts, so an outage longer than the budget
 * (~10 minutes) never dead-letters work whose unit would then stay pending and hang its run.
 * Errors from the source APIs are not outages here: connectors report those themselves.
 */
const OUTAGE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', '57P01', '57P02', '57P03', '53300']);
const OUTAGE_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /was not confirmed by RabbitMQ/,
  /RabbitMQ is not reachable/,
];

export const isInfrastructureOutage = (error: unknown): boolean => {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    if (e instanceof PermanentError) return false;
    if (e.name === 'PublishNotConfirmedError') return true;
    const code = (e as { code?: unknown }).code;
    // SQLSTATE class 08: connection exceptions.
    if (typeof code === 'string' && (OUTAGE_CODES.has(code) || /^08/.test(code))) return true;
    if (OUTAGE_MESSAGES.some((re) => re.test(e.message))) return true;
  }
  return false;
};
