import { describe, expect, it, vi } from 'vitest';

import { loadConfig } from '../config';
import { EventHub } from '../events';
import { HealthMonitor } from './monitor';

const config = loadConfig({ DATABASE_URL: 'postgres://u:p@127.0.0.1:1/db', REDIS_URL: 'redis://127.0.0.1:2' });

describe('HealthMonitor', () => {
  it('probes every service in parallel and marks unset ones not configured', async () => {
    const probes = { postgres: vi.fn(async () => ({ version: '16.1' })), redis: vi.fn(async () => ({ version: '7.0.15' })) };
    const monitor = new HealthMonitor(config, new EventHub(), { mode: 'desktop', engineVersion: '9.9.9', intervalMs: 1000, probes });
    const report = await monitor.report();
    expect(report.services.map((s) => [s.service, s.state])).toEqual([
      ['postgres', 'up'],
      ['rabbitmq', 'not_configured'],
      ['redis', 'up'],
      ['qdrant', 'not_configured'],
    ]);
    expect(report).toMatchObject({ mode: 'desktop', engineVersion: '9.9.9' });
  });

  it('shares one round of probes between concurrent callers', async () => {
    const postgres = vi.fn(async () => ({ version: '16' }));
    const monitor = new HealthMonitor(config, new EventHub(), { mode: 'headless', engineVersion: '1', intervalMs: 1000, probes: { postgres, redis: async () => ({ version: '7' }) } });
    await Promise.all([monitor.report(), monitor.report(), monitor.report()]);
    expect(postgres).toHaveBeenCalledTimes(1);
  });

  it('pushes reports only while someone listens', async () => {
    vi.useFakeTimers();
    try {
      const hub = new EventHub();
      const postgres = vi.fn(async () => ({ version: '16' }));
      const monitor = new HealthMonitor(config, hub, { mode: 'headless', engineVersion: '1', intervalMs: 500, probes: { postgres, redis: async () => ({ version: '7' }) } });
      monitor.start();
      await vi.advanceTimersByTimeAsync(1600);
      expect(postgres).not.toHaveBeenCalled();
      const received: string[] = [];
      const off = hub.subscribe((event) => received.push(event));
      await vi.advanceTimersByTimeAsync(1100);
      expect(received.length).toBeGreaterThanOrEqual(2);
      expect(received.every((e) => e === 'system.health')).toBe(true);
      off();
      monitor.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
