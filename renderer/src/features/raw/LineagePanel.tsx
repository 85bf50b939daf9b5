import { useEffect, useState } from 'react';

import type { MethodOutput } from '../../../../shared/contract/api';
import { useClient } from '../../app/context';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';
import { describeError } from '../../store/describe-error';

type Lineage = MethodOutput<'raw.lineage'>;
type Origin = MethodOutput<'raw.origin'>;

/** What names a unified row best, for its one-line summary. */
const labelOf = (row: Record<string, unknown>): string => {
  for (const k of ['key', 'external_id', 'name', 'full_name', 'title', 'work_item_key', 'oid']) if (row[k] !== undefined && row[k] !== null) return `${k} ${String(row[k])}`;
  return `id ${String(row['id'] ?? '?')}`;
};

/** Unit → the unified rows it produced (rows whose raw_id points at it). */
export function LineagePanel({ unitId }: { unitId: number }) {
  const client = useClient();
  const [lineage, setLineage] = useState<Lineage | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    // One panel per unit (the detail is keyed by unit), so there is no earlier answer to clear.
    let live = true;
    client.call('raw.lineage', { id: unitId, limit: 50 }).then(
      (l) => live && setLineage(l),
      (e: unknown) => live && setError(describeError(e)),
    );
    return () => {
      live = false;
    };
  }, [client, unitId]);

  if (error) return <Notice tone="error" testId="lineage-error"><MessageText text={error} /></Notice>;
  if (!lineage) return <p className="muted">Reading lineage…</p>;
  return (
    <div className="raw-panel" data-testid="lineage-panel">
      <p className="muted">
        Unified rows whose lineage points at {lineage.rawId === unitId ? 'this unit' : `unit ${lineage.rawId}, the original this re-transform copy replays`}. Rows a newer unit has
        replaced point at that unit instead.
      </p>
      {lineage.tables.length === 0 ? <p data-testid="lineage-none">No unified row points at it (it failed, was skipped, or newer units replaced its rows).</p> : null}
      {lineage.tables.map((t) => (
        <details key={t.table} open className="lineage-table" data-testid="lineage-table" data-table={t.table} data-count={t.count}>
          <summary>
            <strong>{t.table}</strong> · {t.count} row{t.count === 1 ? '' : 's'}
            {t.count > t.rows.length ? ` (first ${t.rows.length})` : ''}
          </summary>
          <ul className="lineage-rows">
            {t.rows.map((row, i) => (
              <li key={i}>
                <details>
                  <summary data-testid="lineage-row">{labelOf(row)}</summary>
                  <pre className="json-pre">{JSON.stringify(row, null, 2)}</pre>
                </details>
              </li>
            ))}
          </ul>
        </details>
      ))}
    </div>
  );
}

/** Unified row → its raw unit: look a row up by any column of a lineage table. */
export function OriginFinder({ tables, onOpen, disabledReason }: { tables: { table: string; columns: string[] }[]; onOpen(id: number): void; disabledReason: string | null }) {
  const client = useClient();
  const [table, setTable] = useState('');
  const [column, setColumn] = useState('');
  const [value, setValue] = useState('');
  const [result, setResult] = useState<Origin | null>(null);
  const [error, setError] = useState<string | null>(null);
  const columns = tables.find((t) => t.table === table)?.columns ?? [];
  const find = async (): Promise<void> => {
    setError(null);
    setResult(null);
    try {
      setResult(await client.call('raw.origin', { table, column, value }));
    } catch (e) {
      setError(describeError(e));
    }
  };
  return (
    <form
      className="panel origin-finder"
      data-testid="origin-finder"
      onSubmit={(e) => {
        e.preventDefault();
        void find();
      }}
    >
      <div className="panel-title">Unified row → raw unit</div>
      {disabledReason ? <p className="muted" data-testid="origin-disabled">{disabledReason}</p> : null}
      <div className="inline-row">
        <select className="select" value={table} onChange={(e) => { setTable(e.target.value); setColumn(tables.find((t) => t.table === e.target.value)?.columns.find((c) => c === 'external_id' || c === 'key') ?? ''); }} disabled={!!disabledReason} aria-label="Table" data-testid="origin-table">
          <option value="">Table…</option>
          {tables.map((t) => <option key={t.table} value={t.table}>{t.table}</option>)}
        </select>
        <select className="select" value={column} onChange={(e) => setColumn(e.target.value)} disabled={!!disabledReason || !table} aria-label="Column" data-testid="origin-column">
          <option value="">Column…</option>
          {columns.map((c) => <option key={c} value={c}>{c}</option>)}
        </select>
        <input className="input" value={value} onChange={(e) => setValue(e.target.value)} placeholder="Value, e.g. ENG-12" aria-label="Value" disabled={!!disabledReason} data-testid="origin-value" />
        <button type="submit" className="button small" disabled={!!disabledReason || !table || !column || !value} data-testid="origin-find">Find its unit</button>
      </div>
      {error ? <Notice tone="error" testId="origin-error"><MessageText text={error} /></Notice> : null}
      {result ? (
        <ul className="origin-matches" data-testid="origin-matches">
          {result.matches.length === 0 ? <li>No row of {table} has {column} = {value}.</li> : null}
          {result.matches.map((m, i) => (
            <li key={i}>
              {labelOf(m.row)} →{' '}
              {m.unit ? (
                <button type="button" className="button small ghost" onClick={() => onOpen(m.unit!.id)} data-testid="origin-open">
                  unit #{m.unit.id} ({m.unit.stream}, run {m.unit.runId})
                </button>
              ) : (
                <span className="muted">raw unit {String(m.row['raw_id'])} is gone (raw retention)</span>
              )}
            </li>
          ))}
          {result.truncated ? <li className="muted">More rows match; narrow the value.</li> : null}
        </ul>
      ) : null}
    </form>
  );
}
