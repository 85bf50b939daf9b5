import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { methodNames, methods } from './api';
import { defineMethod } from './define';
import { roleAllows, withArticle } from './roles';

describe('roles', () => {
  it('orders viewer < operator < admin', () => {
    expect(roleAllows('admin', 'operator')).toBe(true);
    expect(roleAllows('operator', 'viewer')).toBe(true);
    expect(roleAllows('operator', 'admin')).toBe(false);
    expect(roleAllows('viewer', 'operator')).toBe(false);
    expect([withArticle('admin'), withArticle('operator'), withArticle('viewer')]).toEqual(['an admin', 'an operator', 'a viewer']);
  });

  it('defaults reads to viewer and writes to admin unless the method says otherwise', () => {
    const io = { input: z.object({}), output: z.object({}) };
    expect(defineMethod({ ...io, summary: 'r', mutates: false }).role).toBe('viewer');
    expect(defineMethod({ ...io, summary: 'w', mutates: true }).role).toBe('admin');
    expect(defineMethod({ ...io, summary: 'o', mutates: true, role: 'operator' }).role).toBe('operator');
  });

  it('gives operators the run controls and nothing that configures the platform', () => {
    const operatorMethods = methodNames.filter((m) => methods[m].role === 'operator');
    for (const m of ['jobs.runNow', 'jobs.fullRefresh', 'jobs.retransform', 'runs.pause', 'runs.resume', 'runs.cancel', 'runs.rerunFailed']) expect(operatorMethods).toContain(m);
    for (const m of operatorMethods) expect(m, `${m} is a platform setting`).not.toMatch(/^(tenants|integrations|mappings|workers)\./);
    for (const m of ['tenants.create', 'tenants.update', 'integrations.create', 'integrations.delete', 'jobs.create', 'jobs.delete', 'runs.setRetention'] as const) expect(methods[m].role).toBe('admin');
  });

  it('never lets a viewer mutate: every mutating method needs more than viewer, except this desktop’s own profiles', () => {
    for (const m of methodNames) {
      if (!methods[m].mutates) continue;
      if (m.startsWith('profiles.')) continue;
      expect(methods[m].role, m).not.toBe('viewer');
    }
  });
});
