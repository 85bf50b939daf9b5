import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';

import { z } from 'zod';

import { ProfileServicesInput, SecretKeyText } from '../../shared/contract/profiles';
import { ConfigError, type EngineConfig } from '../engine/config';
import { configFromProfile } from './config';
import { splitSecret } from './credentials';
import { emptyServices, SERVICE_KEYS, type ResolvedProfile } from './model';
import { ownerOnlyProblem } from './owner-only';

/**
 * `sluice serve --profile FILE` and `sluice worker --profile FILE`: the platform's services in a
 * JSON file kept owner-only (a group- or world-readable file is refused, with the chmod that fixes
 * it). A service is a URL, or `{ "url": ..., "secret": ... }` with the password (Qdrant: API key)
 * apart. Values in the file win over the environment; what the file leaves out comes from it.
 *
 *   { "name": "production",
 *     "services": { "postgres": { "url": "postgres://sluice@db:5432/sluice", "secret": "…" },
 *                   "rabbitmq": "amqp://sluice:…@mq:5672", "redis": "redis://:…@redis:6379" },
 *     "secretKey": "<base64 of 32 bytes>" }
 */
const FileEndpoint = z.union([z.string(), z.strictObject({ url: z.string(), secret: z.string().min(1).optional() })]);

const ProfileFileSchema = z.strictObject({
  name: z.string().trim().min(1).max(60),
  services: z.strictObject(Object.fromEntries(SERVICE_KEYS.map((k) => [k, FileEndpoint.optional()])) as Record<(typeof SERVICE_KEYS)[number], z.ZodOptional<typeof FileEndpoint>>),
  secretKey: SecretKeyText.optional(),
});

const fail = (path: string, what: string): never => {
  throw new ConfigError(`The profile file ${path} ${what}`);
};

export const loadProfileFile = (path: string): ResolvedProfile => {
  if (!existsSync(path)) fail(path, 'does not exist: check the path given to --profile.');
  const problem = ownerOnlyProblem(path, 'The profile file');
  if (problem) throw new ConfigError(problem);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    fail(path, `is not valid JSON (${error instanceof Error ? error.message : String(error)}): fix it and start again.`);
  }
  const parsed = ProfileFileSchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    fail(path, `is wrong at ${i?.path.join('.') || '(root)'}: ${i?.message ?? 'unknown problem'}. Fix it and start again.`);
  }
  const file = parsed.data as z.infer<typeof ProfileFileSchema>;
  // The same URL rules as the console's profile form, so both say the same thing about a bad URL.
  const typed = Object.fromEntries(
    Object.entries(file.services).flatMap(([k, v]) => (v === undefined ? [] : [[k, typeof v === 'string' ? { url: v } : { url: v.url, ...(v.secret ? { secret: v.secret } : {}) }]])),
  );
  const checked = ProfileServicesInput.safeParse(typed);
  if (!checked.success) {
    const i = checked.error.issues[0];
    fail(path, `has a bad URL at services.${i?.path.join('.') ?? ''}: ${i?.message ?? 'invalid'}. Fix it and start again.`);
  }
  const services = emptyServices();
  for (const [key, endpoint] of Object.entries(checked.data ?? {}) as [keyof typeof services, { url: string | null; secret?: string | null } | undefined][]) {
    if (!endpoint?.url) continue;
    const split = key === 'qdrant' ? { url: endpoint.url, secret: null } : splitSecret(endpoint.url);
    services[key] = { url: split.url, secret: split.secret ?? endpoint.secret ?? null };
  }
  const id = basename(path).replace(/\.json$/i, '').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48) || 'profile';
  return { id, name: file.name, kind: 'file', role: 'admin', services, secretKey: file.secretKey ?? null };
};

/** The config of `--profile FILE`: the file's services over the environment's. */
export const applyProfileFile = (base: EngineConfig, path: string | undefined): EngineConfig => {
  if (!path) return base;
  const profile = loadProfileFile(path);
  const fromFile = configFromProfile(base, profile);
  return {
    ...fromFile,
    databaseUrl: fromFile.databaseUrl ?? base.databaseUrl,
    databaseReplicaUrl: fromFile.databaseReplicaUrl ?? base.databaseReplicaUrl,
    rabbitmqUrl: fromFile.rabbitmqUrl ?? base.rabbitmqUrl,
    rabbitmqManagementUrl: fromFile.rabbitmqManagementUrl ?? base.rabbitmqManagementUrl,
    redisUrl: fromFile.redisUrl ?? base.redisUrl,
    qdrantUrl: fromFile.qdrantUrl ?? base.qdrantUrl,
    qdrantApiKey: fromFile.qdrantApiKey ?? base.qdrantApiKey,
  };
};
