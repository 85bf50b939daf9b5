import type { MethodInput, MethodName, MethodOutput } from '../../../shared/contract/api';
import type { Integration, Provider } from '../../../shared/contract/integrations';
import type { HealthReport } from '../../../shared/contract/system';
import type { Tenant } from '../../../shared/contract/tenants';
import type { ConnectionState } from '../api/transport';
import type { RawSlice } from './raw-slice';

/** The part of the client the store needs; tests pass a fake. */
export interface ApiCaller {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
}

export type ThemePreference = 'light' | 'dark' | 'system';
export type ResolvedTheme = 'light' | 'dark';

export interface UiSlice {
  /** What the user chose; `system` follows the OS. Persisted (a preference, never a secret). */
  theme: ThemePreference;
  /** Whether the OS currently prefers dark; kept up to date by the theme sync. */
  systemDark: boolean;
  setTheme(theme: ThemePreference): void;
  /** Flips what is on screen now: from whatever is showing to the other explicit theme. */
  toggleTheme(): void;
  setSystemDark(dark: boolean): void;
}

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface TenantsSlice {
  tenants: Tenant[];
  tenantsStatus: LoadStatus;
  tenantsError: string | null;
  /** Persisted so the console reopens on the same tenant. */
  selectedTenantId: number | null;
  selectTenant(id: number | null): void;
  loadTenants(): Promise<void>;
  /** Admin: create / change a tenant, then reload the list (the header switcher shows it at once). Rethrows ApiErrors. */
  createTenant(input: MethodInput<'tenants.create'>): Promise<Tenant>;
  updateTenant(input: MethodInput<'tenants.update'>): Promise<Tenant>;
}

export type IntegrationSort = 'name' | 'provider' | 'state' | 'updated';

export interface IntegrationView {
  search: string;
  provider: Provider | 'all';
  state: 'all' | 'active' | 'inactive';
  sort: IntegrationSort;
  descending: boolean;
}

export interface IntegrationsSlice {
  integrations: Integration[];
  integrationsStatus: LoadStatus;
  integrationsError: string | null;
  /** The tenant the list belongs to. */
  integrationsTenantId: number | null;
  /** Filters and sort of the list: view state, kept while the operator moves between screens. */
  integrationView: IntegrationView;
  setIntegrationView(view: Partial<IntegrationView>): void;
  loadIntegrations(): Promise<void>;
  /** Mutations rethrow the ApiError (field issues included) for the form to show. */
  createIntegration(input: MethodInput<'integrations.create'>): Promise<Integration>;
  updateIntegration(input: MethodInput<'integrations.update'>): Promise<Integration>;
  setIntegrationActive(id: number, active: boolean): Promise<Integration>;
  deleteIntegration(id: number, dryRun: boolean): Promise<MethodOutput<'integrations.delete'>>;
}

export interface SystemSlice {
  health: HealthReport | null;
  healthError: string | null;
  checkingHealth: boolean;
  connection: ConnectionState;
  /** Keeps the newest report: a slow call must not overwrite a fresher pushed one. */
  setHealth(report: HealthReport): void;
  setConnection(state: ConnectionState): void;
  checkHealth(): Promise<void>;
}

export type AppState = UiSlice & TenantsSlice & SystemSlice & IntegrationsSlice & RawSlice;
