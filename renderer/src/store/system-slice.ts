import type { StateCreator } from 'zustand';

import type { HealthReport } from '../../../shared/contract/system';

import { describeError } from './describe-error';
import type { ApiCaller, AppState, SystemSlice } from './types';

const isOlder = (candidate: HealthReport, current: HealthReport | null): boolean =>
  current !== null && Date.parse(candidate.checkedAt) < Date.parse(current.checkedAt);

export const createSystemSlice =
  (client: ApiCaller): StateCreator<AppState, [['zustand/persist', unknown]], [], SystemSlice> =>
  (set, get) => ({
    health: null,
    healthError: null,
    checkingHealth: false,
    connection: 'connecting',
    setHealth: (report) => {
      if (isOlder(report, get().health)) return;
      set({ health: report, healthError: null });
    },
    setConnection: (connection) => set({ connection }),
    async checkHealth() {
      set({ checkingHealth: true });
      try {
        get().setHealth(await client.call('system.health', {}));
      } catch (error) {
        set({ healthError: describeError(error) });
      } finally {
        set({ checkingHealth: false });
      }
    },
  });
