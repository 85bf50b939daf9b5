import { describe, expect, it } from 'vitest';

import type { StepProgress } from '../../../../shared/contract/runs';

import { cardControls, formatDuration, nextRunText, percentLoaded, scheduleText, stageStatuses } from './format';

const step = (over: Partial<StepProgress> = {}): StepProgress => ({
  step: 'issues',
  label: 'Issues',
  units: 4,
  extracted: 40,
  transformed: 30,
  loaded: 20,
  failed: 0,
  skipped: 0,
  pending: 2,
  extractionDone: false,
  extractedPerSec: 3,
  loadedPerSec: 2,
  ...over,
});

const run = (state: 'running' | 'paused' | 'rate_limited' | 'failed' | 'succeeded') => ({ id: 7, state }) as never;

describe('jobs dashboard helpers', () => {
  it('derives E/T/L/V from a step’s counters and the run state', () => {
    expect(stageStatuses(step(), 'running')).toEqual({ extract: 'running', transform: 'running', load: 'running', vectorize: 'off' });
    expect(stageStatuses(step({ extractionDone: true }), 'paused')).toEqual({ extract: 'done', transform: 'waiting', load: 'waiting', vectorize: 'off' });
    expect(stageStatuses(step({ extractionDone: true, pending: 0, transformed: 40, loaded: 40 }), 'succeeded')).toEqual({ extract: 'done', transform: 'done', load: 'done', vectorize: 'off' });
    // A run that ended before the step finished shows where it stopped.
    expect(stageStatuses(step(), 'cancelled')).toMatchObject({ extract: 'stopped', transform: 'stopped', load: 'stopped' });
    expect(stageStatuses(undefined, 'queued')).toMatchObject({ extract: 'waiting', transform: 'idle' });
    expect(stageStatuses(step({ units: 0, transformed: 0, loaded: 0, extracted: 0 }), 'running')).toMatchObject({ transform: 'idle', load: 'idle' });
  });

  it('offers the controls the run state machine allows', () => {
    const base = { active: true, integrationActive: true, activeRun: null, lastRun: null };
    expect(cardControls(base)).toEqual({ runNow: true, pause: false, resume: false, cancel: false, fullRefresh: true, retransform: true });
    expect(cardControls({ ...base, activeRun: run('running') })).toMatchObject({ runNow: false, pause: true, resume: false, cancel: true, fullRefresh: false, retransform: false });
    expect(cardControls({ ...base, activeRun: run('paused') })).toMatchObject({ pause: false, resume: true, cancel: true });
    expect(cardControls({ ...base, activeRun: run('rate_limited') })).toMatchObject({ pause: true, resume: false });
    // A failed last run resumes from its checkpoints as a new run.
    expect(cardControls({ ...base, lastRun: run('failed') })).toMatchObject({ resume: true, runNow: true });
    expect(cardControls({ ...base, active: false })).toMatchObject({ runNow: false, fullRefresh: false, retransform: true });
  });

  it('counts down to the next run in the engine’s time', () => {
    const now = Date.parse('2026-01-01T10:00:00Z');
    const job = (nextRunAt: string | null) => ({ nextRunAt, schedule: { type: 'interval' as const, everyMinutes: 60 }, active: true });
    expect(nextRunText(job('2026-01-01T10:04:12Z'), now)).toBe('in 4m 12s');
    expect(nextRunText(job('2026-01-01T12:30:00Z'), now)).toBe('in 2h 30m');
    expect(nextRunText(job('2026-01-01T10:00:00Z'), now)).toBe('due now');
    expect(nextRunText(job('2026-01-01T09:50:00Z'), now)).toBe('overdue by 10m 00s');
    expect(nextRunText({ nextRunAt: null, schedule: null, active: true }, now)).toBe('manual only');
    expect(nextRunText({ ...job('2026-01-01T11:00:00Z'), active: false }, now)).toBe('not scheduled (inactive)');
  });

  it('formats schedules, durations and progress', () => {
    expect(scheduleText({ schedule: { type: 'interval', everyMinutes: 120 } })).toBe('Every 2 h');
    expect(scheduleText({ schedule: { type: 'interval', everyMinutes: 15 } })).toBe('Every 15 min');
    expect(scheduleText({ schedule: { type: 'cron', expression: '0 6 * * 1-5', timezone: 'Europe/Paris' } })).toBe('Cron 0 6 * * 1-5 (Europe/Paris)');
    expect(formatDuration(59_400)).toBe('59s');
    expect(formatDuration(3 * 86_400_000 + 5 * 3_600_000)).toBe('3d 5h');
    expect(percentLoaded({ extracted: 0, loaded: 0 })).toBe(0);
    expect(percentLoaded({ extracted: 3, loaded: 1 })).toBe(33.3);
  });
});
