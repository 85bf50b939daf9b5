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
    for (const m of ['jobs.runNow', 'jobs.fullRefresh', 'jobs.retransform', 'runs.pause', 'runs.resume', 'runs.cancel', 'runs.rerunFailed', 'mappings.retransform', 'raw.reprocess', 'queues.requeue', 'vectors.reembed']) expect(operatorMethods).toContain(m);
    // Inspecting raw payloads is the operator's (issue 11); viewers see runs and unified data.
    for (const m of ['raw.get', 'raw.diff', 'raw.versions', 'raw.export', 'raw.preview']) expect(operatorMethods).toContain(m);
    // Re-transforming with the current mappings runs the pipeline; changing them configures it.
    for (const m of operatorMethods) expect(m, `${m} is a platform setting`).not.toMatch(/^(tenants|integrations|workers)\.|^mappings\.(?!retransform$)/);
    // The integration form's probes call URLs of the caller's choosing.
    for (const m of ['integrations.testConnection', 'integrations.remoteProjects', 'queues.discard', 'workers.scale'] as const) expect(methods[m].role, m).toBe('admin');
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
