import { useEffect, useState } from 'react';

import type { Tenant } from '../../../../shared/contract/tenants';
import { useAppStore } from '../../app/context';
import { useCan } from '../../app/use-can';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';
import { PageHeader } from '../../components/PageHeader';
import { RoleNotice } from '../../components/RoleNotice';
import { describeError } from '../../store/describe-error';

import { tierLabels } from './tenant-form';
import { TenantForm } from './TenantForm';

const formatDate = (iso: string): string => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString(undefined, { dateStyle: 'medium' });
};

/**
 * Tenants (admin): create, rename, change the tier, activate or deactivate. The header's tenant
 * switcher reads the same list, so a change shows there at once.
 */
export function TenantsPage() {
  const tenants = useAppStore((s) => s.tenants);
  const status = useAppStore((s) => s.tenantsStatus);
  const loadError = useAppStore((s) => s.tenantsError);
  const selected = useAppStore((s) => s.selectedTenantId);
  const load = useAppStore((s) => s.loadTenants);
  const create = useAppStore((s) => s.createTenant);
  const update = useAppStore((s) => s.updateTenant);
  const canCreate = useCan('tenants.create');
  const canUpdate = useCan('tenants.update');
  const [editingId, setEditingId] = useState<number | null>(null);
  const [notice, setNotice] = useState<{ tone: 'info' | 'error'; text: string } | null>(null);

  useEffect(() => {
    void load();
  }, [load]);

  const toggle = async (t: Tenant) => {
    setNotice(null);
    try {
      const next = await update({ id: t.id, active: !t.active });
      setNotice({ tone: 'info', text: `${next.name} is now ${next.active ? 'active' : 'inactive'}.` });
    } catch (error) {
      setNotice({ tone: 'error', text: describeError(error) });
    }
  };

  return (
    <section className="page" data-testid="tenants-page">
      <PageHeader title="Tenants" subtitle="Each tenant has its own integrations, jobs and data, kept apart by the database. Inactive tenants stay listed but run nothing." />
      <RoleNotice calls={['tenants.create', 'tenants.update']} />
      {canCreate ? (
        <div className="panel">
          <div className="panel-title">New tenant</div>
          <TenantForm
            testId="create-tenant"
            onSubmit={async (values) => {
              const created = await create(values);
              setNotice({ tone: 'info', text: `${created.name} was created; pick it in the header to configure its integrations.` });
            }}
          />
        </div>
      ) : null}
      {notice ? (
        <Notice tone={notice.tone} testId={notice.tone === 'error' ? 'tenants-error' : 'tenants-notice'}>
          <MessageText text={notice.text} />
        </Notice>
      ) : null}
      {status === 'error' && loadError ? (
        <Notice tone="error" testId="tenants-load-error">
          <MessageText text={loadError} />
        </Notice>
      ) : null}
      <table className="data-table" data-testid="tenants-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Tier</th>
            <th>State</th>
            <th>Created</th>
            {canUpdate ? <th aria-label="Actions" /> : null}
          </tr>
        </thead>
        <tbody>
          {tenants.length === 0 ? (
            <tr>
              <td colSpan={5} className="muted">
                {status === 'loading' ? 'Loading tenants…' : canCreate ? 'No tenants yet: create the first one above.' : 'No tenants yet.'}
              </td>
            </tr>
          ) : null}
          {tenants.map((t) =>
            editingId === t.id && canUpdate ? (
              <tr key={t.id} data-testid={`tenant-row-${t.id}`} data-name={t.name}>
                <td colSpan={5}>
                  <TenantForm
                    testId="edit-tenant"
                    tenant={t}
                    onCancel={() => setEditingId(null)}
                    onSubmit={async (values) => {
                      const next = await update({ id: t.id, ...values });
                      setEditingId(null);
                      setNotice({ tone: 'info', text: `${next.name} was saved.` });
                    }}
                  />
                </td>
              </tr>
            ) : (
              <tr key={t.id} className={t.active ? '' : 'inactive'} data-testid={`tenant-row-${t.id}`} data-name={t.name} data-active={String(t.active)}>
                <td className="strong">
                  {t.name}
                  {t.id === selected ? <span className="muted small"> · selected</span> : null}
                </td>
                <td>{tierLabels[t.tier]}</td>
                <td>
                  <span className={`pill ${t.active ? 'pill-up' : 'pill-inactive'}`} data-testid="tenant-state">
                    <span aria-hidden="true">{t.active ? '●' : '○'}</span> {t.active ? 'Active' : 'Inactive'}
                  </span>
                </td>
                <td className="muted small">{formatDate(t.createdAt)}</td>
                {canUpdate ? (
                  <td className="actions">
                    <button type="button" className="button small" onClick={() => setEditingId(t.id)} data-testid="edit-tenant-button">
                      Edit
                    </button>
                    <button type="button" className="button small" onClick={() => void toggle(t)} data-testid="toggle-tenant">
                      {t.active ? 'Deactivate' : 'Activate'}
                    </button>
                  </td>
                ) : null}
              </tr>
            ),
          )}
        </tbody>
      </table>
    </section>
  );
}
