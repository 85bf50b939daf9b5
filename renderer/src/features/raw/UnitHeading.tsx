import type { ReactNode } from 'react';

import type { RawUnitSummary } from '../../../../shared/contract/raw';

import { formatBytes, formatTime } from './filter-model';

/**
 * The head of a unit's detail, from the database or a bundle alike: its number and status, where it
 * came from, its size and time (`stored` in words, say how old the status is), then `facts` the
 * source adds, and the request URL.
 */
export function UnitHeading({ unit: u, stored, facts, children }: { unit: RawUnitSummary; stored: string; facts?: ReactNode; children?: ReactNode }) {
  return (
    <div>
      <h2>
        Unit #{u.id} <span className={`raw-status status-${u.status}`} data-testid="unit-status">{u.status}</span>
      </h2>
      <div className="muted">
        integration {u.integrationId} · run {u.runId} · {u.step}/{u.stream}
        {u.parentKey ? ` · partition ${u.parentKey}` : ''} · {u.recordCount} record(s) · {formatBytes(u.payloadBytes)} · {stored}{formatTime(u.createdAt)}
        {facts}
      </div>
      <div className="muted raw-url" title={u.requestUrl}>{u.requestUrl}</div>
      {children}
    </div>
  );
}
