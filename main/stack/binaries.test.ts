import { describe, expect, it } from 'vitest';
import { planInstall } from './binaries';

describe('planInstall', () => {
  it('does nothing when nothing is missing', () => {
    expect(planInstall([], { isRoot: false, isDebian: false, hasApt: false })).toEqual({ kind: 'none' });
  });

  it('installs with apt as root on Debian, one package per server', () => {
    expect(planInstall(['rabbitmqServer', 'epmd', 'redisServer'], { isRoot: true, isDebian: true, hasApt: true })).toEqual({
      kind: 'apt',
      packages: ['rabbitmq-server', 'redis-server'],
    });
  });

  it('otherwise fails with one line saying what to install and which URL to set instead', () => {
    const plan = planInstall(['redisServer'], { isRoot: false, isDebian: true, hasApt: true });
    expect(plan.kind).toBe('error');
    if (plan.kind !== 'error') return;
    expect(plan.message).toContain('redis-server');
    expect(plan.message).toContain('REDIS_URL');
    expect(plan.message).not.toContain('\n');
    const mac = planInstall(['rabbitmqServer'], { isRoot: true, isDebian: false, hasApt: false });
    expect(mac.kind === 'error' && mac.message.includes('brew install rabbitmq')).toBe(true);
  });
});
