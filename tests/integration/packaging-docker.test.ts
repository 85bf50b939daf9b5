import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { repoRoot } from './supervisor-harness';

/**
 * Issue 11: the Dockerfile and docker-compose.yml cannot be built or started here (no Docker), so
 * their shape is checked: stages, base image, non-root user, entrypoint; every published port bound
 * to 127.0.0.1; the engine and worker services beside the platform services.
 */
// js-yaml through electron-builder's own dependency (it reads electron-builder.yml with it).
const yaml = createRequire(createRequire(import.meta.url).resolve('app-builder-lib'))('js-yaml') as { load(text: string): unknown };

interface Service {
  image?: string;
  build?: unknown;
  profiles?: string[];
  command?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { disable?: boolean };
}

const compose = yaml.load(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
/** Instructions with their arguments, continuation lines joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => {
    const [word, ...rest] = l.split(/\s+/);
    return { op: word!.toUpperCase(), args: rest.join(' ') };
  });

describe('Dockerfile', () => {
  it('is multi-stage on node:20-slim, with production dependencies only in what runs', () => {
    const stages = instructions.filter((i) => i.op === 'FROM').map((i) => i.args);
    expect(stages).toEqual(['node:20-slim AS deps', 'node:20-slim AS build', 'node:20-slim AS runtime']);
    const runs = instructions.filter((i) => i.op === 'RUN').map((i) => i.args);
    expect(runs.some((r) => r.includes('npm ci --omit=dev'))).toBe(true);
    expect(runs.some((r) => r.includes('npm run build'))).toBe(true);
    const runtime = instructions.slice(instructions.findIndex((i) => i.args === 'node:20-slim AS runtime'));
    const copies = runtime.filter((i) => i.op === 'COPY').map((i) => i.args);
    expect(copies).toContain('--from=deps /app/node_modules ./node_modules');
    expect(copies.some((c) => c.includes('--from=build /app/out'))).toBe(true);
    // Nothing from the build stage's node_modules (dev dependencies) reaches the runtime.
    expect(copies.some((c) => c.startsWith('--from=build /app/node_modules'))).toBe(false);
  });

  it('runs as a non-root user, with the CLI as entrypoint and serve by default', () => {
    const runtime = instructions.slice(instructions.findIndex((i) => i.args === 'node:20-slim AS runtime'));
    const users = runtime.filter((i) => i.op === 'USER').map((i) => i.args);
    expect(users).toEqual(['sluice']);
    expect(runtime.some((i) => i.op === 'RUN' && /useradd .*--uid 10001 .*sluice/.test(i.args))).toBe(true);
    // USER comes before the entrypoint, so nothing in the image runs as root.
    const userAt = runtime.findIndex((i) => i.op === 'USER');
    expect(userAt).toBeLessThan(runtime.findIndex((i) => i.op === 'ENTRYPOINT'));
    expect(JSON.parse(runtime.find((i) => i.op === 'ENTRYPOINT')!.args)).toEqual(['node', 'bin/sluice.js']);
    expect(JSON.parse(runtime.find((i) => i.op === 'CMD')!.args)).toEqual(['serve']);
    expect(runtime.some((i) => i.op === 'HEALTHCHECK' && i.args.includes('/healthz'))).toBe(true);
  });

  it('copies only what exists, and leaves build output and secrets out of the context', () => {
    const ignore = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['node_modules', 'out', '.git', '.env']) expect(ignore).toContain(entry);
    for (const path of ['bin/sluice.js', 'package.json', 'package-lock.json', 'migrations']) expect(() => readFileSync(join(repoRoot, path)), path).not.toThrow(/ENOENT/);
  });
});

describe('docker-compose.yml', () => {
  it('binds every published port to 127.0.0.1', () => {
    const ports = Object.entries(compose.services).flatMap(([name, s]) => (s.ports ?? []).map((p) => [name, p] as const));
    expect(ports.length).toBeGreaterThan(5);
    for (const [name, port] of ports) expect(port, name).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });

  it('runs the engine and worker from the image beside the services, opt-in with the platform profile', () => {
    const { engine, worker } = compose.services;
    expect(engine).toMatchObject({ profiles: ['platform'], image: 'sluice:local', ports: ['127.0.0.1:7420:7420'] });
    expect(engine?.build).toMatchObject({ dockerfile: 'Dockerfile' });
    expect(engine?.command?.[0]).toBe('serve');
    expect(worker).toMatchObject({ profiles: ['platform'], image: 'sluice:local', healthcheck: { disable: true } });
    expect(worker?.command?.[0]).toBe('worker');
    expect(worker?.ports).toBeUndefined();
    for (const s of [engine, worker]) {
      // Service names, not loopback: inside the compose network the services are other containers.
      expect(s?.environment).toMatchObject({ DATABASE_URL: expect.stringContaining('@postgres:5432/'), RABBITMQ_URL: expect.stringContaining('@rabbitmq:5672'), REDIS_URL: expect.stringContaining('@redis:6379') });
      // The sealing key is required, never defaulted in the file.
      expect(s?.environment?.['SLUICE_SECRET_KEY']).toMatch(/^\$\{SLUICE_SECRET_KEY:\?/);
    }
    // The engine's own threads are off; the worker service does that work.
    expect(engine?.environment?.['SLUICE_WORKERS']).toBe('off');
    expect(engine?.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' }, rabbitmq: { condition: 'service_healthy' } });
    expect(worker?.depends_on).toMatchObject({ engine: { condition: 'service_healthy' } });
    // The platform services still start without the profile.
    for (const name of ['postgres', 'rabbitmq', 'redis', 'qdrant']) expect(compose.services[name]?.profiles, name).toBeUndefined();
    expect(Object.keys(compose.volumes)).toContain('engine-home');
  });
});
