export interface BackoffOptions {
  /** First retry delay; the server usually comes back within a second after a restart. */
  readonly initialMs: number;
  /** Ceiling so a console left open overnight still notices the server within half a minute. */
  readonly maxMs: number;
}

export const defaultBackoff: BackoffOptions = { initialMs: 500, maxMs: 30_000 };

/**
 * Exponential backoff with jitter in [50 %, 100 %] of the step, so many consoles reconnecting
 * after a server restart do not hit it in the same millisecond.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const step = Math.min(options.maxMs, options.initialMs * 2 ** Math.max(0, attempt));
  return Math.round(step * (0.5 + random() * 0.5));
}
