/**
 * When to restart a crashed worker thread. Exponential: 1 s, 2 s, 4 s … capped at 60 s by default,
 * so a thread that dies on every start (bad settings, broker down, a poison message before the
 * broker's delivery limit kicks in) costs one start a minute instead of a hot loop of thread spawns
 * and log lines. The streak resets once a thread has stayed up for `healthyAfterMs`: a crash after
 * an hour of good work is a fresh incident, not the next step of a loop.
 */
export interface RestartPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
  /** A thread alive at least this long before it crashed resets the crash streak. */
  readonly healthyAfterMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { initialMs: 1_000, maxMs: 60_000, factor: 2, healthyAfterMs: 60_000 };

/** The crash streak after a crash of a thread that had been up `uptimeMs` (0 if it never became ready). */
export const nextCrashStreak = (streak: number, uptimeMs: number, policy: RestartPolicy): number =>
  (uptimeMs >= policy.healthyAfterMs ? 0 : streak) + 1;

/** Delay before the restart that follows the `streak`-th consecutive crash (1-based). */
export const restartDelay = (streak: number, policy: RestartPolicy): number =>
  Math.min(policy.maxMs, Math.round(policy.initialMs * policy.factor ** Math.max(0, streak - 1)));
