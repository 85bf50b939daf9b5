import type { StateCreator } from 'zustand';

import type { AppState, Toast, ToastsSlice } from './types';

/** At most this many toasts stay on screen; the oldest goes first. */
export const MAX_TOASTS = 4;

let nextToastId = 1;

/**
 * In-app toasts: runs that failed or finished partial (`notifications.run`, for the selected
 * tenant), and anything else a screen wants to say briefly. Each is shown once per run id.
 */
export const createToastsSlice: StateCreator<AppState, [['zustand/persist', unknown]], [], ToastsSlice> = (set, get) => ({
  toasts: [],
  pushToast(toast) {
    if (toast.runId !== undefined && get().toasts.some((t) => t.runId === toast.runId && t.tone === toast.tone)) return;
    const next: Toast = { ...toast, id: nextToastId++ };
    set({ toasts: [...get().toasts, next].slice(-MAX_TOASTS) });
  },
  dismissToast(id) {
    set({ toasts: get().toasts.filter((t) => t.id !== id) });
  },
});
