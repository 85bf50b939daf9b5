import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';

import type { MethodOutput } from '../../../../shared/contract/api';
import type { RunThroughput } from '../../../../shared/contract/run-insights';
import type { RunDetail as RunDetailData } from '../../../../shared/contract/runs';
import { isTerminal, transition } from '../../../../shared/domain/run-state';
import { useAppStore, useClient } from '../../app/context';
import { useCan } from '../../app/use-can';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { RoleNotice } from '../../components/RoleNotice';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';
import { useNow } from '../../components/use-now';
import { describeError } from '../../store/describe-error';
import { formatCount, formatDuration, percentLoaded, stateLabel } from '../jobs/format';

import { RunLogs } from './RunLogs';
import { ThroughputChart } from './ThroughputChart';

type Errors = MethodOutput<'runs.errors'>;

/** Re-reads of the detail on progress pushes are spaced by at least this much. */
const REFRESH_EVERY_MS = 1500;

const at = (iso: string | null): string => (iso ? new Date(iso).toLocaleTimeString() : '—');

/**
 * One run: its timeline (created, started, each step's extraction done, ended), counters per step,
 * throughput over time, errors grouped by cause with links to the failed raw units, and its log.
 * While the run is live, each `runs.progress` push for it re-reads the detail (at most every 1.5 s).
 */
export function RunDetail({ runId }: { runId: number }) {
  const client = useClient();
  const progress = useAppStore((s) => s.progressByRun[runId]);
  const pauseRun = useAppStore((s) => s.pauseRun);
  const resumeRun = useAppStore((s) => s.resumeRun);
  const cancelRun = useAppStore((s) => s.cancelRun);
  const can = { pause: useCan('runs.pause'), resume: useCan('runs.resume'), cancel: useCan('runs.cancel'), rerun: useCan('runs.rerunFailed') };
  const [detail, setDetail] = useState<RunDetailData | null>(null);
  const [throughput, setThroughput] = useState<RunThroughput | null>(null);
  const [errors, setErrors] = useState<Errors | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: 'info' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const lastRead = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const now = useNow(1000);

  const read = useCallback((): void => {
    lastRead.current = Date.now();
    Promise.all([client.call('runs.get', { id: runId }), client.call('runs.throughput', { id: runId }), client.call('runs.errors', { id: runId })]).then(
      ([d, t, e]) => {
        setDetail(d);
        setThroughput(t);
        setErrors(e);
        setLoadError(null);
      },
      (error: unknown) => setLoadError(describeError(error)),
    );
  }, [client, runId]);

  useEffect(() => {
    read();
    return () => {
      if (pending.current) clearTimeout(pending.current);
    };
  }, [read]);

  // A push for this run: read again, spaced out (the push itself carries the counters for the header).
  useEffect(() => {
    if (!progress || pending.current) return;
    const wait = Math.max(0, lastRead.current + REFRESH_EVERY_MS - Date.now());
    pending.current = setTimeout(() => {
      pending.current = null;
      read();
    }, wait);
  }, [progress, read]);

  const act = async (fn: () => Promise<{ message: string; run: { id: number } }>) => {
    setBusy(true);
    setMessage(null);
    try {
      const r = await fn();
      setMessage({ tone: 'info', text: r.message });
      read();
    } catch (error) {
      setMessage({ tone: 'error', text: describeError(error) });
    } finally {
      setBusy(false);
      setConfirmCancel(false);
    }
  };

  if (loadError && !detail) {
    return (
      <Notice tone="error" testId="run-error">
        <MessageText text={loadError} />
      </Notice>
    );
  }
  if (!detail) return <p className="muted">Loading run {runId}…</p>;

  const state = progress?.state ?? detail.state;
  const totals = progress?.totals ?? detail.totals;
  const live = !isTerminal(state);
  const duration = detail.durationMs !== null ? (live && detail.startedAt ? now - Date.parse(detail.startedAt) : detail.durationMs) : null;
  const limitedUntil = progress?.rateLimit.limitedUntil ?? detail.rateLimitedUntil;

  return (
    <div className="run-detail" data-testid="run-detail" data-run={runId} data-state={state}>
      <div className="run-detail-head">
        <Link to="/runs" className="button small ghost" data-testid="back-to-runs">
          ← All runs
        </Link>
        <h2>
          Run {detail.id} <span className={`pill run-pill run-${state}`} data-testid="run-detail-state">{stateLabel(state)}</span>
        </h2>
        <span className="muted">
          {detail.kind.replace('_', ' ')} · {detail.trigger}
          {detail.startedBy ? ` by ${detail.startedBy}` : ''}
          {detail.sourceRunId ? (
            <>
              {' '}
              · continues <Link to={`/runs?run=${detail.sourceRunId}`}>run {detail.sourceRunId}</Link>
            </>
          ) : null}
        </span>
        <span className="spacer" />
        {can.pause ? (
          <button type="button" className="button small" disabled={busy || !transition(state, 'pause').ok} onClick={() => void act(() => pauseRun(runId))} data-testid="detail-pause">
            Pause
          </button>
        ) : null}
        {can.resume ? (
          <button type="button" className="button small" disabled={busy || !(transition(state, 'resume').ok || state === 'failed')} onClick={() => void act(() => resumeRun(runId))} data-testid="detail-resume">
            Resume
          </button>
        ) : null}
        {can.cancel ? (
          <button type="button" className="button small danger" disabled={busy || !transition(state, 'cancel').ok} onClick={() => setConfirmCancel(true)} data-testid="detail-cancel">
            Cancel
          </button>
        ) : null}
        {can.rerun ? (
          <button type="button" className="button small" disabled={busy || live || totals.failed === 0} onClick={() => void act(() => client.call('runs.rerunFailed', { id: runId }))} data-testid="detail-rerun">
            Re-run failed units
          </button>
        ) : null}
      </div>
      <RoleNotice calls={['runs.pause', 'runs.resume', 'runs.cancel', 'runs.rerunFailed']} />

      {message ? (
        <Notice tone={message.tone} testId={message.tone === 'error' ? 'run-detail-error' : 'run-detail-message'}>
          <MessageText text={message.text} />
        </Notice>
      ) : null}
      {detail.error ? (
        <Notice tone="error" testId="run-failure">
          <MessageText text={`${detail.error.message} (${detail.error.reason})`} />
        </Notice>
      ) : null}
      {live && limitedUntil && Date.parse(limitedUntil) > now ? (
        <Notice tone="info" testId="run-rate-limit">
          Rate-limited until {new Date(limitedUntil).toLocaleTimeString()} (in {formatDuration(Date.parse(limitedUntil) - now)}); the run continues by itself.
        </Notice>
      ) : null}

      <div className="counter-row" data-testid="run-counters">
        {(
          [
            ['Units', totals.units],
            ['Extracted', totals.extracted],
            ['Transformed', totals.transformed],
            ['Loaded', totals.loaded],
            ['Failed units', totals.failed],
            ['Skipped units', totals.skipped],
            ['Pending units', totals.pending],
          ] as const
        ).map(([label, value]) => (
          <div key={label} className={`counter ${label === 'Failed units' && value > 0 ? 'bad' : ''}`} data-testid={`counter-${label.split(' ')[0]!.toLowerCase()}`}>
            <div className="counter-value">{formatCount(value)}</div>
            <div className="counter-label">{label}</div>
          </div>
        ))}
        <div className="counter">
          <div className="counter-value">{duration !== null ? formatDuration(duration) : '—'}</div>
          <div className="counter-label">Duration</div>
        </div>
        <div className="counter">
          <div className="counter-value">{detail.throughputPerSec}/s</div>
          <div className="counter-label">Loaded, average</div>
        </div>
      </div>

      <section className="panel">
        <div className="panel-title">Timeline</div>
        <ol className="timeline" data-testid="run-timeline">
          <li>
            <span className="timeline-at">{at(detail.createdAt)}</span> Created ({detail.trigger})
          </li>
          <li>
            <span className="timeline-at">{at(detail.startedAt)}</span> Started
          </li>
          {detail.steps.map((s) => {
            const c = progress?.steps.find((p) => p.step === s.step) ?? s.counters;
            return (
              <li key={s.step} data-testid="timeline-step">
                <span className="timeline-at">{at(s.extractionDoneAt)}</span> <strong>{s.label}</strong>: {s.extractionDoneAt ? 'extraction done' : live ? 'extracting' : 'extraction not finished'} · {formatCount(c.extracted)} extracted, {formatCount(c.loaded)} loaded ({percentLoaded(c)}%)
                {c.failed > 0 ? <span className="bad">, {c.failed} unit(s) failed</span> : null}
                <span className="muted small">
                  {' '}
                  · {s.streams.map((st) => `${st.stream}: ${st.partitionsDone}/${st.partitions} partition(s), ${st.pages} page(s)${st.partitionsFailed ? `, ${st.partitionsFailed} gave up` : ''}`).join('; ')}
                </span>
              </li>
            );
          })}
          <li>
            <span className="timeline-at">{at(detail.finishedAt)}</span> {detail.finishedAt ? `Ended ${stateLabel(detail.state)}` : 'Not ended yet'}
          </li>
        </ol>
      </section>

      <section className="panel">
        <div className="panel-title">Throughput{throughput ? <span className="muted small"> · buckets of {throughput.bucketSeconds} s</span> : null}</div>
        {throughput ? <ThroughputChart data={throughput} /> : <p className="muted">Loading…</p>}
      </section>

      <section className="panel" data-testid="run-errors">
        <div className="panel-title">
          Errors by cause
          {errors && (errors.failedUnits > 0 || errors.failedPartitions > 0) ? (
            <span className="muted small">
              {' '}
              · {errors.failedUnits} failed unit(s), {errors.failedPartitions} partition(s) gave up ·{' '}
              <Link to={`/raw?run=${runId}&status=failed`} data-testid="all-failed-units">
                all failed units in the raw data inspector
              </Link>
            </span>
          ) : null}
        </div>
        {!errors || errors.groups.length === 0 ? (
          <p className="muted">No failures.</p>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th>Count</th>
                <th>Stage</th>
                <th>Cause</th>
                <th>Units</th>
              </tr>
            </thead>
            <tbody>
              {errors.groups.map((g) => (
                <tr key={g.key} data-testid="error-group">
                  <td className="strong">{g.count}</td>
                  <td>
                    {g.stage}
                    {g.reason ? <div className="muted small">{g.reason.replace('_', ' ')}</div> : null}
                  </td>
                  <td>
                    {g.name ? <span className="mono small">{g.name}: </span> : null}
                    {g.message}
                  </td>
                  <td>
                    {g.kind === 'unit'
                      ? g.rawIds.map((id) => (
                          <Link key={id} to={`/raw?unit=${id}`} className="mono small unit-link" data-testid="failed-unit-link">
                            #{id}
                          </Link>
                        ))
                      : g.partitions.map((p) => `${p.stream}${p.partition ? ` ${p.partition}` : ''}`).join(', ')}
                    {g.kind === 'unit' && g.count > g.rawIds.length ? <span className="muted small"> and {g.count - g.rawIds.length} more</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="panel">
        <div className="panel-title">Log</div>
        <RunLogs runId={runId} version={progress?.at ?? detail.finishedAt ?? ''} />
      </section>

      {confirmCancel ? (
        <ConfirmDialog title={`Cancel run ${runId}?`} testId="confirm-cancel" confirmLabel="Cancel the run" danger busy={busy} onCancel={() => setConfirmCancel(false)} onConfirm={() => void act(() => cancelRun(runId))}>
          Fetching stops and the run’s queued work is dropped (its units are skipped). What was already loaded stays.
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
