import type { MethodInput, MethodName, MethodOutput } from '../../../shared/contract/api';
import type { HealthReport } from '../../../shared/contract/system';
import type { Tenant } from '../../../shared/contract/tenants';
import type { ConnectionState } from '../api/transport';

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

export type AppState = UiSlice & TenantsSlice & SystemSlice;
