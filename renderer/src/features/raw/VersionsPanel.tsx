import { useMemo, useState } from 'react';

import type { MethodOutput } from '../../../../shared/contract/api';
import type { RecordLocator } from '../../../../shared/contract/raw';
import { useClient } from '../../app/context';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';
import { describeError } from '../../store/describe-error';

import { formatTime } from './filter-model';

type Versions = MethodOutput<'raw.versions'>;
type Diff = MethodOutput<'raw.diff'>;

/** The records of a payload, as the connector's locator says (the engine walks the same path). */
export const recordsIn = (locator: RecordLocator, payload: unknown): unknown[] => {
  let node: unknown = payload;
  for (const part of locator.path) node = node !== null && typeof node === 'object' && !Array.isArray(node) ? (node as Record<string, unknown>)[part] : undefined;
  if (locator.single) return node === undefined || node === null ? [] : [node];
  return Array.isArray(node) ? node : [];
};

const field = (record: unknown, name: string | null): unknown => (name && record !== null && typeof record === 'object' ? (record as Record<string, unknown>)[name] : undefined);

const show = (v: unknown): string => (v === undefined ? '—' : JSON.stringify(v).slice(0, 300));

/**
 * Versions of one entity across runs: pick a record of this payload, list the stored units that hold
 * the same natural key, and diff two of them (the engine compares the two records).
 */
export function VersionsPanel({ unitId, locator, payload }: { unitId: number; locator: RecordLocator; payload: unknown }) {
  const client = useClient();
  const [filter, setFilter] = useState('');
  const [picked, setPicked] = useState<unknown>(undefined);
  const [versions, setVersions] = useState<Versions | null>(null);
  const [diff, setDiff] = useState<Diff | null>(null);
  const [error, setError] = useState<string | null>(null);
  const records = useMemo(() => recordsIn(locator, payload), [locator, payload]);
  const shown = useMemo(() => {
    const q = filter.trim().toLowerCase();
    const all = records.map((r) => ({ key: field(r, locator.key), label: field(r, locator.label) }));
    return (q ? all.filter((r) => `${String(r.key)} ${String(r.label ?? '')}`.toLowerCase().includes(q)) : all).slice(0, 300);
  }, [records, filter, locator]);

  const open = async (key: unknown): Promise<void> => {
    setPicked(key);
    setVersions(null);
    setDiff(null);
    setError(null);
    try {
      setVersions(await client.call('raw.versions', { id: unitId, ...(key !== undefined ? { key } : {}), limit: 50 }));
    } catch (e) {
      setError(describeError(e));
    }
  };
  const compare = async (beforeId: number, afterId: number): Promise<void> => {
    setError(null);
    try {
      setDiff(await client.call('raw.diff', { beforeId, afterId, ...(picked !== undefined ? { key: picked } : {}) }));
    } catch (e) {
      setError(describeError(e));
    }
  };

  return (
    <div className="raw-panel versions" data-testid="versions-panel">
      <div className="versions-columns">
        <div className="versions-records">
          <div className="panel-title">{records.length} {locator.noun}{records.length === 1 ? '' : 's'} in this unit</div>
          {records.length > 10 ? <input className="input" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder={`Filter by ${locator.key ?? 'name'}`} aria-label="Filter records" /> : null}
          <ul>
            {shown.map((r, i) => (
              <li key={i}>
                <button type="button" className={`button small ghost${picked === r.key ? ' active' : ''}`} onClick={() => void open(r.key)} data-testid="version-record" data-key={String(r.key)}>
                  {locator.key ? `${locator.key} ${String(r.key)}` : locator.noun}
                  {r.label !== undefined ? <span className="muted"> · {String(r.label)}</span> : null}
                </button>
              </li>
            ))}
          </ul>
        </div>
        <div className="versions-list">
          {error ? <Notice tone="error" testId="versions-error"><MessageText text={error} /></Notice> : null}
          {versions ? (
            <>
              <div className="panel-title" data-testid="versions-count">{versions.versions.length} stored version{versions.versions.length === 1 ? '' : 's'}</div>
              <ol data-testid="versions-list">
                {versions.versions.map((v, i) => {
                  const older = versions.versions[i + 1];
                  return (
                    <li key={v.unit.id} data-testid="version" data-id={v.unit.id}>
                      unit #{v.unit.id} · run {v.unit.runId} · {formatTime(v.unit.createdAt)} {v.unit.id === unitId ? <strong>(this unit)</strong> : null}
                      {older ? (
                        <button type="button" className="button small ghost" onClick={() => void compare(older.unit.id, v.unit.id)} data-testid="version-diff">
                          diff with #{older.unit.id}
                        </button>
                      ) : null}
                    </li>
                  );
                })}
              </ol>
            </>
          ) : picked === undefined ? <p className="muted">Pick a {locator.noun} to see its stored versions.</p> : null}
          {diff ? (
            <div data-testid="diff" data-changes={diff.changes.length}>
              <div className="panel-title">
                #{diff.before.unit.id} → #{diff.after.unit.id}: {diff.changes.length === 0 ? 'identical' : `${diff.changes.length} change${diff.changes.length === 1 ? '' : 's'}`}
              </div>
              <table className="data-table diff-table">
                <thead><tr><th>Path</th><th>Change</th><th>Before</th><th>After</th></tr></thead>
                <tbody>
                  {diff.changes.map((c, i) => (
                    <tr key={i} className={`diff-${c.kind}`} data-testid="diff-change">
                      <td><code>{c.path}</code></td>
                      <td>{c.kind}</td>
                      <td><code>{show(c.before)}</code></td>
                      <td><code>{show(c.after)}</code></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </div>
      </div>
    </div>
  );
}
