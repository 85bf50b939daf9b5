import { describe, expect, it } from 'vitest';

import { allowedTransitions, isTerminal, RunEvent, RunState, transition } from './run-state';

/** The expected table, written out independently of the implementation: from → event → to. */
const EXPECTED: Record<string, string> = {
  'queued start': 'running',
  'queued fail': 'failed',
  'queued cancel': 'cancelled',
  'running pause': 'paused',
  'running rate_limit': 'rate_limited',
  'running complete': 'succeeded',
  'running complete_with_failures': 'partial',
  'running fail': 'failed',
  'running cancel': 'cancelled',
  'rate_limited rate_limit_cleared': 'running',
  'rate_limited pause': 'paused',
  'rate_limited complete': 'succeeded',
  'rate_limited complete_with_failures': 'partial',
  'rate_limited fail': 'failed',
  'rate_limited cancel': 'cancelled',
  'paused resume': 'running',
  'paused fail': 'failed',
  'paused cancel': 'cancelled',
};

const pairs = RunState.options.flatMap((from) => RunEvent.options.map((event) => [from, event] as const));

describe('run state machine', () => {
  it.each(pairs.filter(([f, e]) => `${f} ${e}` in EXPECTED))('%s + %s is allowed', (from, event) => {
    expect(transition(from, event)).toEqual({ ok: true, to: EXPECTED[`${from} ${event}`] });
  });

  it.each(pairs.filter(([f, e]) => !(`${f} ${e}` in EXPECTED)))('%s + %s is refused with a reason', (from, event) => {
    const result = transition(from, event);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/^Cannot .+ this run: (it already ended|it is )/);
  });

  it('lists exactly the allowed moves and nothing leaves a terminal state', () => {
    expect(allowedTransitions()).toHaveLength(Object.keys(EXPECTED).length);
    for (const state of RunState.options.filter(isTerminal)) {
      expect(RunEvent.options.every((e) => !transition(state, e).ok)).toBe(true);
    }
  });

  it('says why in words an operator understands', () => {
    expect(transition('cancelled', 'resume')).toEqual({ ok: false, reason: 'Cannot resume this run: it already ended (cancelled).' });
    expect(transition('paused', 'pause')).toEqual({ ok: false, reason: 'Cannot pause this run: it is paused.' });
  });
});
