import { useEffect, useState } from 'react';

import type { MethodOutput } from '../../../../shared/contract/api';
import type { Integration } from '../../../../shared/contract/integrations';
import { useAppStore } from '../../app/context';
import { useCan } from '../../app/use-can';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';
import { PageHeader } from '../../components/PageHeader';
import { RoleNotice } from '../../components/RoleNotice';
import { describeError } from '../../store/describe-error';

import { DeleteDialog } from './DeleteDialog';
import { IntegrationForm, type FormTarget } from './IntegrationForm';
import { IntegrationFilters, IntegrationTable } from './IntegrationTable';

type Deleting = { integration: Integration; plan: MethodOutput<'integrations.delete'> | null; error: string | null; busy: boolean };

/** The selected tenant's integrations. Switching tenant remounts the screen (see the key below). */
export function IntegrationsPage() {
  const tenantId = useAppStore((s) => s.selectedTenantId);
  return <IntegrationsScreen key={tenantId ?? 'none'} tenantId={tenantId} />;
}

function IntegrationsScreen({ tenantId }: { tenantId: number | null }) {
  const tenantName = useAppStore((s) => s.tenants.find((t) => t.id === tenantId)?.name ?? null);
  const status = useAppStore((s) => s.integrationsStatus);
  const loadError = useAppStore((s) => s.integrationsError);
  const load = useAppStore((s) => s.loadIntegrations);
  const setActive = useAppStore((s) => s.setIntegrationActive);
  const remove = useAppStore((s) => s.deleteIntegration);
  const canCreate = useCan('integrations.create');
  const canUpdate = useCan('integrations.update');
  const canSetActive = useCan('integrations.setActive');
  const canDelete = useCan('integrations.delete');
  const [editing, setEditing] = useState<FormTarget | null>(null);
  const [deleting, setDeleting] = useState<Deleting | null>(null);
  const [notice, setNotice] = useState<{ tone: 'info' | 'error'; text: string } | null>(null);
  const [busyId, setBusyId] = useState<number | null>(null);

  useEffect(() => {
    void load();
  }, [load]);

  const toggle = async (i: Integration) => {
    setBusyId(i.id);
    setNotice(null);
    try {
      const next = await setActive(i.id, !i.active);
      setNotice({ tone: 'info', text: `${next.name} is now ${next.active ? 'active' : 'inactive'}.` });
    } catch (error) {
      setNotice({ tone: 'error', text: describeError(error) });
    } finally {
      setBusyId(null);
    }
  };

  const askDelete = async (i: Integration) => {
    setNotice(null);
    setDeleting({ integration: i, plan: null, error: null, busy: false });
    try {
      const plan = await remove(i.id, true);
      setDeleting((d) => (d && d.integration.id === i.id ? { ...d, plan } : d));
    } catch (error) {
      setDeleting((d) => (d && d.integration.id === i.id ? { ...d, error: describeError(error) } : d));
    }
  };

  const confirmDelete = async () => {
    if (!deleting) return;
    const { integration } = deleting;
    setDeleting({ ...deleting, busy: true, error: null });
    try {
      await remove(integration.id, false);
      setDeleting(null);
      setNotice({ tone: 'info', text: `${integration.name} was deleted with everything extracted through it.` });
    } catch (error) {
      setDeleting((d) => (d ? { ...d, busy: false, error: describeError(error) } : d));
    }
  };

  const subtitle = tenantName ? `Jira Cloud and GitHub connections of ${tenantName}. Tokens are write-only.` : 'Jira Cloud and GitHub connections of the selected tenant.';

  if (editing) {
    return (
      <section className="page" data-testid="integrations-page">
        <PageHeader title="Integrations" subtitle={subtitle} />
        <IntegrationForm
          target={editing}
          onCancel={() => setEditing(null)}
          onDone={(saved) => {
            setNotice({ tone: 'info', text: `${saved.name} was ${editing.mode === 'create' ? 'created' : 'saved'}.` });
            setEditing(null);
          }}
        />
      </section>
    );
  }

  return (
    <section className="page" data-testid="integrations-page">
      <PageHeader
        title="Integrations"
        subtitle={subtitle}
        actions={
          tenantId === null || !canCreate ? null : (
            <>
              <button type="button" className="button primary" onClick={() => setEditing({ mode: 'create', provider: 'jira' })} data-testid="new-jira">
                New Jira integration
              </button>
              <button type="button" className="button primary" onClick={() => setEditing({ mode: 'create', provider: 'github' })} data-testid="new-github">
                New GitHub integration
              </button>
            </>
          )
        }
      />
      {tenantId === null ? (
        <Notice tone="info" testId="no-tenant">
          Integrations belong to a tenant: pick one in the header, or create one on the Tenants screen.
        </Notice>
      ) : (
        <>
          {notice ? (
            <Notice tone={notice.tone} testId={notice.tone === 'error' ? 'integrations-error' : 'integrations-notice'}>
              <MessageText text={notice.text} />
            </Notice>
          ) : null}
          {status === 'error' && loadError ? (
            <Notice tone="error" testId="integrations-load-error">
              <MessageText text={loadError} />
            </Notice>
          ) : null}
          <RoleNotice calls={['integrations.create', 'integrations.update', 'integrations.setActive', 'integrations.delete']} />
          <IntegrationFilters />
          {status === 'loading' && !notice ? <p className="muted">Loading integrations…</p> : null}
          <IntegrationTable
            onEdit={canUpdate ? (i) => setEditing({ mode: 'edit', integration: i }) : undefined}
            onToggle={canSetActive ? (i) => void toggle(i) : undefined}
            onDelete={canDelete ? (i) => void askDelete(i) : undefined}
            busyId={busyId}
          />
        </>
      )}
      {deleting ? <DeleteDialog {...deleting} onConfirm={() => void confirmDelete()} onCancel={() => setDeleting(null)} /> : null}
    </section>
  );
}
