import { z } from 'zod';

import { defineMethod } from './define';
import { Role } from './roles';

/**
 * Connection profiles (issue 11): named sets of the platform's service URLs and credentials
 * (local, staging, production...). The desktop keeps them in main, credentials sealed with the OS
 * keychain (Electron safeStorage); `sluice serve` reads its one profile from the environment or a
 * `--profile` file and shows it read-only. Credentials are write-only here: calls may send a new
 * password, nothing ever sends one back — `secretHint` ("…a1b2") tells which one is set.
 */

export const ProfileServiceKey = z.enum(['postgres', 'postgresReplica', 'rabbitmq', 'rabbitmqManagement', 'redis', 'qdrant']);
export type ProfileServiceKey = z.infer<typeof ProfileServiceKey>;

/** URL schemes per service, with an example for the error message. */
export const SERVICE_URLS: Readonly<Record<ProfileServiceKey, { readonly protocols: readonly string[]; readonly example: string; readonly label: string; readonly secretLabel: string }>> = {
  postgres: { protocols: ['postgres:', 'postgresql:'], example: 'postgres://sluice@db.internal:5432/sluice', label: 'Postgres', secretLabel: 'password' },
  postgresReplica: { protocols: ['postgres:', 'postgresql:'], example: 'postgres://reader@replica.internal:5432/sluice', label: 'Postgres read replica', secretLabel: 'password' },
  rabbitmq: { protocols: ['amqp:', 'amqps:'], example: 'amqp://sluice@mq.internal:5672', label: 'RabbitMQ', secretLabel: 'password' },
  rabbitmqManagement: { protocols: ['http:', 'https:'], example: 'http://sluice@mq.internal:15672', label: 'RabbitMQ management API', secretLabel: 'password' },
  redis: { protocols: ['redis:', 'rediss:'], example: 'redis://redis.internal:6379', label: 'Redis', secretLabel: 'password' },
  qdrant: { protocols: ['http:', 'https:'], example: 'https://qdrant.internal:6333', label: 'Qdrant', secretLabel: 'API key' },
};

export const ProfileId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'a profile id is lower-case letters, digits and "-"');
export type ProfileId = z.infer<typeof ProfileId>;

/**
 * - `local`: the embedded local stack on this machine (endpoints found when it starts);
 * - `remote`: URLs and credentials typed in (a shared staging or production platform);
 * - `environment`: DATABASE_URL & co. of the process (read-only);
 * - `file`: `sluice serve --profile FILE` (read-only).
 */
export const ProfileKind = z.enum(['local', 'remote', 'environment', 'file']);
export type ProfileKind = z.infer<typeof ProfileKind>;

/** One service as shown: the URL without credentials, and whether a secret is stored. */
export const EndpointView = z.object({
  url: z.string().nullable(),
  hasSecret: z.boolean(),
  secretHint: z.string().nullable(),
});
export type EndpointView = z.infer<typeof EndpointView>;

const servicesOf = <T extends z.ZodType>(schema: T) =>
  z.object({ postgres: schema, postgresReplica: schema, rabbitmq: schema, rabbitmqManagement: schema, redis: schema, qdrant: schema });

export const ProfileView = z.object({
  id: ProfileId,
  name: z.string(),
  kind: ProfileKind,
  /** The role the desktop user has with this profile (a guard against accidents, e.g. viewer on production). */
  role: Role,
  active: z.boolean(),
  /** Read-only profiles (environment, file) cannot be changed from the console. */
  editable: z.boolean(),
  services: servicesOf(EndpointView),
  /** The key that seals integration tokens in this platform's Postgres; only its public id is shown. */
  secretKey: z.object({ configured: z.boolean(), keyId: z.string().nullable() }),
  updatedAt: z.string().nullable(),
});
export type ProfileView = z.infer<typeof ProfileView>;

/** How well stored credentials are protected on this machine. */
export const CredentialProtection = z.enum(['os', 'weak', 'unavailable', 'not_stored']);
export type CredentialProtection = z.infer<typeof CredentialProtection>;

export const ProfilesState = z.object({
  profiles: z.array(ProfileView),
  activeId: ProfileId.nullable(),
  mode: z.enum(['desktop', 'headless']),
  /** Whether this console may add, change, delete and switch profiles (desktop only). */
  canEdit: z.boolean(),
  /** True until a profile is chosen on a fresh desktop: the console shows the first-run wizard. */
  firstRun: z.boolean(),
  storage: z.object({ protection: CredentialProtection, note: z.string().nullable() }),
});
export type ProfilesState = z.infer<typeof ProfilesState>;

const urlFor = (service: ProfileServiceKey) => {
  const { protocols, example } = SERVICE_URLS[service];
  return z
    .string()
    .trim()
    .min(1)
    .max(2000)
    .refine((v) => {
      try {
        const u = new URL(v);
        return protocols.includes(u.protocol) && u.hostname !== '';
      } catch {
        return false;
      }
    }, `a ${protocols.map((p) => p.replace(':', '')).join(' or ')} URL, e.g. ${example}`);
};

/**
 * One service as typed. `url` may carry a password (pasted from elsewhere): the engine moves it into
 * the sealed secret and never stores it in the URL. `secret`: a new password or key; left out keeps
 * the stored one; null removes it.
 */
const endpointInput = (service: ProfileServiceKey) =>
  z.strictObject({ url: urlFor(service).nullable(), secret: z.string().min(1).max(4000).nullable().optional() });

export const ProfileServicesInput = z
  .strictObject({
    postgres: endpointInput('postgres').optional(),
    postgresReplica: endpointInput('postgresReplica').optional(),
    rabbitmq: endpointInput('rabbitmq').optional(),
    rabbitmqManagement: endpointInput('rabbitmqManagement').optional(),
    redis: endpointInput('redis').optional(),
    qdrant: endpointInput('qdrant').optional(),
  })
  .default({});
export type ProfileServicesInput = z.input<typeof ProfileServicesInput>;

/** base64 of 32 bytes, as `openssl rand -base64 32` prints it. */
export const SecretKeyText = z.string().trim().regex(/^[A-Za-z0-9+/]{43}=$/, 'the platform key is 32 bytes in base64 (the SLUICE_SECRET_KEY of its servers)');

export const ProfileInput = z
  .strictObject({
    /** Set to change a saved profile; absent to create one. */
    id: ProfileId.optional(),
    name: z.string().trim().min(1, 'give the profile a name').max(60, 'at most 60 characters'),
    kind: z.enum(['local', 'remote']),
    role: Role.default('admin'),
    services: ProfileServicesInput,
    /** The platform's SLUICE_SECRET_KEY (write-only): left out keeps it, null removes it (this machine's own key is used). */
    secretKey: SecretKeyText.nullable().optional(),
  })
  .refine((p) => p.kind === 'local' || p.services.postgres?.url, { message: 'a platform profile needs at least the Postgres URL', path: ['services', 'postgres', 'url'] })
  .refine((p) => p.kind === 'remote' || Object.values(p.services).every((s) => s === undefined || s.url === null), {
    message: 'the local stack finds its own endpoints: leave the service URLs empty',
    path: ['services'],
  });
export type ProfileInput = z.input<typeof ProfileInput>;

export const ServiceCheck = z.object({
  service: ProfileServiceKey,
  state: z.enum(['up', 'down', 'not_configured']),
  version: z.string().nullable(),
  latencyMs: z.number().nonnegative().nullable(),
  /** Where it looked, credentials removed. */
  target: z.string().nullable(),
  /** What works (with any caveat), or precisely what failed and what to do. */
  message: z.string(),
});
export type ServiceCheck = z.infer<typeof ServiceCheck>;

export const ProfileTestInput = z
  .strictObject({
    /** A saved profile (its stored secrets fill what a draft leaves out). */
    id: ProfileId.nullable().default(null),
    /** The form's services, unsaved (desktop only). */
    draft: ProfileServicesInput.nullable().default(null),
    /** Only these services; default: every configured one. */
    services: z.array(ProfileServiceKey).max(6).optional(),
  })
  .refine((t) => t.id !== null || t.draft !== null, { message: 'name a saved profile (id) or send the form values (draft)', path: ['id'] });

export const profilesMethods = {
  'profiles.list': defineMethod({
    summary: 'Connection profiles of this console (never a credential), the active one, and how credentials are protected here',
    mutates: false,
    input: z.strictObject({}),
    output: ProfilesState,
  }),
  // The desktop user owns this machine's profiles whatever role a profile grants on the platform:
  // a viewer profile must still be able to switch back. `sluice serve` refuses these (read-only).
  'profiles.save': defineMethod({
    summary: 'Create or change a desktop profile; credentials are sealed with the OS keychain and never returned',
    mutates: true,
    role: 'viewer',
    input: ProfileInput,
    output: ProfileView,
  }),
  'profiles.delete': defineMethod({
    summary: 'Delete a desktop profile and its sealed credentials (not the active one)',
    mutates: true,
    role: 'viewer',
    input: z.strictObject({ id: ProfileId }),
    output: z.object({ id: ProfileId, deleted: z.literal(true) }),
  }),
  'profiles.activate': defineMethod({
    summary: 'Switch to a profile: the engine restarts against its services and consoles get session.changed',
    mutates: true,
    role: 'viewer',
    input: z.strictObject({ id: ProfileId }),
    output: z.object({ profile: ProfileView, message: z.string() }),
  }),
  'profiles.test': defineMethod({
    summary: 'Connect to each service of a profile (or of the unsaved form) and say precisely what works and what does not',
    mutates: false,
    input: ProfileTestInput,
    output: z.object({ ok: z.boolean(), checks: z.array(ServiceCheck), durationMs: z.number().nonnegative() }),
  }),
};
