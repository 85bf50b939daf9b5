import type { z } from 'zod';

import type { MethodParsedInput } from '../../shared/contract/api';
import { ApiError } from '../../shared/contract/errors';
import type { ProfileKind, ProfilesState, ProfileTestInput, ProfileView } from '../../shared/contract/profiles';
import type { Role } from '../../shared/contract/roles';
import type { Handlers } from '../engine/types';
import { checkServices } from './check';
import { credentialHint, splitSecret } from './credentials';
import { emptyServices, SERVICE_KEYS, type ResolvedProfile } from './model';
import type { ParsedProfileInput } from './store';

/** The active profile as the engine reports it (session.info, title bar). */
export interface ActiveProfile {
  readonly id: string;
  readonly name: string;
  readonly kind: ProfileKind;
  readonly role: Role;
  /** Why the engine could not start with it (it then runs with no services), or null. */
  readonly error: string | null;
}

/** What the engine needs from whoever owns the profiles: the desktop host, or the headless config. */
export interface ProfileService {
  readonly mode: 'desktop' | 'headless';
  state(): Promise<ProfilesState>;
  save(input: ParsedProfileInput): Promise<ProfileView>;
  delete(id: string): Promise<void>;
  activate(id: string): Promise<{ profile: ProfileView; message: string }>;
  /** The services to test: a saved profile, the form's draft over it, or the draft alone. */
  servicesForTest(input: z.output<typeof ProfileTestInput>): Promise<ResolvedProfile['services']>;
  active(): ActiveProfile | null;
  firstRun(): boolean;
}

type ProfileHandlerNames = 'profiles.list' | 'profiles.save' | 'profiles.delete' | 'profiles.activate' | 'profiles.test';

export const profileHandlers = (profiles: ProfileService): Pick<Handlers, ProfileHandlerNames> => ({
  'profiles.list': () => profiles.state(),
  'profiles.save': (input) => profiles.save(input),
  'profiles.delete': async ({ id }) => {
    await profiles.delete(id);
    return { id, deleted: true as const };
  },
  'profiles.activate': ({ id }) => profiles.activate(id),
  'profiles.test': async (input: MethodParsedInput<'profiles.test'>) => {
    const started = performance.now();
    const services = await profiles.servicesForTest(input);
    const checks = await checkServices(services, input.services);
    return { ok: checks.every((c) => c.state !== 'down'), checks, durationMs: Math.round(performance.now() - started) };
  },
});

/** The console's view of a profile whose secrets are open (environment, file): hints only. */
export const resolvedView = (p: ResolvedProfile, active: boolean, editable: boolean): ProfileView => ({
  id: p.id,
  name: p.name,
  kind: p.kind,
  role: p.role,
  active,
  editable,
  services: Object.fromEntries(
    SERVICE_KEYS.map((k) => {
      const { url, secret } = p.services[k];
      return [k, { url, hasSecret: secret !== null, secretHint: secret !== null ? credentialHint(secret) : null }];
    }),
  ) as ProfileView['services'],
  secretKey: { configured: p.secretKey !== null, keyId: null },
  updatedAt: null,
});

/** A draft from the profile form laid over saved services: a left-out secret keeps the saved one. */
export const overlayDraft = (base: ResolvedProfile['services'], draft: NonNullable<z.output<typeof ProfileTestInput>['draft']>): ResolvedProfile['services'] => {
  const next = { ...emptyServices(), ...base };
  for (const key of SERVICE_KEYS) {
    const given = draft[key];
    if (given === undefined) continue;
    if (given.url === null) {
      next[key] = { url: null, secret: null };
      continue;
    }
    const split = key === 'qdrant' ? { url: given.url, secret: null } : splitSecret(given.url);
    const secret = split.secret ?? (given.secret === undefined ? base[key].secret : given.secret);
    next[key] = { url: split.url, secret };
  }
  return next;
};

const READ_ONLY =
  'On `sluice serve` the profile comes from the server: its environment variables or its --profile file. Change it there and restart the server.';

/** `sluice serve`: its one profile, from the environment or `--profile`, read-only. */
export const headlessProfiles = (profile: ResolvedProfile): ProfileService => ({
  mode: 'headless',
  state: () =>
    Promise.resolve({
      profiles: [resolvedView(profile, true, false)],
      activeId: profile.id,
      mode: 'headless',
      canEdit: false,
      firstRun: false,
      storage: { protection: 'not_stored', note: READ_ONLY },
    }),
  save: () => Promise.reject(new ApiError('forbidden', READ_ONLY)),
  delete: () => Promise.reject(new ApiError('forbidden', READ_ONLY)),
  activate: () => Promise.reject(new ApiError('forbidden', READ_ONLY)),
  servicesForTest: (input) => {
    // A draft would let any console make the server connect to hosts of its choosing.
    if (input.draft !== null) return Promise.reject(new ApiError('forbidden', 'On `sluice serve` only the active profile can be tested: unsaved drafts would let a console probe any host from the server.'));
    if (input.id !== profile.id) return Promise.reject(new ApiError('not_found', `This server has one profile, "${profile.id}".`));
    return Promise.resolve(profile.services);
  },
  active: () => ({ id: profile.id, name: profile.name, kind: profile.kind, role: profile.role, error: null }),
  firstRun: () => false,
});
