import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

import type { z } from 'zod';

import { ApiError } from '../../shared/contract/errors';
import type { ProfileInput, ProfileServiceKey, ProfileView } from '../../shared/contract/profiles';
import { credentialHint, splitSecret } from './credentials';
import { emptyServices, ProfilesFile, SERVICE_KEYS, type ResolvedProfile, type StoredEndpoint, type StoredProfile } from './model';
import { ownerOnlyProblem, writeOwnerOnly } from './owner-only';
import type { CredentialSealer } from './sealer';

export type ParsedProfileInput = z.output<typeof ProfileInput>;

export class ProfileFileError extends Error {
  override readonly name = 'ProfileFileError';
}

const EMPTY: StoredEndpoint = { url: null, sealed: null, hint: null };

/** The public id of a platform key: the same 8 hex digits main/engine/secrets/key.ts stores with each sealed token. */
export const secretKeyId = (base64: string): string => createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex').slice(0, 8);

const slug = (name: string): string =>
  name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40) || 'profile';

/**
 * The desktop's connection profiles: one JSON file in the user-data folder (owner-only), with every
 * password and key sealed by the OS keychain through the sealer. Nothing here ever returns a secret
 * to a caller except `resolve`, which the engine host uses to configure the engine in memory.
 */
export class ProfileStore {
  constructor(
    private readonly path: string,
    private readonly sealer: CredentialSealer,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The whole file; an absent file is a fresh install (no profiles, nothing active). */
  read(): ProfilesFile {
    if (!existsSync(this.path)) return { version: 1, activeId: null, profiles: [] };
    const problem = ownerOnlyProblem(this.path, 'The profiles file');
    if (problem) throw new ProfileFileError(problem);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch (error) {
      throw new ProfileFileError(`The profiles file ${this.path} is damaged (${error instanceof Error ? error.message : String(error)}): fix it, or move it away to start with no profiles.`);
    }
    const parsed = ProfilesFile.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new ProfileFileError(`The profiles file ${this.path} is damaged at ${first?.path.join('.') || '(root)'} (${first?.message ?? 'unknown problem'}): fix it, or move it away to start with no profiles.`);
    }
    return parsed.data;
  }

  get(id: string): StoredProfile | null {
    return this.read().profiles.find((p) => p.id === id) ?? null;
  }

  /** Creates (no id) or changes (id) a profile; see ProfileInput for what absent, null and a value mean. */
  async save(input: ParsedProfileInput): Promise<StoredProfile> {
    const file = this.read();
    const existing = input.id ? file.profiles.find((p) => p.id === input.id) : undefined;
    if (input.id && !existing) throw new ApiError('not_found', `There is no profile "${input.id}"; reload the list.`);
    const clash = file.profiles.find((p) => p.id !== existing?.id && p.name.toLowerCase() === input.name.toLowerCase());
    if (clash) throw new ApiError('conflict', `A profile named "${clash.name}" exists already; pick another name.`, [{ path: 'name', message: 'this name is taken' }]);

    const services = {} as Record<ProfileServiceKey, StoredEndpoint>;
    for (const key of SERVICE_KEYS) services[key] = await this.nextEndpoint(key, input, existing?.services[key] ?? EMPTY);
    const secretKey =
      input.secretKey === undefined ? (existing?.secretKey ?? null) : input.secretKey === null ? null : { sealed: await this.sealChecked(input.secretKey, 'secretKey'), keyId: secretKeyId(input.secretKey) };

    const at = this.now().toISOString();
    const profile: StoredProfile = {
      id: existing?.id ?? this.freeId(file, input.name),
      name: input.name,
      kind: input.kind,
      role: input.role,
      services,
      secretKey,
      createdAt: existing?.createdAt ?? at,
      updatedAt: at,
    };
    const profiles = existing ? file.profiles.map((p) => (p.id === profile.id ? profile : p)) : [...file.profiles, profile];
    this.write({ ...file, profiles });
    return profile;
  }

  delete(id: string, activeId: string | null): void {
    const file = this.read();
    if (!file.profiles.some((p) => p.id === id)) throw new ApiError('not_found', `There is no profile "${id}"; reload the list.`);
    if (id === activeId) throw new ApiError('conflict', 'This profile is the active one: switch to another profile first, then delete it.');
    this.write({ ...file, activeId: file.activeId === id ? null : file.activeId, profiles: file.profiles.filter((p) => p.id !== id) });
  }

  setActive(id: string | null): void {
    const file = this.read();
    if (id !== null && !file.profiles.some((p) => p.id === id)) throw new ApiError('not_found', `There is no profile "${id}"; reload the list.`);
    this.write({ ...file, activeId: id });
  }

  /** The profile with its secrets open, for the engine's configuration (memory only). */
  async resolve(id: string): Promise<ResolvedProfile> {
    const stored = this.get(id);
    if (!stored) throw new ApiError('not_found', `There is no profile "${id}"; reload the list.`);
    const services = emptyServices();
    let resealed = false;
    const reopened: Partial<Record<ProfileServiceKey, StoredEndpoint>> = {};
    for (const key of SERVICE_KEYS) {
      const endpoint = stored.services[key] ?? EMPTY;
      let secret: string | null = null;
      if (endpoint.sealed) {
        const opened = await this.openChecked(endpoint.sealed, stored.name);
        secret = opened.plain;
        // The OS rotated its key: seal again so the file keeps opening after the old key is gone.
        if (opened.reseal) {
          reopened[key] = { ...endpoint, sealed: await this.sealer.seal(secret) };
          resealed = true;
        }
      }
      services[key] = { url: endpoint.url, secret };
    }
    const secretKey = stored.secretKey ? (await this.openChecked(stored.secretKey.sealed, stored.name)).plain : null;
    if (resealed) {
      const file = this.read();
      this.write({ ...file, profiles: file.profiles.map((p) => (p.id === id ? { ...p, services: { ...p.services, ...reopened } } : p)) });
    }
    return { id: stored.id, name: stored.name, kind: stored.kind, role: stored.role, services, secretKey };
  }

  private async nextEndpoint(key: ProfileServiceKey, input: ParsedProfileInput, previous: StoredEndpoint): Promise<StoredEndpoint> {
    // The local stack finds its own endpoints each time it starts.
    if (input.kind === 'local') return EMPTY;
    const given = input.services[key];
    if (given === undefined) return previous;
    if (given.url === null) return EMPTY;
    const split = splitSecret(given.url);
    const secret = split.secret ?? given.secret;
    if (secret === undefined) return { url: split.url, sealed: previous.url ? previous.sealed : null, hint: previous.url ? previous.hint : null };
    if (secret === null) return { url: split.url, sealed: null, hint: null };
    return { url: split.url, sealed: await this.sealChecked(secret, `services.${key}.secret`), hint: credentialHint(secret) };
  }

  private async sealChecked(plain: string, field: string): Promise<string> {
    if ((await this.sealer.protection()) === 'unavailable') {
      throw new ApiError(
        'bad_request',
        'This computer offers no OS keychain Sluice can use, so credentials cannot be stored safely. Leave them out (a server that trusts this machine), or start Sluice from a terminal with DATABASE_URL and the other variables set.',
        [{ path: field, message: 'cannot be stored on this computer' }],
      );
    }
    return this.sealer.seal(plain);
  }

  private async openChecked(sealed: string, name: string): Promise<{ plain: string; reseal: boolean }> {
    try {
      return await this.sealer.open(sealed);
    } catch {
      throw new ApiError('bad_request', `The credentials of profile "${name}" cannot be opened with this computer's keychain (another user or machine sealed them, or the keychain was reset): enter them again.`);
    }
  }

  private freeId(file: ProfilesFile, name: string): string {
    const base = slug(name);
    const taken = new Set(file.profiles.map((p) => p.id));
    if (!taken.has(base)) return base;
    for (let n = 2; ; n += 1) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
  }

  private write(file: ProfilesFile): void {
    writeOwnerOnly(this.path, `${JSON.stringify(file, null, 2)}\n`);
  }
}

/** What the console sees of a stored profile: URLs and hints, never a secret. */
export const storedView = (p: StoredProfile, activeId: string | null): ProfileView => ({
  id: p.id,
  name: p.name,
  kind: p.kind,
  role: p.role,
  active: p.id === activeId,
  editable: true,
  services: Object.fromEntries(
    SERVICE_KEYS.map((k) => {
      const e = p.services[k] ?? EMPTY;
      return [k, { url: e.url, hasSecret: e.sealed !== null, secretHint: e.sealed !== null ? e.hint : null }];
    }),
  ) as ProfileView['services'],
  secretKey: { configured: p.secretKey !== null, keyId: p.secretKey?.keyId ?? null },
  updatedAt: p.updatedAt,
});
