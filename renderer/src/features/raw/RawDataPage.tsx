import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import type { MethodOutput } from '../../../../shared/contract/api';
import { OFFLINE_LIMITS, type RawUnitSummary } from '../../../../shared/contract/raw';
import { useAppStore, useClient } from '../../app/context';
import { useCan } from '../../app/use-can';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';
import { PageHeader } from '../../components/PageHeader';
import { RoleNotice } from '../../components/RoleNotice';
import { describeError } from '../../store/describe-error';

import { exportBundle } from './export-download';
import { filterOf } from './filter-model';
import { OriginFinder } from './LineagePanel';
import { OpenBundleButton } from './OpenBundleButton';
import { OfflineBanner } from './OfflineBanner';
import { RawFilters } from './RawFilters';
import { RunStrip } from './RunStrip';
import { UnitDetail } from './UnitDetail';
import { UnitList } from './UnitList';
import { useRawList } from './use-raw-list';
import './raw.css';

/** The raw data inspector (DESIGN.md section 7). Switching tenant remounts it. */
export function RawDataPage() {
  const tenantId = useAppStore((s) => s.selectedTenantId);
  return <RawScreen key={tenantId ?? 'none'} tenantId={tenantId} />;
}

type Facets = MethodOutput<'raw.facets'>;

function RawScreen({ tenantId }: { tenantId: number | null }) {
  const client = useClient();
  const view = useAppStore((s) => s.rawView);
  const selected = useAppStore((s) => s.rawSelectedId);
  const select = useAppStore((s) => s.selectRawUnit);
  const checked = useAppStore((s) => s.rawChecked);
  const setChecked = useAppStore((s) => s.setRawChecked);
  const source = useAppStore((s) => s.rawSource);
  const offline = useAppStore((s) => s.rawOffline);
  const note = useAppStore((s) => s.noteRawAnswer);
  const [reload, setReload] = useState(0);
  const [facets, setFacets] = useState<Facets | null>(null);
  const [notice, setNotice] = useState<{ tone: 'info' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [lastSourceRun, setLastSourceRun] = useState<number | null>(null);
  const [exporting, setExporting] = useState<number | null>(null);
  // Opening a unit again (e.g. after reprocessing it) reads it again.
  const [opened, setOpened] = useState(0);
  const exportSignal = useRef({ cancelled: false });
  const filter = useMemo(() => filterOf(view), [view]);
  const list = useRawList(filter, reload);
  const isOffline = source === 'cache';
  // Reading a payload (and so the detail, preview and versions) needs an operator, like reprocess and export.
  const canOpen = useCan('raw.get');
  const canReprocess = useCan('raw.reprocess');
  const canExport = useCan('raw.export');

  useEffect(() => {
    if (tenantId === null) return;
    let live = true;
    client.call('raw.facets', view.integrationId !== null ? { integrationId: view.integrationId } : {}).then(
      (f) => {
        if (!live) return;
        setFacets(f);
        note(f);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client, tenantId, view.integrationId, reload, note]);

  const open = useCallback(
    (unit: RawUnitSummary | number) => {
      select(typeof unit === 'number' ? unit : unit.id);
      setOpened((n) => n + 1);
    },
    [select],
  );

  const reprocess = useCallback(async (ids: number[]): Promise<void> => {
    setBusy(true);
    setNotice(null);
    try {
      const done = await client.call('raw.reprocess', { ids });
      setLastSourceRun(done.sourceRunId);
      setChecked([]);
      setNotice({ tone: 'info', text: done.message });
      setReload((r) => r + 1);
    } catch (error) {
      setNotice({ tone: 'error', text: describeError(error) });
    } finally {
      setBusy(false);
    }
  }, [client, setChecked]);
  // Stable, so the open unit (a memoized UnitDetail) does not re-render when a list page arrives.
  const reprocessUnit = useMemo(() => (canReprocess ? (ids: number[]) => void reprocess(ids) : undefined), [canReprocess, reprocess]);

  const runExport = async (): Promise<void> => {
    exportSignal.current = { cancelled: false };
    setExporting(0);
    setNotice(null);
    try {
      const done = await exportBundle(client, filter, setExporting, exportSignal.current);
      if (done) setNotice({ tone: 'info', text: `Exported ${done.lines} unit(s) to ${done.filename}.` });
    } catch (error) {
      setNotice({ tone: 'error', text: describeError(error) });
    } finally {
      setExporting(null);
    }
  };

  if (tenantId === null) {
    return (
      <section className="page raw-page" data-testid="raw-page">
        <PageHeader title="Raw data" actions={<OpenBundleButton />} />
        <Notice tone="info" testId="no-tenant">Raw data belongs to a tenant: pick one in the header (or open a .sluice bundle).</Notice>
      </section>
    );
  }

  const stripRun = view.runId ?? lastSourceRun;
  const countText = list.total !== null ? `${list.total.toLocaleString()}${list.totalCapped ? '+' : ''} unit(s)` : list.done ? `${list.loaded.toLocaleString()} unit(s)` : `${list.loaded.toLocaleString()}+ unit(s)`;
  return (
    <section className="page raw-page" data-testid="raw-page" data-source={source ?? 'none'}>
      <PageHeader
        title="Raw data"
        subtitle="Every stored API response: filter, open, preview the transform, trace lineage, compare versions, reprocess, export a bundle or open one."
        actions={
          <>
            <OpenBundleButton />
            {canExport ? (
              <>
                <button type="button" className="button" onClick={() => void runExport()} disabled={exporting !== null} data-testid="raw-export" title="The filtered units as a .sluice bundle (NDJSON): opens in any Sluice, and `sluice transform --file` reads it">
                  {exporting !== null ? `Exporting… ${exporting} unit(s)` : 'Export bundle'}
                </button>
                {exporting !== null ? <button type="button" className="button ghost" onClick={() => (exportSignal.current.cancelled = true)}>Cancel</button> : null}
              </>
            ) : null}
          </>
        }
      />
      {isOffline && offline ? <OfflineBanner offline={offline} onRetry={() => setReload((r) => r + 1)} /> : null}
      <RoleNotice calls={['raw.get', 'raw.reprocess', 'raw.export']} />
      <RawFilters facets={facets} offline={isOffline} />
      {notice ? (
        <Notice tone={notice.tone} testId={notice.tone === 'error' ? 'raw-error' : 'raw-notice'}>
          <MessageText text={notice.text} />
        </Notice>
      ) : null}
      {stripRun !== null && !isOffline ? <RunStrip runId={stripRun} refresh={reload} /> : null}
      {list.error ? <Notice tone="error" testId="raw-list-error"><MessageText text={list.error} /></Notice> : null}
      <div className="raw-layout">
        <div className="raw-left">
          <div className="raw-list-head">
            <span data-testid="raw-count">{countText}</span>
            {list.scanned !== null ? <span className="muted" data-testid="raw-scanned"> · searched {list.scanned.toLocaleString()}{list.done ? '' : '…'}</span> : null}
            {list.loading ? <span className="muted"> · loading…</span> : null}
            <span className="spacer" />
            {canReprocess ? (
              <button
                type="button"
                className="button small"
                disabled={checked.length === 0 || busy || isOffline}
                title={isOffline ? OFFLINE_LIMITS.reprocess : 'Selected units of one run go back to pending and are transformed again in a new run'}
                onClick={() => void reprocess(checked)}
                data-testid="reprocess-selected"
              >
                Reprocess {checked.length || ''} selected
              </button>
            ) : null}
          </div>
          <UnitList list={list} onOpen={open} />
          {!isOffline ? <OriginFinder tables={facets?.tables ?? []} onOpen={open} disabledReason={null} /> : null}
        </div>
        <div className="raw-right">
          {!canOpen ? (
            <p className="muted" data-testid="unit-needs-operator">Opening a unit’s payload needs an operator; the list, its filters and the origin finder are yours.</p>
          ) : selected !== null ? (
            <UnitDetail key={`${selected}-${opened}`} unitId={selected} onReprocess={reprocessUnit} reprocessing={busy} />
          ) : (
            <p className="muted">Pick a unit to open its payload.</p>
          )}
        </div>
      </div>
    </section>
  );
}
