import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import type { RunLog } from '../../../../shared/contract/runs';
import { downloadFile } from '../../components/download';
import { useClient } from '../../app/context';
import { describeError } from '../../store/describe-error';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;


export const filterLogs = (logs: RunLog[], f: { levels: ReadonlySet<string>; step: string; search: string }): RunLog[] => {
  const needle = f.search.trim().toLowerCase();
  return logs.filter((l) => f.levels.has(l.level) && (f.step === '' || l.step === f.step) && (needle === '' || l.message.toLowerCase().includes(needle)));
};

/**
 * The run's persisted log (bounded to its newest 5000 lines by the engine), virtualized so any length
 * scrolls smoothly, filtered by level and step and searched in place; "Download" exports all of it as
 * NDJSON. New lines are fetched after the last one when `version` changes (a progress push), never on a timer.
 */
export function RunLogs({ runId, version }: { runId: number; version: string }) {
  const client = useClient();
  const [logs, setLogs] = useState<RunLog[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [levels, setLevels] = useState<Set<string>>(() => new Set(LEVELS));
  const [step, setStep] = useState('');
  const [search, setSearch] = useState('');
  const lastId = useRef<number | undefined>(undefined);
  const loading = useRef(false);
  const scroller = useRef<HTMLDivElement>(null);

  const fetchMore = useCallback(async () => {
    if (loading.current) return;
    loading.current = true;
    try {
      for (let page = 0; page < 10; page += 1) {
        const res = await client.call('runs.logs', { id: runId, limit: 1000, ...(lastId.current !== undefined ? { afterId: lastId.current } : {}) });
        if (res.logs.length > 0) {
          lastId.current = res.logs[res.logs.length - 1]!.id;
          setLogs((prev) => [...prev, ...res.logs]);
        }
        if (res.nextAfterId === null) break;
      }
      setError(null);
    } catch (e) {
      setError(describeError(e));
    } finally {
      loading.current = false;
    }
  }, [client, runId]);

  useEffect(() => {
    void fetchMore();
  }, [fetchMore, version]);

  const steps = useMemo(() => [...new Set(logs.map((l) => l.step).filter((s): s is string => s !== null))].sort(), [logs]);
  const visible = useMemo(() => filterLogs(logs, { levels, step, search }), [logs, levels, step, search]);
  // The virtualizer hands back fresh functions each render, so the compiler leaves this component
  // unmemoized; that is what a list re-measured on every scroll needs anyway.
  // eslint-disable-next-line react-hooks/incompatible-library
  const rows = useVirtualizer({ count: visible.length, getScrollElement: () => scroller.current, estimateSize: () => 24, overscan: 20 });

  const exportAll = async () => {
    try {
      const file = await client.call('runs.logsExport', { id: runId });
      downloadFile(file.filename, [file.content], file.contentType);
    } catch (e) {
      setError(describeError(e));
    }
  };

  return (
    <div className="run-logs" data-testid="run-logs">
      <div className="toolbar" role="search">
        {LEVELS.map((level) => (
          <label key={level} className={`checkbox log-level-${level}`}>
            <input
              type="checkbox"
              checked={levels.has(level)}
              onChange={(e) =>
                setLevels((prev) => {
                  const next = new Set(prev);
                  if (e.target.checked) next.add(level);
                  else next.delete(level);
                  return next;
                })
              }
              data-testid={`log-level-${level}`}
            />{' '}
            {level}
          </label>
        ))}
        <select className="select" value={step} onChange={(e) => setStep(e.target.value)} aria-label="Step" data-testid="log-step">
          <option value="">All steps</option>
          {steps.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <input className="input" placeholder="Search the log" value={search} onChange={(e) => setSearch(e.target.value)} aria-label="Search the log" data-testid="log-search" />
        <span className="muted small" data-testid="log-count">
          {visible.length} of {logs.length} line(s)
        </span>
        <button type="button" className="button small" onClick={() => void exportAll()} data-testid="log-download">
          Download
        </button>
      </div>
      {error ? <p className="bad">{error}</p> : null}
      <div ref={scroller} className="log-scroller" data-testid="log-scroller">
        {visible.length === 0 ? <p className="muted log-empty">{logs.length === 0 ? 'No log lines yet.' : 'No line matches the filters.'}</p> : null}
        <div style={{ height: rows.getTotalSize(), position: 'relative' }}>
          {rows.getVirtualItems().map((item) => {
            const l = visible[item.index]!;
            return (
              <div key={l.id} className={`log-line log-${l.level}`} style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }} data-testid="log-line" data-level={l.level}>
                <span className="mono muted">{new Date(l.at).toLocaleTimeString()}</span> <span className={`log-badge log-badge-${l.level}`}>{l.level}</span>
                {l.step ? <span className="muted"> [{l.step}]</span> : null} {l.message}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
