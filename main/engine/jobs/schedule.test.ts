import { describe, expect, it } from 'vitest';

import { nextRunAfter, retryDueAt, ScheduleError, validateSchedule } from './schedule';

describe('job schedules', () => {
  const from = new Date('2026-03-06T10:17:30Z'); // a Friday

  it('an interval fires every N minutes from the time it is claimed', () => {
    expect(nextRunAfter({ type: 'interval', everyMinutes: 45 }, from)?.toISOString()).toBe('2026-03-06T11:02:30.000Z');
  });

  it('a cron expression fires at its next slot in its own timezone', () => {
    // 06:00 on weekdays in Paris (UTC+1 in March before DST): Monday 05:00 UTC.
    expect(nextRunAfter({ type: 'cron', expression: '0 6 * * 1-5', timezone: 'Europe/Paris' }, from)?.toISOString()).toBe('2026-03-09T05:00:00.000Z');
    expect(nextRunAfter({ type: 'cron', expression: '*/15 * * * *', timezone: 'UTC' }, from)?.toISOString()).toBe('2026-03-06T10:30:00.000Z');
    // Across the DST change in New York (8 March 2026): 09:00 local is 14:00 UTC before, 13:00 UTC after.
    const ny = { type: 'cron' as const, expression: '0 9 * * *', timezone: 'America/New_York' };
    expect(nextRunAfter(ny, new Date('2026-03-07T15:00:00Z'))?.toISOString()).toBe('2026-03-08T13:00:00.000Z');
    expect(nextRunAfter(ny, new Date('2026-03-06T15:00:00Z'))?.toISOString()).toBe('2026-03-07T14:00:00.000Z');
  });

  it('refuses a bad expression or timezone with what to fix', () => {
    expect(() => validateSchedule({ type: 'cron', expression: '61 * * * *', timezone: 'UTC' })).toThrow(ScheduleError);
    expect(() => validateSchedule({ type: 'cron', expression: '61 * * * *', timezone: 'UTC' })).toThrow(/Cron expression "61 \* \* \* \*" is invalid .*e\.g\. "0 6 \* \* 1-5"/);
    expect(() => validateSchedule({ type: 'cron', expression: '0 6 * * *', timezone: 'Mars/Olympus' })).toThrow(/Timezone "Mars\/Olympus" is not an IANA timezone/);
    expect(() => validateSchedule({ type: 'cron', expression: '0 6 * * *', timezone: 'Asia/Tokyo' })).not.toThrow();
    expect(() => validateSchedule({ type: 'interval', everyMinutes: 5 })).not.toThrow();
  });

  it('retries back off exponentially from the failure', () => {
    const failedAt = new Date('2026-03-06T10:00:00Z');
    const policy = { maxRetries: 3, backoffMinutes: 10 };
    expect([1, 2, 3].map((n) => retryDueAt(policy, n, failedAt).toISOString())).toEqual(['2026-03-06T10:10:00.000Z', '2026-03-06T10:20:00.000Z', '2026-03-06T10:40:00.000Z']);
    expect(retryDueAt({ maxRetries: 1, backoffMinutes: 0 }, 1, failedAt).toISOString()).toBe(failedAt.toISOString());
  });
});
