import { homedir } from 'node:os';
import { join } from 'node:path';

import { z } from 'zod';

import { parseVectorEnv, type VectorConfig } from './vectors/config';

/**
 * Engine configuration from environment variables, validated once at start. A bad value stops the
 * process with a message naming the variable, what is wrong and an example of a good value.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const urlWith = (protocols: string[], example: string) =>
  z
    .string()
    .trim()
    .refine((v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, `must be a ${protocols.map((p) => p.replace(':', '')).join(' or ')} URL, e.g. ${example}`);

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const EnvSchema = z.object({
  DATABASE_URL: optional(urlWith(['postgres:', 'postgresql:'], 'postgres://user:pass@127.0.0.1:5432/sluice')),
  DATABASE_REPLICA_URL: optional(urlWith(['postgres:', 'postgresql:'], 'postgres://reader:pass@replica.internal:5432/sluice')),
  RABBITMQ_URL: optional(urlWith(['amqp:', 'amqps:'], 'amqp://guest:guest@127.0.0.1:5672')),
  RABBITMQ_MANAGEMENT_URL: optional(urlWith(['http:', 'https:'], 'http://guest:guest@127.0.0.1:15672')),
  REDIS_URL: optional(urlWith(['redis:', 'rediss:'], 'redis://127.0.0.1:6379')),
  QDRANT_URL: optional(urlWith(['http:', 'https:'], 'http://127.0.0.1:6333')),
  QDRANT_API_KEY: optional(z.string()),
  SLUICE_HOME: optional(z.string().min(1)),
  SLUICE_HOST: optional(z.string().min(1)),
  SLUICE_PORT: optional(z.coerce.number().int().min(0).max(65535)),
  SLUICE_TOKEN: optional(z.string().min(16, 'must be at least 16 characters')),
  SLUICE_USERS_FILE: optional(z.string().min(1)),
  SLUICE_PUBLIC_HOSTS: optional(
    z
      .string()
      .trim()
      .regex(/^([a-z0-9.-]+|\[[0-9a-f:]+\])(:\d{1,5})?(,([a-z0-9.-]+|\[[0-9a-f:]+\])(:\d{1,5})?)*$/i, 'must be host names as a browser sends them, comma-separated, e.g. "sluice.example.com" or "sluice.example.com:8443"'),
  ),
  SLUICE_SECRET_KEY: optional(z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes in base64 (openssl rand -base64 32)')),
  SLUICE_HEALTH_INTERVAL_MS: optional(z.coerce.number().int().min(250).max(600_000)),
  SLUICE_WORKERS: optional(
    z
      .string()
      .trim()
      .regex(/^(off|\d+|((extract|transform|load|vectorize)=\d+)(,(extract|transform|load|vectorize)=\d+)*)$/, 'must be "off", a thread count per stage ("2"), or per stage ("extract=1,transform=2,load=2,vectorize=1")'),
  ),
});

export interface EngineConfig {
  readonly databaseUrl: string | null;
  /** A read replica for the console's read-only calls (writes always go to databaseUrl); null = none. */
  readonly databaseReplicaUrl: string | null;
  readonly rabbitmqUrl: string | null;
  readonly rabbitmqManagementUrl: string | null;
  readonly redisUrl: string | null;
  readonly qdrantUrl: string | null;
  readonly qdrantApiKey: string | null;
  /** Where Sluice keeps its state: stack data, serve token, local raw cache. */
  readonly home: string;
  /**
   * `publicHosts`: the names a reverse proxy in front of `sluice serve` is reached by (SLUICE_PUBLIC_HOSTS);
   * the Host and Origin checks accept them beside the bound address.
   */
  readonly serve: { readonly host: string; readonly port: number; readonly token: string | null; readonly publicHosts?: readonly string[] };
  /** Named users with roles for `sluice serve` (`sluice users`): SLUICE_USERS_FILE or `<home>/users.json`. */
  readonly usersFile: string;
  readonly healthIntervalMs: number;
  /** Worker threads this engine runs per stage; null = off (SLUICE_WORKERS=off). */
  readonly workers: Readonly<Record<WorkerStage, number>> | null;
  /** Seals integration secrets (base64, 32 bytes); null = `<home>/secret.key`, created once. */
  readonly secretKey: string | null;
  /** The embedder and the collection prefix (SLUICE_EMBEDDINGS*, SLUICE_QDRANT_PREFIX); used only with QDRANT_URL. */
  readonly vectors: VectorConfig;
  /** The connection profile these URLs came from (main/profiles); absent: the environment. */
  readonly profile?: { readonly id: string; readonly name: string; readonly kind: 'local' | 'remote' | 'environment' | 'file' };
}

export const DEFAULT_SERVE_PORT = 7420;

export const defaultHome = (): string => join(homedir(), '.sluice');

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): EngineConfig => {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
    throw new ConfigError(`Invalid configuration: ${lines.join('; ')}. Fix the environment variable and start again.`);
  }
  const e = parsed.data;
  const vectors = parseVectorEnv(env);
  if (!vectors.ok) throw new ConfigError(`Invalid configuration: ${vectors.issues.join('; ')}. Fix the environment variable and start again.`);
  return {
    databaseUrl: e.DATABASE_URL ?? null,
    databaseReplicaUrl: e.DATABASE_REPLICA_URL ?? null,
    rabbitmqUrl: e.RABBITMQ_URL ?? null,
    rabbitmqManagementUrl: e.RABBITMQ_MANAGEMENT_URL ?? null,
    redisUrl: e.REDIS_URL ?? null,
    qdrantUrl: e.QDRANT_URL ?? null,
    qdrantApiKey: e.QDRANT_API_KEY ?? null,
    home: e.SLUICE_HOME ?? defaultHome(),
    usersFile: e.SLUICE_USERS_FILE ?? join(e.SLUICE_HOME ?? defaultHome(), 'users.json'),
    serve: {
      host: e.SLUICE_HOST ?? '127.0.0.1',
      port: e.SLUICE_PORT ?? DEFAULT_SERVE_PORT,
      token: e.SLUICE_TOKEN ?? null,
      publicHosts: e.SLUICE_PUBLIC_HOSTS ? e.SLUICE_PUBLIC_HOSTS.split(',').map((h) => h.toLowerCase()) : [],
    },
    healthIntervalMs: e.SLUICE_HEALTH_INTERVAL_MS ?? 3000,
    secretKey: e.SLUICE_SECRET_KEY ?? null,
    workers: parseWorkers(e.SLUICE_WORKERS ?? '1'),
    vectors: vectors.value,
  };
};

export type WorkerStage = 'extract' | 'transform' | 'load' | 'vectorize';

/** "off" | "2" (every stage) | "extract=1,transform=2" (unnamed stages get 0). Already validated by the schema. */
const parseWorkers = (value: string): Record<WorkerStage, number> | null => {
  if (value === 'off') return null;
  if (/^\d+$/.test(value)) {
    const n = Number(value);
    return { extract: n, transform: n, load: n, vectorize: n };
  }
  const counts: Record<WorkerStage, number> = { extract: 0, transform: 0, load: 0, vectorize: 0 };
  for (const part of value.split(',')) {
    const [stage, n] = part.split('=') as [WorkerStage, string];
    counts[stage] = Number(n);
  }
  return counts;
};
