import { describe, expect, it } from 'vitest';

import type { StepProgress } from '../../../../shared/contract/runs';

import { cardControls, formatDuration, nextRunText, percentLoaded, scheduleText, stageStatuses, vectorizeText } from './format';

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
  vectorize: null,
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

  it('shows the vectorize stage from its unit counts, running on after the run ended until vectors catch up', () => {
    const settled = { extractionDone: true, pending: 0, transformed: 40, loaded: 40 };
    // Vectors off: said so, never guessed.
    expect(stageStatuses(step(settled), 'succeeded').vectorize).toBe('off');
    expect(vectorizeText(step(settled))).toBeNull();
    // Nothing loaded yet in a live run: not started.
    expect(stageStatuses(step({ vectorize: { units: 0, ofUnits: 0, entities: 0 } }), 'running').vectorize).toBe('idle');
    // Loaded units waiting for vectors: running, in a live run and after it ended alike.
    const behind = { units: 3, ofUnits: 4, entities: 30 };
    expect(stageStatuses(step({ vectorize: behind }), 'running').vectorize).toBe('running');
    expect(stageStatuses(step({ ...settled, vectorize: behind }), 'succeeded')).toEqual({ extract: 'done', transform: 'done', load: 'done', vectorize: 'running' });
    expect(vectorizeText(step({ vectorize: behind }))).toBe('vectors: 3 of 4 units (30 entities)');
    // Caught up with a settled step: done; with a step still loading, it keeps up (running).
    const all = { units: 4, ofUnits: 4, entities: 40 };
    expect(stageStatuses(step({ ...settled, vectorize: all }), 'succeeded').vectorize).toBe('done');
    expect(stageStatuses(step({ vectorize: all }), 'running').vectorize).toBe('running');
    expect(vectorizeText(step({ vectorize: all }))).toBe('vectors: all 4 units (40 entities)');
    // A step whose units embed nothing (sprints, comments): done once its units were seen, no entity count.
    expect(vectorizeText(step({ ...settled, vectorize: { units: 4, ofUnits: 4, entities: 0 } }))).toBe('vectors: all 4 units');
    expect(vectorizeText(step({ ...settled, vectorize: { units: 1, ofUnits: 1, entities: 1 } }))).toBe('vectors: all 1 unit (1 entity)');
    // A cancelled run whose loaded units all have vectors: the stage stopped with the run.
    expect(stageStatuses(step({ vectorize: all }), 'cancelled').vectorize).toBe('stopped');
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
