import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ConfigError, loadConfig } from '../engine/config';
import { profileFromConfig } from './config';
import { applyProfileFile, loadProfileFile } from './profile-file';

const KEY = 'q3+pY0b7Wm1c4n8Vx2Lr5sT9uZ6aB0dE3fG7hJ1kM4o=';

const write = (body: unknown, mode = 0o600): string => {
  const path = join(mkdtempSync(join(tmpdir(), 'sluice-pfile-')), 'Production.json');
  writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body), { mode });
  chmodSync(path, mode);
  return path;
};

const good = {
  name: 'production',
  services: {
    postgres: { url: 'postgres://sluice@db.prod:5432/sluice', secret: 'pg-pass-word-long-9Z' },
    rabbitmq: 'amqp://sluice:mq%40pw@mq.prod:5672',
    redis: 'redis://:redis-pw@redis.prod:6379',
    qdrant: { url: 'https://qdrant.prod:6333', secret: 'qdrant-api-key' },
  },
  secretKey: KEY,
};

describe('sluice serve --profile FILE', () => {
  it('reads the services and keeps secrets apart from the URLs', () => {
    const profile = loadProfileFile(write(good));
    expect(profile).toMatchObject({ id: 'production', name: 'production', kind: 'file', role: 'admin', secretKey: KEY });
    expect(profile.services.postgres).toEqual({ url: 'postgres://sluice@db.prod:5432/sluice', secret: 'pg-pass-word-long-9Z' });
    expect(profile.services.rabbitmq).toEqual({ url: 'amqp://sluice@mq.prod:5672', secret: 'mq@pw' });
    expect(profile.services.qdrant).toEqual({ url: 'https://qdrant.prod:6333', secret: 'qdrant-api-key' });
    expect(profile.services.postgresReplica).toEqual({ url: null, secret: null });
  });

  it('configures the engine from the file over the environment, and labels the profile', () => {
    const base = loadConfig({ DATABASE_URL: 'postgres://env@env-db:5432/env', RABBITMQ_MANAGEMENT_URL: 'http://guest:guest@env-mq:15672', SLUICE_HOME: '/tmp/sluice-pfile-home' });
    const config = applyProfileFile(base, write(good));
    expect(config.databaseUrl).toBe('postgres://sluice:pg-pass-word-long-9Z@db.prod:5432/sluice');
    expect(config.rabbitmqUrl).toBe('amqp://sluice:mq%40pw@mq.prod:5672');
    // Left out of the file: the environment's.
    expect(config.rabbitmqManagementUrl).toBe('http://guest:guest@env-mq:15672');
    expect(config.qdrantApiKey).toBe('qdrant-api-key');
    expect(config.secretKey).toBe(KEY);
    expect(config.profile).toEqual({ id: 'production', name: 'production', kind: 'file' });
    // The console's view of it (session.info, profiles.list) comes from the same label.
    expect(profileFromConfig(config)).toMatchObject({ id: 'production', kind: 'file' });
    expect(applyProfileFile(base, undefined)).toBe(base);
  });

  it.skipIf(process.platform === 'win32')('refuses a file the group or others can read, with the chmod that fixes it', () => {
    for (const mode of [0o640, 0o604, 0o644]) {
      const path = write(good, mode);
      expect(() => loadProfileFile(path)).toThrow(ConfigError);
      expect(() => loadProfileFile(path)).toThrow(`The profile file ${path} is readable by other users (mode ${mode.toString(8)}): run \`chmod 600 ${path}\` and start again.`);
    }
  });

  it('says what is wrong with a missing, broken or mistyped file', () => {
    expect(() => loadProfileFile('/nonexistent/p.json')).toThrow('The profile file /nonexistent/p.json does not exist: check the path given to --profile.');
    expect(() => loadProfileFile(write('{ nope'))).toThrow(/is not valid JSON .*fix it and start again/);
    expect(() => loadProfileFile(write({ name: 'x', services: { postgress: 'postgres://a@b/c' } }))).toThrow(/is wrong at services: Unrecognized key/);
    expect(() => loadProfileFile(write({ name: 'x', services: { redis: 'http://redis:6379' } }))).toThrow(/has a bad URL at services.redis.url: a redis or rediss URL, e.g. redis:\/\/redis.internal:6379/);
    expect(() => loadProfileFile(write({ name: 'x', services: {}, secretKey: 'short' }))).toThrow(/secretKey: the platform key is 32 bytes in base64/);
  });
});
