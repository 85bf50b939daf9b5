import { useCallback, useEffect, useState } from 'react';

import type { MethodOutput } from '../../../../shared/contract/api';
import { OFFLINE_LIMITS } from '../../../../shared/contract/raw';
import { useClient } from '../../app/context';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';
import { describeError } from '../../store/describe-error';

import { JsonViewer } from './JsonViewer';

/** What both previews answer: a stored unit's (raw.preview) or a bundle unit's (bundle.preview). */
type Preview = Pick<MethodOutput<'raw.preview'>, 'connector' | 'mappingsUsed' | 'tables' | 'error'> & { offline?: unknown; mappingsNote?: string | null };

/**
 * The transform preview: the connector's real transform on this payload with the integration's
 * current mappings (offline: none), showing the unified rows it would produce. Nothing is written.
 * Run it again after changing a mapping to see the effect before reprocessing.
 */
export function PreviewPanel({ unitId, bundleId }: { unitId: number; /** Bundle mode: the unit of this open bundle. */ bundleId?: string }) {
  const client = useClient();
  const load = useCallback((): Promise<Preview> => (bundleId === undefined ? client.call('raw.preview', { id: unitId }) : client.call('bundle.preview', { bundleId, id: unitId })), [client, unitId, bundleId]);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(true);
  const [version, setVersion] = useState(0);

  const run = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      setPreview(await load());
      setVersion((v) => v + 1);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  // Runs once when the tab opens (the panel is per unit); the button runs it again.
  useEffect(() => {
    let live = true;
    load().then(
      (p) => {
        if (!live) return;
        setPreview(p);
        setVersion((v) => v + 1);
      },
      (e: unknown) => live && setError(describeError(e)),
    ).finally(() => live && setBusy(false));
    return () => {
      live = false;
    };
  }, [load]);

  const tables = preview ? Object.entries(preview.tables) : [];
  return (
    <div className="raw-panel" data-testid="preview-panel" data-state={busy ? 'running' : preview?.error ? 'refused' : preview ? 'ok' : 'idle'}>
      <div className="inline-row">
        <button type="button" className="button small" onClick={() => void run()} disabled={busy} data-testid="preview-run">
          {busy ? 'Transforming…' : 'Run the preview again'}
        </button>
        {preview ? (
          <span className="muted" data-testid="preview-mappings">
            {preview.connector} transform · {preview.mappingsUsed ? 'current mappings of the integration' : 'no mappings'} · nothing is written
          </span>
        ) : null}
      </div>
      {preview?.offline ? <p className="muted">{OFFLINE_LIMITS.mappings}</p> : null}
      {preview?.mappingsNote ? <p className="muted" data-testid="preview-mappings-note">{preview.mappingsNote}</p> : null}
      {error ? (
        <Notice tone="error" testId="preview-error">
          <MessageText text={error} />
        </Notice>
      ) : null}
      {preview?.error ? (
        <Notice tone="error" testId="preview-refused">
          The transform refuses this payload, so nothing would be loaded: <MessageText text={preview.error} />
        </Notice>
      ) : null}
      {preview && !preview.error ? (
        <>
          <p data-testid="preview-summary">
            Would produce {tables.length === 0 ? 'no rows' : tables.map(([t, rows]) => `${rows.length} ${t}`).join(', ')}.
          </p>
          {tables.length > 0 ? <JsonViewer key={`${unitId}-${version}`} value={preview.tables} testId="preview-rows" /> : null}
        </>
      ) : null}
    </div>
  );
}
