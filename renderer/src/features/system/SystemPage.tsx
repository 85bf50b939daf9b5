import { useEffect } from 'react';

import { useAppStore } from '../../app/context';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';
import { PageHeader } from '../../components/PageHeader';

import { formatClock } from './format';
import { ServiceTable } from './ServiceTable';

/**
 * Health of the four backing services. One call on mount, then the engine's `system.health`
 * push keeps it fresh (no polling); "Check now" asks for a probe immediately.
 */
export function SystemPage() {
  const health = useAppStore((s) => s.health);
  const error = useAppStore((s) => s.healthError);
  const checking = useAppStore((s) => s.checkingHealth);
  const checkHealth = useAppStore((s) => s.checkHealth);

  useEffect(() => {
    void checkHealth();
  }, [checkHealth]);

  const subtitle = health ? (
    <>
      Engine {health.engineVersion} · {health.mode} · last report{' '}
      <span title={health.checkedAt}>{formatClock(health.checkedAt)}</span>
    </>
  ) : (
    'PostgreSQL, RabbitMQ, Redis and Qdrant as the engine sees them.'
  );

  return (
    <section className="page" data-testid="system-page">
      <PageHeader
        title="System"
        subtitle={subtitle}
        actions={
          <button type="button" className="button" onClick={() => void checkHealth()} disabled={checking} data-testid="check-now">
            {checking ? 'Checking…' : 'Check now'}
          </button>
        }
      />
      {error ? (
        <Notice tone="error" testId="health-error">
          {health ? `The latest check failed, showing the report from ${formatClock(health.checkedAt)}. ` : ''}
          <MessageText text={error} />
        </Notice>
      ) : null}
      {health ? (
        <ServiceTable services={health.services} />
      ) : !error ? (
        <Notice tone="info">Checking services…</Notice>
      ) : null}
    </section>
  );
}
