import { z } from 'zod';

/**
 * The run state machine of DESIGN.md section 5, in one place. Every state change of a run goes
 * through `transition`, so a forbidden move (resuming a cancelled run, pausing a finished one) is
 * refused with a reason instead of silently corrupting history.
 *
 *   queued → running ⇄ paused        running ⇄ rate_limited        rate_limited → paused
 *   running | rate_limited → succeeded | partial      (decided by the data: all extracted, nothing pending)
 *   any live state → failed | cancelled
 */
export const RunState = z.enum(['queued', 'running', 'paused', 'rate_limited', 'succeeded', 'partial', 'failed', 'cancelled']);
export type RunState = z.infer<typeof RunState>;

export const RunEvent = z.enum(['start', 'pause', 'resume', 'rate_limit', 'rate_limit_cleared', 'complete', 'complete_with_failures', 'fail', 'cancel']);
export type RunEvent = z.infer<typeof RunEvent>;

export const TERMINAL_STATES: readonly RunState[] = ['succeeded', 'partial', 'failed', 'cancelled'];
export const LIVE_STATES: readonly RunState[] = ['queued', 'running', 'paused', 'rate_limited'];

export const isTerminal = (state: RunState): boolean => TERMINAL_STATES.includes(state);

/** from → event → to. Anything not listed is forbidden. */
const TABLE: Readonly<Record<RunState, Partial<Record<RunEvent, RunState>>>> = {
  queued: { start: 'running', fail: 'failed', cancel: 'cancelled' },
  running: {
    pause: 'paused',
    rate_limit: 'rate_limited',
    complete: 'succeeded',
    complete_with_failures: 'partial',
    fail: 'failed',
    cancel: 'cancelled',
  },
  // Waiting for a rate-limit reset: it resumes by itself, or the operator pauses or cancels it.
  rate_limited: {
    rate_limit_cleared: 'running',
    pause: 'paused',
    complete: 'succeeded',
    complete_with_failures: 'partial',
    fail: 'failed',
    cancel: 'cancelled',
  },
  paused: { resume: 'running', fail: 'failed', cancel: 'cancelled' },
  succeeded: {},
  partial: {},
  failed: {},
  cancelled: {},
};

export type TransitionResult = { readonly ok: true; readonly to: RunState } | { readonly ok: false; readonly reason: string };

const VERB: Record<RunEvent, string> = {
  start: 'start',
  pause: 'pause',
  resume: 'resume',
  rate_limit: 'mark rate-limited',
  rate_limit_cleared: 'end the rate-limit wait of',
  complete: 'complete',
  complete_with_failures: 'complete',
  fail: 'fail',
  cancel: 'cancel',
};

export const transition = (from: RunState, event: RunEvent): TransitionResult => {
  const to = TABLE[from][event];
  if (to) return { ok: true, to };
  const why = isTerminal(from) ? `it already ended (${from})` : `it is ${from.replace('_', '-')}`;
  return { ok: false, reason: `Cannot ${VERB[event]} this run: ${why}.` };
};

/** Every allowed move, for tests, docs and the SQL guard that mirrors this table. */
export const allowedTransitions = (): { from: RunState; event: RunEvent; to: RunState }[] =>
  RunState.options.flatMap((from) => Object.entries(TABLE[from]).map(([event, to]) => ({ from, event: event as RunEvent, to: to as RunState })));
