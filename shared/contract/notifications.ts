import { z } from 'zod';

import { defineEvent } from './define';

/**
 * Notifications (issue 9): the engine says once when a run needs an operator's eye — it failed or
 * finished partial. The console shows a toast (for its selected tenant) and the desktop shell, which
 * listens to the same event, shows a native notification. One event, declared here, for both.
 */

const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const RunAttention = z.object({
  tenantId: Id,
  tenantName: z.string(),
  runId: Id,
  jobId: Id.nullable(),
  /** The job's name, or the integration's for a run without a job. */
  title: z.string(),
  state: z.enum(['failed', 'partial']),
  /** One sentence: what happened and what to do. */
  message: z.string(),
  at: z.string(),
});
export type RunAttention = z.infer<typeof RunAttention>;

export const notificationEvents = {
  'notifications.run': defineEvent({
    summary: 'A run failed or finished partial: once per run, for toasts and desktop notifications',
    payload: RunAttention,
  }),
};
