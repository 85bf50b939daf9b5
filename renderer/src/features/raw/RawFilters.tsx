import { useEffect, useState } from 'react';

import type { MethodOutput } from '../../../../shared/contract/api';
import { OFFLINE_LIMITS, RawStatus } from '../../../../shared/contract/raw';
import { useAppStore } from '../../app/context';

type Facets = MethodOutput<'raw.facets'>;

/**
 * The inspector's filters: integration, run, stream, statuses, time range, text in the payload and
 * in the error. Text inputs apply on Enter or after a pause; offline, the error filter is disabled
 * with the reason (the cache keeps no errors).
 */
export function RawFilters({ facets, offline }: { facets: Facets | null; offline: boolean }) {
  const view = useAppStore((s) => s.rawView);
  const setView = useAppStore((s) => s.setRawView);
  const reset = useAppStore((s) => s.resetRawView);
  const [text, setText] = useState(view.text);
  const [errorText, setErrorText] = useState(view.errorText);
  // Typing pauses apply the text filters (a search per keystroke would scan payloads for nothing).
  useEffect(() => {
    const t = setTimeout(() => {
      if (text !== view.text || errorText !== view.errorText) setView({ text, errorText });
    }, 600);
    return () => clearTimeout(t);
  }, [text, errorText, view.text, view.errorText, setView]);

  const runs = (facets?.runs ?? []).filter((r) => view.integrationId === null || r.integrationId === view.integrationId);
  const streams = [...new Set((facets?.streams ?? []).filter((s) => view.integrationId === null || s.integrationId === view.integrationId).map((s) => s.stream))];
  const number = (v: string): number | null => (v === '' ? null : Number(v));

  return (
    <form
      className="toolbar raw-filters"
      data-testid="raw-filters"
      onSubmit={(e) => {
        e.preventDefault();
        setView({ text, errorText });
      }}
    >
      <select className="select" aria-label="Integration" value={view.integrationId ?? ''} onChange={(e) => setView({ integrationId: number(e.target.value), runId: null, stream: null })} data-testid="filter-integration">
        <option value="">All integrations</option>
        {(facets?.integrations ?? []).map((i) => (
          <option key={i.id} value={i.id}>
            {i.name ?? `integration ${i.id}`}
            {i.connector ? ` (${i.connector})` : ''}
          </option>
        ))}
      </select>
      <select className="select" aria-label="Run" value={view.runId ?? ''} onChange={(e) => setView({ runId: number(e.target.value) })} data-testid="filter-run">
        <option value="">All runs</option>
        {runs.map((r) => (
          <option key={r.id} value={r.id}>
            run {r.id}
            {r.kind ? ` · ${r.kind.replace('_', ' ')}` : ''}
            {r.state ? ` · ${r.state}` : ''}
            {r.failed ? ` · ${r.failed} failed` : ''}
          </option>
        ))}
      </select>
      <select className="select" aria-label="Stream" value={view.stream ?? ''} onChange={(e) => setView({ stream: e.target.value || null })} data-testid="filter-stream">
        <option value="">All streams</option>
        {streams.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      <fieldset className="status-filter" aria-label="Status">
        {RawStatus.options.map((s) => (
          <label key={s} className={`chip-toggle${view.statuses.includes(s) ? ' active' : ''}`}>
            <input
              type="checkbox"
              checked={view.statuses.includes(s)}
              onChange={() => setView({ statuses: view.statuses.includes(s) ? view.statuses.filter((x) => x !== s) : [...view.statuses, s] })}
              data-testid={`filter-status-${s}`}
            />
            {s}
          </label>
        ))}
      </fieldset>
      <label className="inline-field">
        from <input className="input" type="datetime-local" value={view.since} onChange={(e) => setView({ since: e.target.value })} data-testid="filter-since" />
      </label>
      <label className="inline-field">
        to <input className="input" type="datetime-local" value={view.until} onChange={(e) => setView({ until: e.target.value })} data-testid="filter-until" />
      </label>
      <input className="input" placeholder="Text in payload" aria-label="Text in payload" value={text} onChange={(e) => setText(e.target.value)} data-testid="filter-text" />
      <input
        className="input"
        placeholder={offline ? 'Error text (needs Postgres)' : 'Text in error'}
        aria-label="Text in error"
        value={errorText}
        onChange={(e) => setErrorText(e.target.value)}
        disabled={offline}
        title={offline ? OFFLINE_LIMITS.errorText : undefined}
        data-testid="filter-error"
      />
      <button type="submit" className="visually-hidden">
        Apply
      </button>
      <button type="button" className="button small ghost" onClick={() => {
          setText('');
          setErrorText('');
          reset();
        }}
        data-testid="filter-reset"
      >
        Clear filters
      </button>
      {offline ? (
        <span className="muted" data-testid="filter-offline-note">
          Error search is off: {OFFLINE_LIMITS.errorText}
        </span>
      ) : null}
    </form>
  );
}
