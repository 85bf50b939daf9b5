import type { StateCreator } from 'zustand';

import { describeError } from './describe-error';
import type { ApiCaller, AppState, SessionSlice } from './types';

/**
 * Who the console talks as (`session.info`): the role the screens read through `useCan` to hide
 * what it cannot do, and the profile the header names. Loaded at start, again on `session.changed`
 * and after a reconnect (the bridge does both). A reply to an older request never overwrites a
 * newer one: after a profile switch the first answer may describe the engine that just stopped.
 */
export const createSessionSlice =
  (client: ApiCaller): StateCreator<AppState, [['zustand/persist', unknown]], [], SessionSlice> => {
    let latest = 0;
    return (set) => ({
      session: null,
      sessionStatus: 'idle',
      sessionError: null,
      async loadSession() {
        const ticket = ++latest;
        set({ sessionStatus: 'loading' });
        try {
          const session = await client.call('session.info', {});
          if (ticket === latest) set({ session, sessionStatus: 'ready', sessionError: null });
        } catch (error) {
          // Keep the last known session: hiding or showing controls should not flicker on a blip.
          if (ticket === latest) set({ sessionStatus: 'error', sessionError: describeError(error) });
        }
      },
    });
  };
