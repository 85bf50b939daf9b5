import { describe, expect, it } from 'vitest';

import { RunEvent, RunState, transition } from '../../../shared/domain/run-state';
import { refusal, statesLeftBy } from './controls';

describe('run controls follow the run state machine', () => {
  it('guards each control with exactly the states the machine lets it leave', () => {
    for (const event of RunEvent.options) {
      expect(statesLeftBy(event).sort()).toEqual(RunState.options.filter((s) => transition(s, event).ok).sort());
    }
    expect(statesLeftBy('pause').sort()).toEqual(['rate_limited', 'running']);
    expect(statesLeftBy('resume')).toEqual(['paused']);
    expect(statesLeftBy('cancel').sort()).toEqual(['paused', 'queued', 'rate_limited', 'running']);
  });

  it('refuses in the machine’s words, naming the run and what to do instead', () => {
    expect(refusal(12, 'running', 'resume')).toMatchObject({ code: 'conflict', message: 'Cannot resume run 12: it is running. It is running already.' });
    expect(refusal(12, 'rate_limited', 'resume').message).toBe('Cannot resume run 12: it is rate-limited. It continues by itself when the rate limit resets.');
    expect(refusal(7, 'partial', 'resume').message).toBe('Cannot resume run 7: it already ended (partial). Re-run its failed units instead.');
    expect(refusal(7, 'succeeded', 'cancel').message).toBe('Cannot cancel run 7: it already ended (succeeded).');
  });
});
