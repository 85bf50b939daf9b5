import type { MethodInput } from '../../../../shared/contract/api';
import { ProfileInput, ProfileServiceKey, SERVICE_URLS, type ProfileView } from '../../../../shared/contract/profiles';
import type { Role } from '../../../../shared/contract/roles';

/**
 * The profile form's values and how they become a `profiles.save` call. Credentials are write-only:
 * the form starts with every secret empty, an empty secret keeps what is stored, and the form never
 * holds a stored secret (it has none to hold: the engine sends hints only).
 */
export const SERVICES = ProfileServiceKey.options;

export interface ProfileFormValues {
  name: string;
  kind: 'local' | 'remote';
  role: Role;
  services: Record<ProfileServiceKey, { url: string; secret: string; clearSecret: boolean }>;
  /** The platform's SLUICE_SECRET_KEY, typed; empty keeps the stored one. */
  secretKey: string;
  clearSecretKey: boolean;
}

export const emptyProfileValues = (kind: 'local' | 'remote' = 'remote'): ProfileFormValues => ({
  name: kind === 'local' ? 'Local' : '',
  kind,
  role: 'admin',
  services: Object.fromEntries(SERVICES.map((k) => [k, { url: '', secret: '', clearSecret: false }])) as ProfileFormValues['services'],
  secretKey: '',
  clearSecretKey: false,
});

export const valuesFromProfile = (p: ProfileView): ProfileFormValues => ({
  name: p.name,
  kind: p.kind === 'local' ? 'local' : 'remote',
  role: p.role,
  services: Object.fromEntries(SERVICES.map((k) => [k, { url: p.services[k].url ?? '', secret: '', clearSecret: false }])) as ProfileFormValues['services'],
  secretKey: '',
  clearSecretKey: false,
});

/** What the form sends: a typed secret replaces, "remove" clears, an empty one keeps the stored one. */
export const toServicesInput = (values: ProfileFormValues, saved: ProfileView | null): NonNullable<MethodInput<'profiles.save'>['services']> => {
  const services: Record<string, { url: string | null; secret?: string | null }> = {};
  for (const key of SERVICES) {
    const { url, secret, clearSecret } = values.services[key];
    const trimmed = url.trim();
    if (trimmed === '') {
      // Only say "remove" when there was something; never mention a service that was never set.
      if (saved?.services[key].url) services[key] = { url: null };
      continue;
    }
    services[key] = { url: trimmed, ...(secret !== '' ? { secret } : clearSecret ? { secret: null } : {}) };
  }
  return services;
};

export const toSaveInput = (values: ProfileFormValues, saved: ProfileView | null): MethodInput<'profiles.save'> => ({
  ...(saved ? { id: saved.id } : {}),
  name: values.name,
  kind: values.kind,
  role: values.role,
  services: values.kind === 'local' ? {} : toServicesInput(values, saved),
  ...(values.secretKey.trim() !== '' ? { secretKey: values.secretKey.trim() } : values.clearSecretKey ? { secretKey: null } : {}),
});

/** The form field an engine or contract issue belongs to (`services.postgres.url` → that input). */
export const fieldForIssue = (path: string): string | null => {
  if (path === 'name' || path === 'role' || path === 'secretKey') return path;
  const m = /^services\.([A-Za-z]+)\.(url|secret)$/.exec(path);
  if (m && (SERVICES as readonly string[]).includes(m[1]!)) return `services.${m[1]}.${m[2]}`;
  return null;
};

/** Checks the values with the contract's own schema before sending: issues by field. */
export const checkValues = (values: ProfileFormValues, saved: ProfileView | null): { path: string; message: string }[] => {
  const parsed = ProfileInput.safeParse(toSaveInput(values, saved));
  return parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
};

export const serviceLabel = (key: ProfileServiceKey): string => SERVICE_URLS[key].label;
export const serviceExample = (key: ProfileServiceKey): string => SERVICE_URLS[key].example;
export const secretLabel = (key: ProfileServiceKey): string => SERVICE_URLS[key].secretLabel;

/** What the secret field says about what is stored. */
export const secretHintText = (key: ProfileServiceKey, saved: ProfileView | null): string => {
  const stored = saved?.services[key];
  const label = secretLabel(key);
  const article = /^[aeiou]/i.test(label) ? 'An' : 'A';
  if (stored?.hasSecret) return `${article} ${label} is stored (${stored.secretHint ?? '…'}): type a new one to replace it, or leave empty to keep it.`;
  // Qdrant's key travels in a header, never in its URL.
  return `Optional. Stored sealed by this computer's keychain and never shown again.${key === 'qdrant' ? '' : ` ${article} ${label} pasted inside the URL is moved here.`}`;
};
