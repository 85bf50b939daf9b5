import { describe, expect, it } from 'vitest';

import { checkService } from './probe';

const fixed = () => new Date('2026-01-02T03:04:05.000Z');

describe('checkService', () => {
  it('reports not_configured with the variable to set when there is no URL', async () => {
    const h = await checkService('qdrant', null, () => Promise.reject(new Error('never called')), 100, fixed);
    expect(h).toMatchObject({ state: 'not_configured', version: null, latencyMs: null, target: null });
    expect(h.message).toContain('QDRANT_URL');
  });

  it('reports up with version, latency and a redacted target', async () => {
    const h = await checkService('rabbitmq', 'amqp://guest:pw@127.0.0.1:5672', async () => ({ version: '3.10.8' }), 1000, fixed);
    expect(h.state).toBe('up');
    expect(h.version).toBe('3.10.8');
    expect(h.latencyMs).toBeGreaterThanOrEqual(0);
    expect(h.target).toBe('amqp://guest:***@127.0.0.1:5672');
    expect(h.checkedAt).toBe('2026-01-02T03:04:05.000Z');
  });

  it('reports down with the cause and what to do, never the password', async () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5672'), { code: 'ECONNREFUSED' });
    const h = await checkService('rabbitmq', 'amqp://guest:pw@127.0.0.1:5672', () => Promise.reject(err), 1000, fixed);
    expect(h.state).toBe('down');
    expect(h.message).toContain('ECONNREFUSED');
    expect(h.message).toContain('sluice stack up');
    expect(h.message).not.toContain('pw@');
  });

  it('reports a hung service as down after the timeout', async () => {
    const h = await checkService('redis', 'redis://127.0.0.1:1', () => new Promise(() => undefined), 50, fixed);
    expect(h.state).toBe('down');
    expect(h.message).toMatch(/no answer within 50 ms/);
  });
});
