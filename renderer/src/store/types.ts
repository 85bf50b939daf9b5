import type { MethodInput, MethodName, MethodOutput } from '../../../shared/contract/api';
import type { Integration, Provider } from '../../../shared/contract/integrations';
import type { Job } from '../../../shared/contract/jobs';
import type { DeadLetterActionResult, QueuesStatus } from '../../../shared/contract/queues';
import type { RunProgress } from '../../../shared/contract/runs';
import type { PoolControlResult, WorkersStatus } from '../../../shared/contract/workers';
import type { Stage } from '../../../shared/worker-protocol/protocol';
import type { HealthReport } from '../../../shared/contract/system';
import type { SessionInfo } from '../../../shared/contract/session';
import type { Tenant } from '../../../shared/contract/tenants';
import type { EmbedderInfo, ItemDetail, LoadedEntity, SearchHit, VectorEntity, VectorsStatus } from '../../../shared/contract/vectors';
import type { ConnectionState } from '../api/transport';
import type { RawSlice } from './raw-slice';

import type { MappingsSlice } from './mappings-slice';

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

export type ControlOutcome = MethodOutput<'runs.pause'>;

export interface JobsSlice {
  jobs: Job[];
  jobsStatus: LoadStatus;
  jobsError: string | null;
  jobsTenantId: number | null;
  /** Engine clock minus this clock, from the last list: countdowns use the engine's time. */
  clockOffsetMs: number;
  /** Newest `runs.progress` per run id (selected tenant only). */
  progressByRun: Record<number, RunProgress>;
  loadJobs(): Promise<void>;
  refreshJob(id: number): Promise<void>;
  /** Reads a run's progress once (a card that opened after its last push). */
  loadProgress(runId: number): Promise<void>;
  applyProgress(progress: RunProgress): void;
  createJob(input: MethodInput<'jobs.create'>): Promise<Job>;
  updateJob(id: number, patch: MethodInput<'jobs.update'>['patch']): Promise<Job>;
  setJobActive(id: number, active: boolean): Promise<Job>;
  deleteJob(id: number): Promise<void>;
  runNow(id: number, force?: boolean): Promise<ControlOutcome>;
  fullRefresh(id: number): Promise<ControlOutcome>;
  retransform(id: number): Promise<ControlOutcome>;
  pauseRun(runId: number): Promise<ControlOutcome>;
  resumeRun(runId: number): Promise<ControlOutcome>;
  cancelRun(runId: number): Promise<ControlOutcome>;
}

export interface OperateSlice {
  queues: QueuesStatus | null;
  queuesError: string | null;
  deadLetters: MethodOutput<'queues.deadLetters'> | null;
  deadLettersError: string | null;
  deadLettersLoading: boolean;
  workers: WorkersStatus | null;
  workersError: string | null;
  loadQueues(): Promise<void>;
  loadDeadLetters(): Promise<void>;
  /** Rethrows the ApiError for the dialog to show. */
  actOnDeadLetters(action: 'requeue' | 'discard', ids: 'all' | string[]): Promise<DeadLetterActionResult>;
  loadWorkers(): Promise<void>;
  scalePool(host: string, stage: Stage, threads: number): Promise<PoolControlResult>;
  restartPool(host: string, stage: Stage): Promise<PoolControlResult>;
}

export interface Toast {
  id: number;
  tone: 'error' | 'warn' | 'info';
  title: string;
  message: string;
  /** Set for run toasts: the link target and the once-per-run key. */
  runId?: number;
}

export interface ToastsSlice {
  toasts: Toast[];
  pushToast(toast: Omit<Toast, 'id'>): void;
  dismissToast(id: number): void;
}

export interface VectorsSlice {
  /** The selected tenant's vectors status as last loaded (null before the first answer). */
  vectors: VectorsStatus | null;
  vectorsTenantId: number | null;
  vectorsLoad: LoadStatus;
  vectorsError: string | null;
  search: { query: string; hits: SearchHit[]; embedder: EmbedderInfo | null; state: LoadStatus; error: string | null; tookMs: number | null };
  /** The search result opened in the detail panel. */
  item: { target: { entity: LoadedEntity; id: number } | null; detail: ItemDetail | null; state: LoadStatus; error: string | null };
  loadVectors(): Promise<void>;
  /** Queues a re-embed; resolves with the engine's sentence, rethrows its ApiError. */
  reembed(entity: VectorEntity, scope: 'missing' | 'all'): Promise<string>;
  runSearch(query: string): Promise<void>;
  openItem(entity: LoadedEntity, id: number): Promise<void>;
  closeItem(): void;
}

export interface SessionSlice {
  /** Null until the first answer; screens hide mutating controls until then (the engine enforces anyway). */
  session: SessionInfo | null;
  sessionStatus: LoadStatus;
  sessionError: string | null;
  loadSession(): Promise<void>;
}

export type AppState = SessionSlice & UiSlice & TenantsSlice & SystemSlice & IntegrationsSlice & MappingsSlice & JobsSlice & OperateSlice & ToastsSlice & VectorsSlice & RawSlice;
