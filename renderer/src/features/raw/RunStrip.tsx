import { useEffect, useState } from 'react';

import type { MethodOutput } from '../../../../shared/contract/api';
import { isTerminal } from '../../../../shared/domain/run-state';
import { useClient } from '../../app/context';
import { describeError } from '../../store/describe-error';

type RunUnits = MethodOutput<'raw.runUnits'>;

/**
 * The run being looked at, with the live status counts of its units: after "reprocess", the units
 * move to a rerun_failed run, so this run's failed count drops while that run works (both shown,
 * refreshed until they end). The run history keeps the figures each run ended with.
 */
export function RunStrip({ runId, refresh }: { runId: number; refresh: number }) {
  const client = useClient();
  const [data, setData] = useState<RunUnits | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async (): Promise<void> => {
      try {
        const next = await client.call('raw.runUnits', { id: runId });
        if (!live) return;
        setData(next);
        setError(null);
        const busy = !isTerminal(next.run.state) || next.reprocessedBy.some((r) => !isTerminal(r.state));
        if (busy) timer = setTimeout(() => void load(), 1_000);
      } catch (e) {
        if (live) setError(describeError(e));
      }
    };
    void load();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, runId, refresh]);

  if (error) return <div className="run-strip muted" data-testid="run-strip-error">Run {runId}: {error}</div>;
  if (!data) return null;
  const { run, counts } = data;
  return (
    <div className="run-strip" data-testid="run-strip" data-run={run.id} data-failed={counts.failed}>
      <span>
        <strong>Run {run.id}</strong> · {run.kind.replace('_', ' ')} · <span data-testid="run-state">{run.state}</span>
      </span>
      <span data-testid="run-failed">{counts.failed} failed</span>
      <span>{counts.loaded} loaded</span>
      {counts.pending + counts.transformed > 0 ? <span>{counts.pending + counts.transformed} in progress</span> : null}
      {counts.skipped > 0 ? <span>{counts.skipped} skipped</span> : null}
      {run.finishedAt ? <span className="muted">ended with {run.totals.failed} failed</span> : null}
      {data.reprocessedBy.map((r) => (
        <span key={r.id} className="muted" data-testid="reprocess-run" data-run={r.id} data-state={r.state}>
          reprocessed by run {r.id}: {r.state}
          {isTerminal(r.state) ? ` (${r.totals.loaded} loaded, ${r.totals.failed} failed)` : '…'}
        </span>
      ))}
    </div>
  );
}
