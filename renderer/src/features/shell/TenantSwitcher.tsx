import { useAppStore } from '../../app/context';

/** The tenant every tenant-scoped call acts for (sent as a header by the client). */
export function TenantSwitcher() {
  const tenants = useAppStore((s) => s.tenants);
  const status = useAppStore((s) => s.tenantsStatus);
  const error = useAppStore((s) => s.tenantsError);
  const selected = useAppStore((s) => s.selectedTenantId);
  const selectTenant = useAppStore((s) => s.selectTenant);

  if (tenants.length === 0) {
    const text = status === 'error' ? 'Tenants unavailable' : status === 'ready' ? 'No tenants yet' : 'Loading tenants…';
    return (
      <div className="tenant-switcher empty" data-testid="tenant-switcher" title={error ?? undefined}>
        <span className="tenant-label">Tenant</span>
        <span className="tenant-empty">{text}</span>
      </div>
    );
  }

  return (
    <label className="tenant-switcher" data-testid="tenant-switcher">
      <span className="tenant-label">Tenant</span>
      <select
        className="select"
        value={selected ?? ''}
        onChange={(event) => selectTenant(event.target.value === '' ? null : Number(event.target.value))}
      >
        {tenants.map((tenant) => (
          <option key={tenant.id} value={tenant.id}>
            {tenant.name}
            {tenant.active ? '' : ' (inactive)'}
          </option>
        ))}
      </select>
    </label>
  );
}
