import { Cron } from 'croner';

import type { RetryPolicy, Schedule } from '../../../shared/contract/jobs';

/**
 * Schedule arithmetic for jobs, with croner for cron expressions and timezones (no hand-written cron
 * parser). The next run is always computed from "now" when a run is claimed, so a job that was
 * overdue while no engine ran fires once at start-up and then keeps its rhythm, instead of being
 * postponed by a full interval (reference/prior-system.md 10.2.8) or firing once per missed slot.
 */

export class ScheduleError extends Error {
  override readonly name = 'ScheduleError';
}

const cronOf = (schedule: Extract<Schedule, { type: 'cron' }>): Cron => {
  try {
    return new Cron(schedule.expression, { timezone: schedule.timezone, paused: true });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    // An unknown zone surfaces from Intl as a message naming the time zone; say which part is wrong.
    if (/time ?zone/i.test(why)) {
      throw new ScheduleError(`Timezone "${schedule.timezone}" is not an IANA timezone; use a name like UTC, Europe/Paris or America/New_York.`);
    }
    throw new ScheduleError(`Cron expression "${schedule.expression}" is invalid (${why}); use 5 fields "minute hour day month weekday", e.g. "0 6 * * 1-5".`);
  }
};

/** Throws a ScheduleError that says what to fix when the schedule can never fire. */
export const validateSchedule = (schedule: Schedule): void => {
  if (schedule.type === 'interval') return;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: schedule.timezone });
  } catch {
    throw new ScheduleError(`Timezone "${schedule.timezone}" is not an IANA timezone; use a name like UTC, Europe/Paris or America/New_York.`);
  }
  if (cronOf(schedule).nextRun(new Date()) === null) throw new ScheduleError(`Cron expression "${schedule.expression}" never fires again; check its fields.`);
};

/** The first time after `from` the schedule fires (null when a cron expression never fires again). */
export const nextRunAfter = (schedule: Schedule, from: Date): Date | null => {
  if (schedule.type === 'interval') return new Date(from.getTime() + schedule.everyMinutes * 60_000);
  return cronOf(schedule).nextRun(from);
};

/** When the n-th retry (1-based) of a failure that ended at `failedAt` is due. */
export const retryDueAt = (policy: RetryPolicy, attempt: number, failedAt: Date): Date =>
  new Date(failedAt.getTime() + Math.round(policy.backoffMinutes * 60_000 * 2 ** Math.max(0, attempt - 1)));
