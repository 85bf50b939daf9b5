import type { Job } from '../../../shared/contract/jobs';
import type { Role } from '../../../shared/contract/roles';
import type { SessionInfo } from '../../../shared/contract/session';
import type { HealthReport, ServiceHealth } from '../../../shared/contract/system';
import type { Integration } from '../../../shared/contract/integrations';
import type { Tenant } from '../../../shared/contract/tenants';

/** Test data shaped by the contract types, so a contract change breaks the tests at compile time. */
export function serviceHealth(overrides: Partial<ServiceHealth> & Pick<ServiceHealth, 'service'>): ServiceHealth {
  return {
    state: 'up',
    version: '16.4',
    latencyMs: 2.5,
    target: '127.0.0.1:5432',
    message: null,
    checkedAt: '2025-01-01T10:00:00.000Z',
    ...overrides,
  };
}

export function healthReport(overrides: Partial<HealthReport> = {}): HealthReport {
  return {
    services: [
      serviceHealth({ service: 'postgres' }),
      serviceHealth({ service: 'rabbitmq', version: '3.10.8', target: 'amqp://127.0.0.1:5672' }),
      serviceHealth({
        service: 'redis',
        state: 'down',
        version: null,
        latencyMs: null,
        target: 'redis://127.0.0.1:6379',
        message: 'Redis refused the connection; start it with `sluice stack up`.',
      }),
      serviceHealth({
        service: 'qdrant',
        state: 'not_configured',
        version: null,
        latencyMs: null,
        target: null,
        message: 'QDRANT_URL is not set; vectors are disabled.',
      }),
    ],
    checkedAt: '2025-01-01T10:00:00.000Z',
    engineVersion: '0.1.0',
    mode: 'headless',
    ...overrides,
  };
}

export function tenant(id: number, name: string, active = true): Tenant {
  return { id, name, tier: 'basic', active, createdAt: '2025-01-01T00:00:00.000Z' };
}

export function integration(id: number, name: string, overrides: Partial<Integration> = {}): Integration {
  return {
    id,
    provider: 'jira',
    name,
    baseUrl: `https://${name.toLowerCase().replace(/\W+/g, '-')}.atlassian.net`,
    settings: { email: 'ops@acme.io', projectKeys: ['ENG'], baseJql: null, pageSize: 100, overlapMinutes: 5 },
    hasSecret: true,
    secretHint: '…a1b2',
    active: true,
    isDemo: false,
    activeRuns: 0,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-02T00:00:00.000Z',
    ...overrides,
  };
}

/** The session of a signed-in role: what `useCan` reads. Screens hide mutating controls until one is set. */
export function session(role: Role = 'admin', overrides: Partial<SessionInfo> = {}): SessionInfo {
  return {
    principal: role === 'admin' ? 'console' : `${role}-user`,
    role,
    mode: 'headless',
    profile: null,
    profileError: null,
    firstRun: false,
    replica: { state: 'none', target: null, message: null },
    ...overrides,
  };
}

/** An idle job (no run yet) of integration 2. */
export function job(id: number, name: string, overrides: Partial<Job> = {}): Job {
  return {
    id,
    tenantId: 1,
    integrationId: 2,
    integrationName: 'Acme Jira',
    integrationActive: true,
    provider: 'jira',
    connector: 'jira',
    name,
    runKind: 'incremental',
    steps: [{ key: 'issues', label: 'Issues' }],
    schedule: null,
    retryPolicy: { maxRetries: 3, backoffMinutes: 15 },
    active: true,
    nextRunAt: null,
    activeRun: null,
    lastRun: null,
    retry: null,
    lastError: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}
