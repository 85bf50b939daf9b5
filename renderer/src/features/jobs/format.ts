import type { Job } from '../../../../shared/contract/jobs';
import type { RunProgress, RunSummary, StepProgress } from '../../../../shared/contract/runs';
import { isTerminal, transition, type RunState } from '../../../../shared/domain/run-state';

/** Pure helpers of the jobs dashboard (tested in format.test.ts): stage circles, countdowns, numbers. */

export type StageStatus = 'idle' | 'running' | 'waiting' | 'done' | 'stopped' | 'off';
export const STAGE_LETTERS = [
  { stage: 'extract', letter: 'E', label: 'Extract' },
  { stage: 'transform', letter: 'T', label: 'Transform' },
  { stage: 'load', letter: 'L', label: 'Load' },
  { stage: 'vectorize', letter: 'V', label: 'Vectorize' },
] as const;

const number = new Intl.NumberFormat(undefined);
export const formatCount = (n: number): string => number.format(n);
export const formatRate = (perSec: number): string => (perSec >= 100 ? `${Math.round(perSec)}/s` : `${Math.round(perSec * 10) / 10}/s`);

/** "4m 12s", "1h 03m", "2d 4h": the two largest units, for countdowns and durations. */
export const formatDuration = (ms: number): string => {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
};

/** The next-run line of a card: "in 4m 12s", "due now", or why there is none. */
export const nextRunText = (job: Pick<Job, 'nextRunAt' | 'schedule' | 'active'>, nowMs: number): string => {
  if (!job.schedule) return 'manual only';
  if (!job.active) return 'not scheduled (inactive)';
  if (!job.nextRunAt) return 'not scheduled';
  const left = Date.parse(job.nextRunAt) - nowMs;
  if (left > 1000) return `in ${formatDuration(left)}`;
  if (left > -60_000) return 'due now';
  return `overdue by ${formatDuration(-left)}`;
};

export const scheduleText = (job: Pick<Job, 'schedule'>): string => {
  const s = job.schedule;
  if (!s) return 'Manual';
  if (s.type === 'interval') return s.everyMinutes % 60 === 0 ? `Every ${s.everyMinutes / 60} h` : `Every ${s.everyMinutes} min`;
  return `Cron ${s.expression} (${s.timezone})`;
};

const LIVE_RUN: ReadonlySet<RunState> = new Set(['queued', 'running', 'paused', 'rate_limited']);

/** E, T, L and V of one step: how far each stage is, from the step's live counters and the run state. */
export const stageStatuses = (step: StepProgress | undefined, state: RunState): Record<'extract' | 'transform' | 'load' | 'vectorize', StageStatus> => {
  const live = LIVE_RUN.has(state);
  const moving: StageStatus = state === 'paused' || state === 'rate_limited' || state === 'queued' ? 'waiting' : 'running';
  const notDone: StageStatus = live ? moving : 'stopped';
  if (!step) return { extract: live ? moving : 'idle', transform: 'idle', load: 'idle', vectorize: 'idle' };
  const extract: StageStatus = step.extractionDone ? 'done' : notDone;
  const settled = step.extractionDone && step.pending === 0;
  const transform: StageStatus = settled ? 'done' : step.units === 0 ? (live ? 'idle' : 'stopped') : notDone;
  const load: StageStatus = settled ? 'done' : step.transformed === 0 && step.loaded === 0 ? (live ? 'idle' : 'stopped') : notDone;
  return { extract, transform, load, vectorize: vectorizeStatus(step, live, settled) };
};

/**
 * Vectors lag behind a run (a run ends when it is loaded), so this stage does not stop with the run:
 * it runs while loaded units wait for their vectors, also after the run ended, and is done once every
 * loaded unit of a settled step has them. Null counts: vectors are off (no Qdrant configured).
 */
const vectorizeStatus = (step: StepProgress, live: boolean, settled: boolean): StageStatus => {
  const v = step.vectorize;
  if (!v) return 'off';
  if (v.units < v.ofUnits) return 'running';
  if (settled) return 'done';
  return v.ofUnits === 0 ? (live ? 'idle' : 'stopped') : live ? 'running' : 'stopped';
};

const units = (n: number): string => `${formatCount(n)} unit${n === 1 ? '' : 's'}`;

/** "vectors: 812 of 1,000 units (7,950 entities)", or null when vectors are off or nothing was loaded yet. */
export const vectorizeText = (step: StepProgress): string | null => {
  const v = step.vectorize;
  if (!v || v.ofUnits === 0) return null;
  const entities = v.entities > 0 ? ` (${formatCount(v.entities)} entit${v.entities === 1 ? 'y' : 'ies'})` : '';
  return v.units >= v.ofUnits ? `vectors: all ${units(v.ofUnits)}${entities}` : `vectors: ${formatCount(v.units)} of ${units(v.ofUnits)}${entities}`;
};

/** Which controls a card offers for its job and run, from the run state machine (shared/domain/run-state.ts). */
export const cardControls = (job: Pick<Job, 'active' | 'integrationActive' | 'activeRun' | 'lastRun'>) => {
  const run = job.activeRun;
  const idle = run === null;
  return {
    runNow: idle && job.active && job.integrationActive,
    pause: run !== null && transition(run.state, 'pause').ok,
    resume: run !== null ? transition(run.state, 'resume').ok : job.lastRun?.state === 'failed' && job.integrationActive,
    cancel: run !== null && transition(run.state, 'cancel').ok,
    fullRefresh: idle && job.active && job.integrationActive,
    retransform: idle && job.integrationActive,
  };
};

/** The run a card shows: the live one (with its progress), else the last one. */
export const cardRun = (job: Pick<Job, 'activeRun' | 'lastRun'>, progressByRun: Record<number, RunProgress>): { run: RunSummary | null; progress: RunProgress | null; state: RunState | null } => {
  const run = job.activeRun ?? job.lastRun;
  if (!run) return { run: null, progress: null, state: null };
  const progress = progressByRun[run.id] ?? null;
  // The push is newer than the job read whenever it exists: its state wins (a run that just ended shows ended).
  return { run, progress, state: progress?.state ?? run.state };
};

export const stateLabel = (state: RunState): string => state.replace('_', '-');
export const isLive = (state: RunState | null): boolean => state !== null && !isTerminal(state);

/** Percent 0..100 of records loaded out of extracted, for the progress bars. */
export const percentLoaded = (c: { extracted: number; loaded: number }): number => (c.extracted <= 0 ? 0 : Math.min(100, Math.round((c.loaded / c.extracted) * 1000) / 10));
