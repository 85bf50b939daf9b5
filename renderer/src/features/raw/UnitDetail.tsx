import { memo, useEffect, useMemo, useState } from 'react';

import type { MethodOutput } from '../../../../shared/contract/api';
import { OFFLINE_LIMITS } from '../../../../shared/contract/raw';
import { useAppStore, useClient } from '../../app/context';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';
import { describeError } from '../../store/describe-error';

import { formatBytes } from './filter-model';
import { JsonViewer } from './JsonViewer';
import { LineagePanel } from './LineagePanel';
import { PreviewPanel } from './PreviewPanel';
import { UnitHeading } from './UnitHeading';
import { VersionsPanel } from './VersionsPanel';

// The payload text is dropped once parsed: kept, it doubled what an open 10 MB unit holds in memory.
type Loaded = Omit<MethodOutput<'raw.get'>, 'payload'> & { parsed: unknown; payloadChars: number; fetchMs: number; parseMs: number };
type Tab = 'payload' | 'preview' | 'lineage' | 'versions';

/**
 * One unit: its metadata and error, then its payload, transform preview, lineage and versions.
 * `onReprocess` is left out when the role may not reprocess: the button goes with it. Memoized: the
 * page re-renders on every list page that arrives, and a 10 MB payload's viewer need not follow.
 */
export const UnitDetail = memo(function UnitDetail({ unitId, onReprocess, reprocessing }: { unitId: number; onReprocess?: (ids: number[]) => void; reprocessing: boolean }) {
  const client = useClient();
  const note = useAppStore((s) => s.noteRawAnswer);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('payload');

  useEffect(() => {
    // Keyed by unit in the page, so each unit gets a fresh detail: nothing to clear here.
    let live = true;
    const asked = performance.now();
    client.call('raw.get', { id: unitId }).then(
      (got) => {
        if (!live) return;
        note(got);
        const started = performance.now();
        const { payload, ...rest } = got;
        const parsed: unknown = JSON.parse(payload);
        setLoaded({ ...rest, parsed, payloadChars: payload.length, fetchMs: started - asked, parseMs: performance.now() - started });
      },
      (e: unknown) => live && setError(describeError(e)),
    );
    return () => {
      live = false;
    };
  }, [client, unitId, note]);

  const offline = loaded?.offline ?? null;
  const tabs = useMemo(
    () =>
      [
        { id: 'payload', label: 'Payload', disabled: null },
        { id: 'preview', label: 'Transform preview', disabled: null },
        { id: 'lineage', label: 'Lineage', disabled: offline ? OFFLINE_LIMITS.lineage : null },
        { id: 'versions', label: 'Versions & diff', disabled: offline ? OFFLINE_LIMITS.versions : loaded && !loaded.records ? 'This stream has no entity list to compare.' : null },
      ] as const,
    [offline, loaded],
  );

  if (error) return <Notice tone="error" testId="unit-error"><MessageText text={error} /></Notice>;
  if (!loaded) return <p className="muted" data-testid="unit-loading">Opening unit #{unitId}…</p>;
  const u = loaded.unit;
  const canReprocess = !offline && ['failed', 'loaded', 'skipped'].includes(u.status);
  return (
    <div className="unit-detail" data-testid="unit-detail" data-id={u.id} data-status={u.status}>
      <div className="unit-head">
        <UnitHeading
          unit={u}
          stored=""
          facts={
            <>
              {u.attempts !== null ? ` · ${u.attempts} attempt(s)` : ''}
              {u.reprocessCount ? ` · reprocessed ${u.reprocessCount}×` : ''}
            </>
          }
        >
          {u.replayOf ? <div className="muted">A re-transform copy: the payload is unit #{loaded.payloadOf}’s.</div> : null}
        </UnitHeading>
        <div className="page-actions">
          {onReprocess ? (
            <button
              type="button"
              className="button"
              disabled={!canReprocess || reprocessing}
              title={offline ? OFFLINE_LIMITS.reprocess : canReprocess ? 'Back to pending and transformed again in a new run' : `A ${u.status} unit is still in the pipeline`}
              onClick={() => onReprocess([u.id])}
              data-testid="reprocess-unit"
            >
              Reprocess this unit
            </button>
          ) : null}
        </div>
      </div>
      {u.error ? (
        <Notice tone="error" testId="unit-failure">
          Failed{typeof u.error['stage'] === 'string' ? ` at ${u.error['stage']}` : ''}: <MessageText text={u.error.message} />
        </Notice>
      ) : u.status === 'failed' && offline ? (
        <p className="muted">Failed: the error details are in Postgres.</p>
      ) : null}
      <div className="tabs" role="tablist">
        {tabs.map((t) => (
          <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} className={`tab${tab === t.id ? ' active' : ''}`} disabled={!!t.disabled} title={t.disabled ?? undefined} onClick={() => setTab(t.id)} data-testid={`tab-${t.id}`}>
            {t.label}
          </button>
        ))}
      </div>
      {tabs.find((t) => t.id === tab)?.disabled ? <p className="muted">{tabs.find((t) => t.id === tab)?.disabled}</p> : null}
      {tab === 'payload' ? (
        <>
          <div className="muted" data-testid="payload-meta">
            {formatBytes(loaded.payloadChars)} of JSON, read in {Math.round(loaded.fetchMs)} ms, parsed in {Math.round(loaded.parseMs)} ms
          </div>
          <JsonViewer key={u.id} value={loaded.parsed} />
        </>
      ) : null}
      {tab === 'preview' ? <PreviewPanel unitId={u.id} /> : null}
      {tab === 'lineage' && !offline ? <LineagePanel unitId={u.id} /> : null}
      {tab === 'versions' && !offline && loaded.records ? <VersionsPanel unitId={u.id} locator={loaded.records} payload={loaded.parsed} /> : null}
    </div>
  );
});
