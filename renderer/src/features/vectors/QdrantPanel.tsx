import type { EmbedderInfo, QdrantInfo } from '../../../../shared/contract/vectors';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';

/** Where the vectors live and how they are made; the double and the lexical embedder say what they are. */
export function QdrantPanel({ qdrant, embedder, prefix }: { qdrant: QdrantInfo; embedder: EmbedderInfo; prefix: string }) {
  return (
    <section className="panel vectors-panel" data-testid="qdrant-health" data-state={qdrant.state}>
      <h2 className="panel-title">Qdrant</h2>
      <p>
        <span className={`pill pill-${qdrant.state}`} data-testid="qdrant-state">
          <span aria-hidden="true">{qdrant.state === 'up' ? '●' : '✕'}</span> {qdrant.state === 'up' ? 'Up' : 'Down'}
        </span>{' '}
        <span className="mono">{qdrant.url}</span>
        {qdrant.version ? <span className="muted"> · version {qdrant.version}</span> : null}
        {qdrant.latencyMs !== null ? <span className="muted"> · {qdrant.latencyMs} ms</span> : null}
        <span className="muted"> · collections {prefix}_t…</span>
      </p>
      {qdrant.message ? (
        <Notice tone="error" testId="qdrant-message">
          <MessageText text={qdrant.message} />
        </Notice>
      ) : null}
      {qdrant.double ? (
        <Notice tone="info" testId="qdrant-double">
          This is Sluice&apos;s local Qdrant double, an in-memory stand-in for demos and tests: exact search, no persistence (its vectors are gone when it stops). Point
          QDRANT_URL at a real Qdrant for real use.
        </Notice>
      ) : null}
      <p className={embedder.lexical ? 'embedder-note lexical' : 'embedder-note'} data-testid="embedder-note" data-lexical={String(embedder.lexical)}>
        <strong>Embedder:</strong> {embedder.summary}
      </p>
    </section>
  );
}
