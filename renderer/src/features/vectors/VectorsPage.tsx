import { useEffect, useState } from 'react';

import type { VectorEntity } from '../../../../shared/contract/vectors';
import { entityNoun } from '../../../../shared/vectors/entities';
import { useAppStore } from '../../app/context';
import { useCan } from '../../app/use-can';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';
import { PageHeader } from '../../components/PageHeader';
import { RoleNotice } from '../../components/RoleNotice';
import { describeError } from '../../store/describe-error';

import { CollectionsTable } from './CollectionsTable';
import { EntityTable } from './EntityTable';
import { ItemDetailPanel } from './ItemDetail';
import { QdrantPanel } from './QdrantPanel';
import { SearchPanel } from './SearchPanel';
import './vectors.css';

/** How often the open screen refreshes its counts (vectors catch up in the background). */
export const REFRESH_MS = 3_000;

/** The selected tenant's vectors. Switching tenant remounts the screen (see the key below). */
export function VectorsPage() {
  const tenantId = useAppStore((s) => s.selectedTenantId);
  return <VectorsScreen key={tenantId ?? 'none'} tenantId={tenantId} />;
}

function VectorsScreen({ tenantId }: { tenantId: number | null }) {
  const status = useAppStore((s) => s.vectors);
  const load = useAppStore((s) => s.vectorsLoad);
  const error = useAppStore((s) => s.vectorsError);
  const loadVectors = useAppStore((s) => s.loadVectors);
  const reembed = useAppStore((s) => s.reembed);
  const canReembed = useCan('vectors.reembed');
  const [busy, setBusy] = useState<VectorEntity | null>(null);
  const [notice, setNotice] = useState<{ tone: 'info' | 'error'; text: string } | null>(null);

  useEffect(() => {
    void loadVectors();
    const timer = setInterval(() => void loadVectors(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [loadVectors]);

  const onReembed = async (entity: VectorEntity, scope: 'missing' | 'all') => {
    setBusy(entity);
    setNotice(null);
    try {
      setNotice({ tone: 'info', text: await reembed(entity, scope) });
    } catch (e) {
      setNotice({ tone: 'error', text: `Could not queue the re-embed of ${entityNoun(entity)}: ${describeError(e)}` });
    } finally {
      setBusy(null);
    }
  };

  const enabled = status?.enabled ? status : null;
  return (
    <section className="page" data-testid="vectors-page">
      <PageHeader
        title="Vectors"
        subtitle="Embeddings of the tenant's work items, pull requests and Jira mapping tables in Qdrant: how complete they are, and a search over the work items and pull requests."
        actions={
          tenantId === null ? null : (
            <button type="button" className="button" onClick={() => void loadVectors()} data-testid="vectors-refresh">
              Refresh
            </button>
          )
        }
      />
      {tenantId === null ? (
        <Notice tone="info" testId="no-tenant">
          Vectors belong to a tenant: pick one in the header.
        </Notice>
      ) : (
        <>
          {load === 'error' && error ? (
            <Notice tone="error" testId="vectors-load-error">
              <MessageText text={error} />
            </Notice>
          ) : null}
          {load === 'loading' && !status ? <p className="muted">Loading vectors…</p> : null}
          {status && !status.enabled ? (
            <Notice tone="info" testId="vectors-disabled">
              <MessageText text={status.reason} />
            </Notice>
          ) : null}
          {enabled ? (
            <>
              <RoleNotice calls={['vectors.reembed']} />
              <QdrantPanel qdrant={enabled.qdrant} embedder={enabled.embedder} prefix={enabled.collectionPrefix} />
              {notice ? (
                <Notice tone={notice.tone} testId={notice.tone === 'error' ? 'reembed-error' : 'reembed-notice'}>
                  <MessageText text={notice.text} />
                </Notice>
              ) : null}
              <section className="panel vectors-panel">
                <h2 className="panel-title">Database vs vectors</h2>
                <EntityTable entities={enabled.entities} busy={busy} onReembed={canReembed ? (e, s) => void onReembed(e, s) : undefined} />
              </section>
              <div className="vectors-columns">
                <SearchPanel lexical={enabled.embedder.lexical} />
                <ItemDetailPanel />
              </div>
              <section className="panel vectors-panel">
                <h2 className="panel-title">Collections</h2>
                <CollectionsTable collections={enabled.collections} />
              </section>
            </>
          ) : null}
        </>
      )}
    </section>
  );
}
