import type { StateCreator } from 'zustand';

import type { DeadLetterItem, QueuesStatus } from '../../../shared/contract/queues';
import type { WorkersStatus } from '../../../shared/contract/workers';

import { describeError } from './describe-error';
import type { ApiCaller, AppState, OperateSlice } from './types';

/**
 * The Queues and Workers screens' data. RabbitMQ and the hosts push nothing, so these are read on
 * demand: when the screen opens, on "Refresh", after a control, and on a slow timer while the screen
 * is open (the screens own that timer; the management API samples every few seconds anyway).
 */
export const createOperateSlice =
  (client: ApiCaller): StateCreator<AppState, [['zustand/persist', unknown]], [], OperateSlice> =>
  (set, get) => ({
    queues: null,
    queuesError: null,
    deadLetters: null,
    deadLettersError: null,
    deadLettersLoading: false,
    workers: null,
    workersError: null,

    async loadQueues() {
      try {
        const queues: QueuesStatus = await client.call('queues.status', {});
        set({ queues, queuesError: null });
      } catch (error) {
        set({ queuesError: describeError(error) });
      }
    },

    async loadDeadLetters() {
      if (get().selectedTenantId === null) {
        set({ deadLetters: null, deadLettersError: null });
        return;
      }
      const tenantId = get().selectedTenantId;
      set({ deadLettersLoading: true });
      try {
        const result = await client.call('queues.deadLetters', { limit: 200 });
        if (get().selectedTenantId !== tenantId) return;
        set({ deadLetters: result, deadLettersError: null });
      } catch (error) {
        if (get().selectedTenantId !== tenantId) return;
        set({ deadLettersError: describeError(error) });
      } finally {
        set({ deadLettersLoading: false });
      }
    },

    async actOnDeadLetters(action, ids) {
      const result = action === 'requeue' ? await client.call('queues.requeue', { ids, confirm: true }) : await client.call('queues.discard', { ids, confirm: true });
      const gone = new Set<string>(ids === 'all' ? (get().deadLetters?.items ?? []).map((i: DeadLetterItem) => i.id) : ids);
      const current = get().deadLetters;
      if (current) set({ deadLetters: { ...current, items: current.items.filter((i) => !gone.has(i.id) || result.skipped.includes(i.id)) } });
      void get().loadDeadLetters();
      void get().loadQueues();
      return result;
    },

    async loadWorkers() {
      try {
        const workers: WorkersStatus = await client.call('workers.status', {});
        set({ workers, workersError: null });
      } catch (error) {
        set({ workersError: describeError(error) });
      }
    },

    async scalePool(host, stage, threads) {
      const result = await client.call('workers.scale', { host, stage, threads });
      void get().loadWorkers();
      return result;
    },

    async restartPool(host, stage) {
      const result = await client.call('workers.restart', { host, stage });
      void get().loadWorkers();
      return result;
    },
  });
