import { useState } from 'react';
import { Link } from 'react-router';

import type { Job } from '../../../../shared/contract/jobs';
import type { StepProgress } from '../../../../shared/contract/runs';
import { useAppStore } from '../../app/context';
import { useCan } from '../../app/use-can';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { MessageText } from '../../components/MessageText';
import { describeError } from '../../store/describe-error';

import { cardControls, cardRun, formatCount, formatDuration, formatRate, isLive, nextRunText, percentLoaded, scheduleText, stageStatuses, stateLabel, vectorizeText } from './format';
import { StageCircles } from './StageCircles';

type Confirming = 'cancel' | 'fullRefresh' | null;

function StepRow({ label, step, state }: { label: string; step: StepProgress | undefined; state: Parameters<typeof stageStatuses>[1] }) {
  const pct = step ? percentLoaded(step) : 0;
  const vectors = step ? vectorizeText(step) : null;
  return (
    <div className="job-step" data-testid="job-step" data-step={label}>
      <div className="job-step-head">
        <span className="job-step-label">{label}</span>
        <StageCircles statuses={stageStatuses(step, state)} />
      </div>
      {step ? (
        <>
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-label={`${label}: ${pct}% of extracted records loaded`}>
            <div className="progress-fill" style={{ width: `${pct}%` }} />
          </div>
          <div className="job-step-counts muted small" data-testid="step-counts">
            {formatCount(step.extracted)} extracted · {formatCount(step.transformed)} transformed · {formatCount(step.loaded)} loaded
            {step.failed > 0 ? <span className="bad"> · {formatCount(step.failed)} unit(s) failed</span> : null}
            {step.extractedPerSec > 0 || step.loadedPerSec > 0 ? ` · ${formatRate(step.extractedPerSec)} in, ${formatRate(step.loadedPerSec)} loaded` : null}
            {vectors ? <span data-testid="step-vectors"> · {vectors}</span> : null}
          </div>
        </>
      ) : null}
    </div>
  );
}

/**
 * One job: its steps with E/T/L/V circles and progress bars (live from `runs.progress`), the last
 * result, the next-run countdown, a rate-limit wait with its reset time, and the controls. Which
 * controls are enabled comes from the run state machine; the engine refuses anything else anyway,
 * and its sentence is shown on the card.
 */
/** Each control shows only when the signed-in role may make its call; `onSettings` is left out when it may not edit jobs. */
export function JobCard({ job, now, onSettings }: { job: Job; now: number; onSettings?: (job: Job) => void }) {
  const can = {
    runNow: useCan('jobs.runNow'),
    pause: useCan('runs.pause'),
    resume: useCan('runs.resume'),
    cancel: useCan('runs.cancel'),
    fullRefresh: useCan('jobs.fullRefresh'),
    retransform: useCan('jobs.retransform'),
  };
  const progressByRun = useAppStore((s) => s.progressByRun);
  const runNow = useAppStore((s) => s.runNow);
  const fullRefresh = useAppStore((s) => s.fullRefresh);
  const retransform = useAppStore((s) => s.retransform);
  const pauseRun = useAppStore((s) => s.pauseRun);
  const resumeRun = useAppStore((s) => s.resumeRun);
  const cancelRun = useAppStore((s) => s.cancelRun);
  const actions = { runNow, fullRefresh, retransform, pauseRun, resumeRun, cancelRun };
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'info' | 'error'; text: string } | null>(null);
  const [confirming, setConfirming] = useState<Confirming>(null);

  const { run, progress, state } = cardRun(job, progressByRun);
  const controls = cardControls(job);
  const live = isLive(state);
  const stepsByKey = new Map((progress?.steps ?? []).map((s) => [s.step, s]));
  const limitedUntil = progress?.rateLimit.limitedUntil ?? run?.rateLimitedUntil ?? null;
  const waitingForLimit = live && limitedUntil !== null && Date.parse(limitedUntil) > now;
  const totals = progress?.totals ?? run?.totals ?? null;

  const act = async (what: () => Promise<{ message: string }>) => {
    setBusy(true);
    setMessage(null);
    try {
      const result = await what();
      setMessage({ tone: 'info', text: result.message });
    } catch (error) {
      setMessage({ tone: 'error', text: describeError(error) });
    } finally {
      setBusy(false);
      setConfirming(null);
    }
  };

  return (
    <article className={`job-card ${job.active ? '' : 'inactive'}`} data-testid={`job-card-${job.id}`} data-name={job.name} data-state={state ?? 'none'}>
      <header className="job-card-head">
        <div>
          <h2 className="job-name">{job.name}</h2>
          <div className="muted small">
            {job.integrationName} · {job.runKind === 'full_refresh' ? 'full refresh' : 'incremental'} · {scheduleText(job)}
            {!job.active ? ' · inactive' : ''}
            {!job.integrationActive ? ' · integration inactive' : ''}
          </div>
        </div>
        {state ? (
          <span className={`pill run-pill run-${state}`} data-testid="run-state">
            {live ? 'Run' : 'Last run'} {run ? `#${run.id}` : ''}: {stateLabel(state)}
          </span>
        ) : (
          <span className="pill run-pill" data-testid="run-state">
            Never run
          </span>
        )}
      </header>

      {waitingForLimit ? (
        <div className="job-limit" data-testid="rate-limit-wait">
          Rate-limited: requests resume at {new Date(limitedUntil).toLocaleTimeString()} (in {formatDuration(Date.parse(limitedUntil) - now)})
          {progress?.rateLimit.capacity ? ` · budget ${progress.rateLimit.tokens ?? '?'} of ${progress.rateLimit.capacity}` : ''}. The run continues by itself.
        </div>
      ) : null}

      <div className="job-steps">
        {(job.steps.length ? job.steps : (progress?.steps ?? []).map((s) => ({ key: s.step, label: s.label }))).map((s) => (
          <StepRow key={s.key} label={s.label} step={live || progress ? stepsByKey.get(s.key) : undefined} state={state ?? 'succeeded'} />
        ))}
      </div>

      <dl className="job-facts">
        <div>
          <dt>Last result</dt>
          <dd data-testid="last-result">
            {job.lastRun && !live ? (
              <>
                {stateLabel(job.lastRun.state)}
                {totals ? ` · ${formatCount(totals.loaded)} loaded${totals.failed ? `, ${formatCount(totals.failed)} failed` : ''}` : ''}
                {job.lastRun.durationMs !== null ? ` · ${formatDuration(job.lastRun.durationMs)}` : ''}
                {job.lastRun.error ? <span className="bad"> · {job.lastRun.error.message}</span> : null}
              </>
            ) : live && totals ? (
              `${formatCount(totals.loaded)} of ${formatCount(totals.extracted)} records loaded so far`
            ) : (
              '—'
            )}
          </dd>
        </div>
        <div>
          <dt>Next run</dt>
          <dd data-testid="next-run" title={job.nextRunAt ?? undefined}>
            {nextRunText(job, now)}
          </dd>
        </div>
        {job.retry ? (
          <div>
            <dt>Retry</dt>
            <dd>{job.retry.exhausted ? `budget spent (${job.retry.attempt}/${job.retry.maxRetries})` : job.retry.nextAt ? `attempt ${job.retry.attempt + 1} of ${job.retry.maxRetries} ${nextRunText({ schedule: { type: 'interval', everyMinutes: 1 }, active: true, nextRunAt: job.retry.nextAt }, now)}` : `${job.retry.attempt}/${job.retry.maxRetries}`}</dd>
          </div>
        ) : null}
        {job.lastError ? (
          <div>
            <dt>Not started</dt>
            <dd className="bad">{job.lastError.message}</dd>
          </div>
        ) : null}
      </dl>

      {message ? (
        <div className={`job-message ${message.tone === 'error' ? 'bad' : ''}`} role={message.tone === 'error' ? 'alert' : 'status'} data-testid={message.tone === 'error' ? 'job-error' : 'job-message'}>
          <MessageText text={message.text} />
        </div>
      ) : null}

      <footer className="job-actions">
        {can.runNow ? (
          <button type="button" className="button small primary" disabled={busy || !controls.runNow} onClick={() => void act(() => actions.runNow(job.id))} data-testid="run-now">
            Run now
          </button>
        ) : null}
        {can.pause ? (
          <button type="button" className="button small" disabled={busy || !controls.pause || !job.activeRun} onClick={() => job.activeRun && void act(() => actions.pauseRun(job.activeRun!.id))} data-testid="pause">
            Pause
          </button>
        ) : null}
        {can.resume ? (
          <button
            type="button"
            className="button small"
            disabled={busy || !controls.resume}
            onClick={() => {
              const target = job.activeRun ?? job.lastRun;
              if (target) void act(() => actions.resumeRun(target.id));
            }}
            data-testid="resume"
          >
            Resume
          </button>
        ) : null}
        {can.cancel ? (
          <button type="button" className="button small danger" disabled={busy || !controls.cancel} onClick={() => setConfirming('cancel')} data-testid="cancel">
            Cancel
          </button>
        ) : null}
        {can.fullRefresh ? (
          <button type="button" className="button small" disabled={busy || !controls.fullRefresh} onClick={() => setConfirming('fullRefresh')} data-testid="full-refresh">
            Full refresh
          </button>
        ) : null}
        {can.retransform ? (
          <button type="button" className="button small" disabled={busy || !controls.retransform} onClick={() => void act(() => actions.retransform(job.id))} data-testid="retransform" title="Re-transform the stored raw data with the current mappings (no API call)">
            Re-transform
          </button>
        ) : null}
        {onSettings ? (
          <button type="button" className="button small ghost" onClick={() => onSettings(job)} data-testid="settings">
            Settings
          </button>
        ) : null}
        {run ? (
          <Link className="button small ghost" to={`/runs?run=${run.id}`} data-testid="open-run">
            Run details
          </Link>
        ) : null}
      </footer>

      {confirming === 'cancel' && can.cancel && job.activeRun ? (
        <ConfirmDialog title={`Cancel run ${job.activeRun.id}?`} testId="confirm-cancel" confirmLabel="Cancel the run" danger busy={busy} onCancel={() => setConfirming(null)} onConfirm={() => void act(() => actions.cancelRun(job.activeRun!.id))}>
          Fetching stops and the run’s queued work is dropped (its units are skipped, not processed). What was already loaded stays. You can start a new run later.
        </ConfirmDialog>
      ) : null}
      {confirming === 'fullRefresh' && can.fullRefresh ? (
        <ConfirmDialog title={`Full refresh of “${job.name}”?`} testId="confirm-full-refresh" confirmLabel="Start the full refresh" busy={busy} onCancel={() => setConfirming(null)} onConfirm={() => void act(() => actions.fullRefresh(job.id))}>
          A full refresh re-reads everything from {job.integrationName}, ignoring the watermark: it takes longer and spends more of the API’s rate limit than an incremental run.
        </ConfirmDialog>
      ) : null}
    </article>
  );
}
