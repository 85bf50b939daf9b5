import type pino from 'pino';

import { events, type EventName, type EventPayload } from '../../shared/contract/api';
import { ApiError } from '../../shared/contract/errors';
import type { ProfilesState, ProfileView } from '../../shared/contract/profiles';
import { loadConfig, type EngineConfig } from '../engine/config';
import type { Engine } from '../engine/engine';
import type { CallContext, EngineApi, EventListener } from '../engine/types';
import type { StackEndpoints } from '../stack/stack';
import { configFromProfile, environmentNamesServices, profileFromConfig } from './config';
import { emptyServices, type ResolvedProfile } from './model';
import type { CredentialSealer } from './sealer';
import { overlayDraft, resolvedView, type ActiveProfile, type ProfileService } from './service';
import { type ProfileStore, storedView } from './store';

// Over 300 lines is avoided on purpose: the engine swap is here, the profile rules in store.ts/service.ts.

/** The local stack, injectable for tests (default: main/stack). */
export interface LocalStack {
  /** Starts what is not running and returns the endpoints; `startedNow` when this call started something. */
  up(home: string): Promise<{ endpoints: StackEndpoints; startedNow: boolean }>;
  /** The endpoints when the stack runs, without starting anything. */
  status(home: string): Promise<StackEndpoints | null>;
  down(home: string): Promise<void>;
}

export interface EngineHostOptions {
  readonly store: ProfileStore;
  readonly sealer: CredentialSealer;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: pino.Logger;
  /** Creates the engine for a config (the desktop passes its worker entries, mode and this host's profiles). */
  readonly createEngine: (config: EngineConfig, profiles: ProfileService) => Promise<Engine>;
  /** Applies pending migrations before an engine starts (failures are logged, not fatal). */
  readonly migrate: (databaseUrl: string) => Promise<void>;
  readonly localStack: LocalStack;
  /** How long a call waits for an engine that is restarting. */
  readonly switchTimeoutMs?: number;
}

const ENV_ID = 'environment';

/**
 * The desktop's engine, kept across profile switches. The IPC gate talks to this host as if it were
 * the engine: calls go to the current engine (waiting while a switch restarts it), subscriptions
 * survive the swap, and `session.changed` tells every console to look again. The active profile
 * decides the engine's services and the desktop user's role.
 */
export class EngineHost implements EngineApi {
  private engine: Engine | null = null;
  private switching: Promise<void> | null = null;
  private activeId: string | null = null;
  private activeError: string | null = null;
  private readonly listeners = new Set<EventListener>();
  private unsubscribe: () => void = () => undefined;
  private readonly changeListeners = new Set<(profile: ActiveProfile | null) => void>();
  private stackStartedByUs = false;
  private readonly base: EngineConfig;
  private readonly envProfile: ResolvedProfile | null;

  /** Throws ConfigError for a bad environment and ProfileFileError for a damaged profiles file. */
  constructor(private readonly options: EngineHostOptions) {
    this.base = loadConfig(options.env);
    this.envProfile = environmentNamesServices(this.base) ? profileFromConfig(this.base) : null;
    // Launched with services in the environment (`sluice start`): that is what the user asked for now.
    this.activeId = this.envProfile ? ENV_ID : options.store.read().activeId;
  }

  /** Starts the engine of the active profile (none on a fresh install: the console shows the wizard). */
  async start(): Promise<void> {
    await this.startEngine();
  }

  async call(method: string, rawInput: unknown, ctx: CallContext): Promise<unknown> {
    return (await this.current()).call(method, rawInput, ctx);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The desktop user as the engine should see it now. */
  desktopSession(): { principal: string; role: ActiveProfile['role'] } {
    const active = this.active();
    return { principal: active ? `desktop (${active.name})` : 'desktop', role: active?.role ?? 'admin' };
  }

  active(): ActiveProfile | null {
    if (this.activeId === null) return null;
    const profile = this.activeId === ENV_ID ? this.envProfile : this.options.store.get(this.activeId);
    return profile ? { id: profile.id, name: profile.name, kind: profile.kind, role: profile.role, error: this.activeError } : null;
  }

  /** Told after every switch (title bar, tray). */
  onProfileChange(listener: (profile: ActiveProfile | null) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Restarts the engine with another profile. Resolves when the new engine runs (or fell back). */
  switchTo(id: string): Promise<void> {
    const run = async (): Promise<void> => {
      await this.stopEngine();
      this.activeId = id;
      await this.startEngine();
    };
    const next = (this.switching ?? Promise.resolve()).then(run, run).finally(() => {
      if (this.switching === next) this.switching = null;
    });
    this.switching = next;
    return next;
  }

  async close(): Promise<void> {
    await this.switching?.catch(() => undefined);
    await this.stopEngine();
    // Stop the local stack only if this app started it; a stack started from a terminal stays up.
    if (this.stackStartedByUs) await this.options.localStack.down(this.base.home).catch((error: unknown) => this.options.logger.warn({ err: error }, 'the local stack did not stop cleanly'));
  }

  /** The ProfileService the engines of this host answer profiles.* and session.info with. */
  readonly profiles: ProfileService = {
    mode: 'desktop',
    state: () => this.state(),
    save: async (input) => {
      const saved = await this.options.store.save(input);
      // Changing the active profile applies it at once: restart after this call has answered.
      if (saved.id === this.activeId) setTimeout(() => void this.switchTo(saved.id), 0);
      return storedView(saved, this.activeId);
    },
    delete: (id) => {
      if (id === ENV_ID) return Promise.reject(new ApiError('forbidden', 'The environment profile comes from the variables Sluice was started with; it cannot be deleted here.'));
      this.options.store.delete(id, this.activeId);
      return Promise.resolve();
    },
    activate: (id) => this.activate(id),
    servicesForTest: async ({ id, draft }) => {
      const base = id === null ? emptyServices() : await this.servicesOf(id);
      return draft ? overlayDraft(base, draft) : base;
    },
    active: () => this.active(),
    firstRun: () => this.activeId === null,
  };

  private async state(): Promise<ProfilesState> {
    const file = this.options.store.read();
    const protection = await this.options.sealer.protection();
    const views: ProfileView[] = [...(this.envProfile ? [resolvedView(this.envProfile, this.activeId === ENV_ID, false)] : []), ...file.profiles.map((p) => storedView(p, this.activeId))];
    return { profiles: views, activeId: this.activeId, mode: 'desktop', canEdit: true, firstRun: this.activeId === null, storage: { protection, note: this.options.sealer.note } };
  }

  private async activate(id: string): Promise<{ profile: ProfileView; message: string }> {
    const view = (await this.state()).profiles.find((p) => p.id === id);
    if (!view) throw new ApiError('not_found', `There is no profile "${id}"; reload the list.`);
    // Remembered for the next launch (the environment profile exists only for this launch).
    if (id !== ENV_ID) this.options.store.setActive(id);
    setTimeout(() => void this.switchTo(id), 0);
    return { profile: { ...view, active: true }, message: `Switching to "${view.name}": the engine restarts against its services and the console reloads in a moment.` };
  }

  private async servicesOf(id: string): Promise<ResolvedProfile['services']> {
    if (id === ENV_ID && this.envProfile) return this.envProfile.services;
    const resolved = await this.options.store.resolve(id);
    if (resolved.kind !== 'local') return resolved.services;
    const endpoints = await this.options.localStack.status(this.base.home);
    if (!endpoints) throw new ApiError('unavailable', 'The local stack is not running: it starts when you switch to this profile (or run `sluice stack up`).');
    return profileFromConfig(configFromProfile(this.base, resolved, endpoints)).services;
  }

  private async configOf(id: string | null): Promise<EngineConfig> {
    if (id === null) return { ...this.base, databaseUrl: null, databaseReplicaUrl: null, rabbitmqUrl: null, rabbitmqManagementUrl: null, redisUrl: null, qdrantUrl: null, qdrantApiKey: null };
    if (id === ENV_ID && this.envProfile) return this.base;
    const resolved = await this.options.store.resolve(id);
    if (resolved.kind !== 'local') return configFromProfile(this.base, resolved);
    const { endpoints, startedNow } = await this.options.localStack.up(this.base.home);
    this.stackStartedByUs ||= startedNow;
    return configFromProfile(this.base, resolved, endpoints);
  }

  private async startEngine(): Promise<void> {
    this.activeError = null;
    let engine: Engine;
    try {
      const config = await this.configOf(this.activeId);
      if (config.databaseUrl) await this.options.migrate(config.databaseUrl);
      engine = await this.options.createEngine(config, this.profiles);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.options.logger.error({ err: error, profile: this.activeId }, 'the engine could not start with the active profile');
      this.activeError = `The engine could not start with this profile: ${message} Fix the profile or switch to another one.`;
      engine = await this.options.createEngine(await this.configOf(null), this.profiles);
    }
    this.engine = engine;
    this.unsubscribe = engine.subscribe((event, payload) => this.emit(event, payload));
    this.emit('session.changed', { reason: 'profile', at: new Date().toISOString() });
    const active = this.active();
    for (const listener of this.changeListeners) listener(active);
  }

  private async stopEngine(): Promise<void> {
    const engine = this.engine;
    this.engine = null;
    this.unsubscribe();
    await engine?.close().catch((error: unknown) => this.options.logger.error({ err: error }, 'the engine did not close cleanly'));
  }

  private async current(): Promise<Engine> {
    const timeoutMs = this.options.switchTimeoutMs ?? 120_000;
    const deadline = Date.now() + timeoutMs;
    while (!this.engine || this.switching) {
      if (Date.now() > deadline) throw new ApiError('unavailable', 'The engine is still restarting with the new profile; try again in a moment.');
      await (this.switching ?? new Promise((r) => setTimeout(r, 50)));
    }
    return this.engine;
  }

  private emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const checked = events[event].payload.parse(payload) as EventPayload<E>;
    for (const listener of [...this.listeners]) {
      try {
        listener(event, checked);
      } catch {
        // One failing transport must not stop the others; they log their own errors.
      }
    }
  }
}
