import type { ServiceHealth } from '../../../../shared/contract/system';

import { MessageText } from '../../components/MessageText';

import { formatClock, formatLatency, serviceLabels } from './format';
import { StatePill } from './StatePill';

export function ServiceRow({ health }: { health: ServiceHealth }) {
  const label = serviceLabels[health.service];
  return (
    <div
      className={`service-row state-${health.state}`}
      role="row"
      data-testid={`service-${health.service}`}
      data-state={health.state}
    >
      <div className="service-name" role="cell">
        <div className="strong">{label.name}</div>
        <div className="muted small">{label.role}</div>
      </div>
      <div role="cell">
        <StatePill state={health.state} />
      </div>
      <div role="cell" className="mono">
        {health.version ?? '—'}
      </div>
      <div role="cell" className="mono num">
        {formatLatency(health.latencyMs)}
      </div>
      <div role="cell" className="mono truncate" title={health.target ?? undefined}>
        {health.target ?? '—'}
      </div>
      <div role="cell" className="mono" title={health.checkedAt}>
        {formatClock(health.checkedAt)}
      </div>
      {health.state !== 'up' && health.message ? (
        <div className="service-message" role="cell" data-testid="service-message">
          <MessageText text={health.message} />
        </div>
      ) : null}
    </div>
  );
}
