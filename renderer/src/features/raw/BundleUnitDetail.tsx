import { useEffect, useState } from 'react';

import { BUNDLE_LIMITS } from '../../../../shared/contract/bundles';
import type { MethodOutput } from '../../../../shared/contract/api';
import { useClient } from '../../app/context';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';
import { describeError } from '../../store/describe-error';

import { formatBytes } from './filter-model';
import { JsonViewer } from './JsonViewer';
import { PreviewPanel } from './PreviewPanel';
import { UnitHeading } from './UnitHeading';

type Loaded = MethodOutput<'bundle.get'> & { parsed: unknown };
type Tab = 'payload' | 'preview' | 'lineage' | 'versions';

const TABS: readonly { id: Tab; label: string; disabled: string | null }[] = [
  { id: 'payload', label: 'Payload', disabled: null },
  { id: 'preview', label: 'Transform preview', disabled: null },
  { id: 'lineage', label: 'Lineage', disabled: BUNDLE_LIMITS.lineage },
  { id: 'versions', label: 'Versions & diff', disabled: BUNDLE_LIMITS.versions },
];

/** One unit of a bundle: its metadata, payload and transform preview; lineage and versions say why not. */
export function BundleUnitDetail({ bundleId, unitId }: { bundleId: string; unitId: number }) {
  const client = useClient();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('payload');

  useEffect(() => {
    let live = true;
    client.call('bundle.get', { bundleId, id: unitId }).then(
      (got) => live && setLoaded({ ...got, parsed: JSON.parse(got.payload) as unknown }),
      (e: unknown) => live && setError(describeError(e)),
    );
    return () => {
      live = false;
    };
  }, [client, bundleId, unitId]);

  if (error) return <Notice tone="error" testId="unit-error"><MessageText text={error} /></Notice>;
  if (!loaded) return <p className="muted" data-testid="unit-loading">Opening unit #{unitId}…</p>;
  const u = loaded.unit;
  const disabled = TABS.find((t) => t.id === tab)?.disabled ?? null;
  return (
    <div className="unit-detail" data-testid="unit-detail" data-id={u.id} data-status={u.status} data-mode="bundle">
      <div className="unit-head">
        <UnitHeading unit={u} stored="stored " facts=" · status as exported" />
      </div>
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} className={`tab${tab === t.id ? ' active' : ''}`} disabled={!!t.disabled} title={t.disabled ?? undefined} onClick={() => setTab(t.id)} data-testid={`tab-${t.id}`}>
            {t.label}
          </button>
        ))}
      </div>
      {disabled ? <p className="muted">{disabled}</p> : null}
      {tab === 'payload' ? (
        <>
          <div className="muted" data-testid="payload-meta">{formatBytes(loaded.payload.length)} of JSON, from the bundle file</div>
          <JsonViewer key={u.id} value={loaded.parsed} />
        </>
      ) : null}
      {tab === 'preview' ? <PreviewPanel unitId={u.id} bundleId={bundleId} /> : null}
    </div>
  );
}
