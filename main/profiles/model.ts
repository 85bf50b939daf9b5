import { z } from 'zod';

import { ProfileId, ProfileServiceKey, type ProfileKind, type ProfileView } from '../../shared/contract/profiles';
import { Role } from '../../shared/contract/roles';

/** One service in the profiles file: the URL without password, the sealed secret and its hint. */
export const StoredEndpoint = z.strictObject({ url: z.string().nullable(), sealed: z.string().nullable(), hint: z.string().nullable() });
export type StoredEndpoint = z.infer<typeof StoredEndpoint>;

export const StoredProfile = z.strictObject({
  id: ProfileId,
  name: z.string().min(1).max(60),
  kind: z.enum(['local', 'remote']),
  role: Role,
  services: z.record(ProfileServiceKey, StoredEndpoint),
  secretKey: z.strictObject({ sealed: z.string(), keyId: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type StoredProfile = z.infer<typeof StoredProfile>;

export const ProfilesFile = z.strictObject({
  version: z.literal(1),
  /** The profile the desktop opens with; null until the first-run wizard picked one. */
  activeId: ProfileId.nullable(),
  profiles: z.array(StoredProfile),
});
export type ProfilesFile = z.infer<typeof ProfilesFile>;

/** A profile with its secrets open, in memory only: what the engine is configured from. */
export interface ResolvedProfile {
  readonly id: string;
  readonly name: string;
  readonly kind: ProfileKind;
  readonly role: Role;
  readonly services: Readonly<Record<ProfileServiceKey, { readonly url: string | null; readonly secret: string | null }>>;
  /** The platform's SLUICE_SECRET_KEY, or null for this machine's own key file. */
  readonly secretKey: string | null;
}

export const SERVICE_KEYS = ProfileServiceKey.options;

export const emptyServices = (): Record<ProfileServiceKey, { url: string | null; secret: string | null }> =>
  Object.fromEntries(SERVICE_KEYS.map((k) => [k, { url: null, secret: null }])) as Record<ProfileServiceKey, { url: string | null; secret: string | null }>;

export type ViewServices = ProfileView['services'];
