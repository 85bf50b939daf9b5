import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';

import type { BundleFilter, BundleInfo } from '../../../../shared/contract/bundles';
import { RawStatus, type RawUnitSummary } from '../../../../shared/contract/raw';
import { useClient } from '../../app/context';
import { useCan } from '../../app/use-can';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';
import { PageHeader } from '../../components/PageHeader';
import { describeError } from '../../store/describe-error';

import { BundleBanner } from './BundleBanner';
import { BundleUnitDetail } from './BundleUnitDetail';
import { OpenBundleButton } from './OpenBundleButton';
import { UnitList } from './UnitList';
import { useBundleList } from './use-bundle-list';
import './raw.css';

/**
 * The raw inspector in bundle mode (`#/raw/bundle/<id>`): the units of an open `.sluice` file with
 * the same list, payload viewer, search and filters, and the transform preview; marked by the
 * bundle banner. Nothing here reads or writes the database's raw units.
 */
export function BundlePage() {
  const { bundleId = '' } = useParams();
  return <BundleScreen key={bundleId} bundleId={bundleId} />;
}

function BundleScreen({ bundleId }: { bundleId: string }) {
  const client = useClient();
  const navigate = useNavigate();
  const canOpen = useCan('bundle.list');
  const [bundle, setBundle] = useState<BundleInfo | null>(null);
  const [missing, setMissing] = useState<string | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [stream, setStream] = useState('');
  const [statuses, setStatuses] = useState<RawStatus[]>([]);
  const [text, setText] = useState('');
  const [appliedText, setAppliedText] = useState('');

  useEffect(() => {
    if (!canOpen) return;
    let live = true;
    client.call('bundle.list', {}).then(
      ({ bundles }) => {
        if (!live) return;
        const found = bundles.find((b) => b.id === bundleId);
        if (found) setBundle(found);
        else setMissing('This bundle is not open (any more): the engine restarted or closed it to make room. Open the .sluice file again.');
      },
      (e: unknown) => live && setMissing(describeError(e)),
    );
    return () => {
      live = false;
    };
  }, [client, bundleId, canOpen]);

  // Typing pauses apply the search (each search scans every payload of the bundle).
  useEffect(() => {
    const t = setTimeout(() => setAppliedText(text.trim()), 500);
    return () => clearTimeout(t);
  }, [text]);

  const [stepName, streamName] = stream === '' ? [undefined, undefined] : stream.split('\u0000');
  const filter = useMemo<BundleFilter>(
    () => ({
      ...(stepName ? { step: stepName } : {}),
      ...(streamName ? { stream: streamName } : {}),
      ...(statuses.length > 0 ? { statuses } : {}),
      ...(appliedText ? { text: appliedText } : {}),
    }),
    [stepName, streamName, statuses, appliedText],
  );
  const list = useBundleList(bundleId, filter);

  const close = async (): Promise<void> => {
    await client.call('bundle.close', { bundleId }).catch(() => undefined);
    void navigate('/raw');
  };

  if (!canOpen) {
    return (
      <section className="page raw-page" data-testid="bundle-page">
        <PageHeader title="Raw bundle" />
        <Notice tone="info" testId="bundle-needs-operator">Opening a bundle’s payloads needs an operator.</Notice>
      </section>
    );
  }
  if (missing) {
    return (
      <section className="page raw-page" data-testid="bundle-page">
        <PageHeader title="Raw bundle" actions={<OpenBundleButton />} />
        <Notice tone="error" testId="bundle-missing"><MessageText text={missing} /></Notice>
      </section>
    );
  }
  if (!bundle) return <p className="muted" data-testid="bundle-loading">Opening the bundle…</p>;

  const countText = `${(list.total ?? list.loaded).toLocaleString()} of ${bundle.units.toLocaleString()} unit(s)`;
  return (
    <section className="page raw-page" data-testid="bundle-page" data-source="bundle">
      <PageHeader title="Raw data · bundle" subtitle="Units from a .sluice file: filter, search, open a payload, preview the transform." actions={<OpenBundleButton />} />
      <BundleBanner bundle={bundle} onClose={() => void close()} />
      <form className="toolbar raw-filters" data-testid="bundle-filters" onSubmit={(e) => (e.preventDefault(), setAppliedText(text.trim()))}>
        <select className="select" aria-label="Stream" value={stream} onChange={(e) => setStream(e.target.value)} data-testid="filter-stream">
          <option value="">All streams</option>
          {bundle.streams.map((s) => (
            <option key={`${s.step}/${s.stream}`} value={`${s.step}\u0000${s.stream}`}>
              {s.step === s.stream ? s.stream : `${s.step} / ${s.stream}`} ({s.units})
            </option>
          ))}
        </select>
        <fieldset className="status-filter" aria-label="Status">
          {RawStatus.options.map((s) => (
            <label key={s} className={`chip-toggle${statuses.includes(s) ? ' active' : ''}`}>
              <input type="checkbox" checked={statuses.includes(s)} onChange={() => setStatuses(statuses.includes(s) ? statuses.filter((x) => x !== s) : [...statuses, s])} data-testid={`filter-status-${s}`} />
              {s}
            </label>
          ))}
        </fieldset>
        <input className="input" placeholder="Text in payload" aria-label="Text in payload" value={text} onChange={(e) => setText(e.target.value)} data-testid="filter-text" />
        <button type="submit" className="visually-hidden">
          Apply
        </button>
      </form>
      {list.error ? <Notice tone="error" testId="raw-list-error"><MessageText text={list.error} /></Notice> : null}
      <div className="raw-layout">
        <div className="raw-left">
          <div className="raw-list-head">
            <span data-testid="raw-count">{countText}</span>
            {list.loading ? <span className="muted"> · loading…</span> : null}
          </div>
          <UnitList list={list} onOpen={(u: RawUnitSummary) => setSelected(u.id)} selectedId={selected} checkable={false} />
        </div>
        <div className="raw-right">
          {selected !== null ? <BundleUnitDetail key={selected} bundleId={bundleId} unitId={selected} /> : <p className="muted">Pick a unit to open its payload.</p>}
        </div>
      </div>
    </section>
  );
}
