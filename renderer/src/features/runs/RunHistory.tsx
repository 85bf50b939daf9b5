import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';

import type { RunSummary } from '../../../../shared/contract/runs';
import { RunState } from '../../../../shared/domain/run-state';
import { useAppStore, useClient } from '../../app/context';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';
import { describeError } from '../../store/describe-error';
import { formatCount, formatDuration, stateLabel } from '../jobs/format';

/**
 * Run history of the tenant, newest first, 50 at a time (keyset cursor), filtered by job and state.
 * A live row's state and counters follow its `runs.progress` pushes.
 */
export function RunHistory() {
  const client = useClient();
  const jobs = useAppStore((s) => s.jobs);
  const loadJobs = useAppStore((s) => s.loadJobs);
  const progressByRun = useAppStore((s) => s.progressByRun);
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [jobId, setJobId] = useState('');
  const [state, setState] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const fetchPage = useCallback(
    (after: string | null) => client.call('runs.list', { limit: 50, ...(jobId ? { jobId: Number(jobId) } : {}), ...(state ? { states: [RunState.parse(state)] } : {}), ...(after ? { cursor: after } : {}) }),
    [client, jobId, state],
  );
  const apply = useCallback(
    (after: string | null) =>
      fetchPage(after).then(
        (res) => {
          setRuns((prev) => (after ? [...prev, ...res.runs] : res.runs));
          setCursor(res.nextCursor);
          setError(null);
          setLoading(false);
        },
        (e: unknown) => {
          setError(describeError(e));
          setLoading(false);
        },
      ),
    [fetchPage],
  );
  const load = (after: string | null): void => {
    setLoading(true);
    void apply(after);
  };

  useEffect(() => {
    void apply(null);
  }, [apply]);
  useEffect(() => {
    if (jobs.length === 0) void loadJobs();
  }, [jobs.length, loadJobs]);

  const jobName = (id: number | null) => (id === null ? '—' : (jobs.find((j) => j.id === id)?.name ?? `job ${id}`));

  return (
    <div data-testid="run-history">
      <div className="toolbar">
        <select className="select" value={jobId} onChange={(e) => setJobId(e.target.value)} aria-label="Job" data-testid="runs-filter-job">
          <option value="">All jobs</option>
          {jobs.map((j) => (
            <option key={j.id} value={j.id}>
              {j.name}
            </option>
          ))}
        </select>
        <select className="select" value={state} onChange={(e) => setState(e.target.value)} aria-label="State" data-testid="runs-filter-state">
          <option value="">Every state</option>
          {RunState.options.map((s) => (
            <option key={s} value={s}>
              {stateLabel(s)}
            </option>
          ))}
        </select>
        <button type="button" className="button small" onClick={() => void load(null)} disabled={loading} data-testid="runs-refresh">
          Refresh
        </button>
      </div>
      {error ? (
        <Notice tone="error" testId="runs-error">
          <MessageText text={error} />
        </Notice>
      ) : null}
      <table className="data-table" data-testid="runs-table">
        <thead>
          <tr>
            <th>Run</th>
            <th>Job</th>
            <th>Kind</th>
            <th>State</th>
            <th>Started</th>
            <th>Duration</th>
            <th>Loaded</th>
            <th>Failed</th>
          </tr>
        </thead>
        <tbody>
          {runs.length === 0 && !loading ? (
            <tr>
              <td colSpan={8} className="muted">
                No runs match. Start one from a job card on the Jobs screen.
              </td>
            </tr>
          ) : null}
          {runs.map((r) => {
            const live = progressByRun[r.id];
            const s = live?.state ?? r.state;
            const totals = live?.totals ?? r.totals;
            return (
              <tr key={r.id} data-testid={`run-row-${r.id}`} data-state={s}>
                <td>
                  <Link to={`/runs?run=${r.id}`} data-testid="run-link">
                    #{r.id}
                  </Link>
                </td>
                <td>{jobName(r.jobId)}</td>
                <td>
                  {r.kind.replace('_', ' ')} <span className="muted small">{r.trigger}</span>
                </td>
                <td>
                  <span className={`pill run-pill run-${s}`}>{stateLabel(s)}</span>
                </td>
                <td className="muted small">{r.startedAt ? new Date(r.startedAt).toLocaleString() : '—'}</td>
                <td>{r.durationMs !== null ? formatDuration(r.durationMs) : '—'}</td>
                <td>{formatCount(totals.loaded)}</td>
                <td className={totals.failed ? 'bad' : ''}>{formatCount(totals.failed)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {cursor ? (
        <button type="button" className="button" onClick={() => void load(cursor)} disabled={loading} data-testid="runs-more">
          {loading ? 'Loading…' : 'Older runs'}
        </button>
      ) : null}
    </div>
  );
}
