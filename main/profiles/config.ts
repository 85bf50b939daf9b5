import type { EngineConfig } from '../engine/config';
import type { StackEndpoints } from '../stack/stack';
import { joinSecret, splitSecret } from './credentials';
import { emptyServices, type ResolvedProfile } from './model';

/**
 * The engine configuration of a profile: the profile's service URLs with their secrets put back,
 * over the process settings (home, worker counts, health interval...) that no profile changes.
 * The local stack's endpoints are known only once it runs, so they come in separately.
 */
export const configFromProfile = (base: EngineConfig, profile: ResolvedProfile, local: StackEndpoints | null = null): EngineConfig => {
  const label = { id: profile.id, name: profile.name, kind: profile.kind };
  if (profile.kind === 'local') {
    if (!local) throw new Error('the local stack endpoints are needed for a local profile');
    return {
      ...base,
      databaseUrl: local.databaseUrl,
      databaseReplicaUrl: null,
      rabbitmqUrl: local.rabbitmqUrl,
      rabbitmqManagementUrl: local.rabbitmqManagementUrl,
      redisUrl: local.redisUrl,
      qdrantUrl: base.qdrantUrl,
      qdrantApiKey: base.qdrantApiKey,
      profile: label,
    };
  }
  const s = profile.services;
  const full = (key: keyof typeof s): string | null => (s[key].url ? joinSecret(key, s[key].url, s[key].secret) : null);
  return {
    ...base,
    databaseUrl: full('postgres'),
    databaseReplicaUrl: full('postgresReplica'),
    rabbitmqUrl: full('rabbitmq'),
    rabbitmqManagementUrl: full('rabbitmqManagement'),
    redisUrl: full('redis'),
    qdrantUrl: s.qdrant.url,
    qdrantApiKey: s.qdrant.secret,
    secretKey: profile.secretKey ?? base.secretKey,
    profile: label,
  };
};

/** The environment (DATABASE_URL & co.) as a read-only profile, so the console shows where it is connected. */
export const profileFromConfig = (config: EngineConfig): ResolvedProfile => {
  const services = emptyServices();
  const put = (key: keyof typeof services, url: string | null): void => {
    if (url) services[key] = splitSecret(url);
  };
  put('postgres', config.databaseUrl);
  put('postgresReplica', config.databaseReplicaUrl);
  put('rabbitmq', config.rabbitmqUrl);
  put('rabbitmqManagement', config.rabbitmqManagementUrl);
  put('redis', config.redisUrl);
  if (config.qdrantUrl) services.qdrant = { url: config.qdrantUrl, secret: config.qdrantApiKey };
  const label = config.profile ?? { id: 'environment', name: 'Environment', kind: 'environment' as const };
  return { ...label, role: 'admin', services, secretKey: config.secretKey };
};

/** Whether the process environment names any service (then the desktop starts with it). */
export const environmentNamesServices = (config: EngineConfig): boolean =>
  Boolean(config.databaseUrl || config.rabbitmqUrl || config.redisUrl || config.qdrantUrl || config.databaseReplicaUrl);
