import { useCallback, useState } from 'react';

import type { PoolHealth } from '../../../../shared/worker-protocol/health';
import { useAppStore } from '../../app/context';
import { useCan } from '../../app/use-can';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';
import { PageHeader } from '../../components/PageHeader';
import { RoleNotice } from '../../components/RoleNotice';
import { useNow, useRefreshWhileOpen } from '../../components/use-now';
import { describeError } from '../../store/describe-error';
import { formatCount, formatDuration } from '../jobs/format';

/** Hosts heartbeat every 5 s: reading more often shows nothing new. */
const REFRESH_MS = 5000;

function PoolTable({ host, pools, controllable, now, onDone }: { host: string; pools: PoolHealth[]; controllable: boolean; now: number; onDone: (tone: 'info' | 'error', text: string) => void }) {
  const scale = useAppStore((s) => s.scalePool);
  const restart = useAppStore((s) => s.restartPool);
  const canScale = useCan('workers.scale');
  const canRestart = useCan('workers.restart');
  // A lost host, or a role that may not scale or restart, gets no controls column.
  const controls = controllable && (canScale || canRestart);
  const [busy, setBusy] = useState<string | null>(null);
  const run = async (key: string, fn: () => Promise<{ message: string }>) => {
    setBusy(key);
    try {
      onDone('info', (await fn()).message);
    } catch (error) {
      onDone('error', describeError(error));
    } finally {
      setBusy(null);
    }
  };
  if (pools.length === 0) return <p className="muted">No pools on this host.</p>;
  return (
    <table className="data-table" data-testid={`pools-${host}`}>
      <thead>
        <tr>
          <th>Stage</th>
          <th>State</th>
          <th>Threads alive / desired</th>
          <th>Busy</th>
          <th>Processed</th>
          <th>Errors</th>
          <th>Restarts</th>
          <th>Last error</th>
          {controls ? <th aria-label="Controls" /> : null}
        </tr>
      </thead>
      <tbody>
        {pools.map((p) => (
          <tr key={p.stage} data-testid={`pool-${host}-${p.stage}`} data-alive={p.alive} data-desired={p.desired} data-state={p.state}>
            <td className="strong">{p.stage}</td>
            <td>
              <span className={`pill pool-${p.state}`}>{p.state}</span>
              {p.nextRestartAt ? <div className="muted small">restart in {formatDuration(Date.parse(p.nextRestartAt) - now)}</div> : null}
            </td>
            <td data-testid="pool-threads">
              {p.alive} / {p.desired}
              {p.draining ? <span className="muted small"> · {p.draining} draining</span> : null}
              {p.disconnected ? <span className="bad small"> · {p.disconnected} without RabbitMQ</span> : null}
            </td>
            <td>
              {p.busy} <span className="muted small">({p.inFlight} in flight)</span>
            </td>
            <td>{formatCount(p.processed)}</td>
            <td className={p.failed ? 'bad' : ''}>
              {formatCount(p.failed)}
              {p.deadLettered ? <span className="muted small"> · {p.deadLettered} dead-lettered</span> : null}
            </td>
            <td className={p.crashStreak > 1 ? 'bad' : ''}>{p.restarts}</td>
            <td className="small">{p.lastError ? `${p.lastError.message} (${new Date(p.lastError.at).toLocaleTimeString()})` : '—'}</td>
            {controls ? (
              <td className="actions">
                {canScale ? (
                  <>
                    <button type="button" className="button small" aria-label={`Fewer ${p.stage} threads`} disabled={busy !== null || p.desired === 0} onClick={() => void run(`${p.stage}-`, () => scale(host, p.stage, p.desired - 1))} data-testid="scale-down">
                      −
                    </button>
                    <button type="button" className="button small" aria-label={`More ${p.stage} threads`} disabled={busy !== null || p.desired >= 64} onClick={() => void run(`${p.stage}+`, () => scale(host, p.stage, p.desired + 1))} data-testid="scale-up">
                      +
                    </button>
                  </>
                ) : null}
                {canRestart ? (
                  <button type="button" className="button small" disabled={busy !== null || p.desired === 0} onClick={() => void run(`${p.stage}r`, () => restart(host, p.stage))} data-testid="restart-pool">
                    {busy === `${p.stage}r` ? 'Restarting…' : 'Restart'}
                  </button>
                ) : null}
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Worker pools per stage on every host: this engine's own, and each `sluice worker` host in Redis
 * (lost ones marked), with scale and restart. Read every 5 s while open (hosts heartbeat at that pace;
 * nothing pushes pool health).
 */
export function WorkersPage() {
  const workers = useAppStore((s) => s.workers);
  const error = useAppStore((s) => s.workersError);
  const loadWorkers = useAppStore((s) => s.loadWorkers);
  const [notice, setNotice] = useState<{ tone: 'info' | 'error'; text: string } | null>(null);
  const refresh = useCallback(() => void loadWorkers(), [loadWorkers]);
  useRefreshWhileOpen(refresh, REFRESH_MS);
  const now = useNow(1000);
  const onDone = (tone: 'info' | 'error', text: string) => setNotice({ tone, text });

  return (
    <section className="page" data-testid="workers-page">
      <PageHeader
        title="Workers"
        subtitle="Worker thread pools per stage on this engine and on every sluice worker host."
        actions={
          <button type="button" className="button" onClick={refresh} data-testid="workers-refresh">
            Refresh
          </button>
        }
      />
      <RoleNotice calls={['workers.scale', 'workers.restart']} />
      {notice ? (
        <Notice tone={notice.tone} testId={notice.tone === 'error' ? 'workers-error' : 'workers-notice'}>
          <MessageText text={notice.text} />
        </Notice>
      ) : null}
      {error ? (
        <Notice tone="error" testId="workers-load-error">
          <MessageText text={error} />
        </Notice>
      ) : null}
      {!workers ? (
        !error ? <p className="muted">Reading worker pools…</p> : null
      ) : (
        <>
          <section className="panel" data-testid="embedded-workers" data-state={workers.embedded.state}>
            <div className="panel-title">
              This engine {workers.embedded.hostId ? <span className="mono muted small">{workers.embedded.hostId}</span> : null}
            </div>
            {workers.embedded.state === 'off' ? (
              <Notice tone="info" testId="embedded-off">
                <MessageText text={workers.embedded.reason ?? 'The embedded pools are off.'} />
              </Notice>
            ) : (
              <PoolTable host="embedded" pools={workers.embedded.pools} controllable now={now} onDone={onDone} />
            )}
          </section>
          {workers.hostsNote ? (
            <Notice tone="info" testId="hosts-note">
              <MessageText text={workers.hostsNote} />
            </Notice>
          ) : null}
          {workers.hosts.length === 0 && !workers.hostsNote ? <p className="muted">No sluice worker host heartbeats in Redis. Start one with <code>sluice worker</code> on any machine that reaches the same RabbitMQ.</p> : null}
          {workers.hosts.map((h) => (
            <section key={h.hostId} className={`panel host-${h.state}`} data-testid={`host-${h.hostId}`} data-state={h.state}>
              <div className="panel-title">
                <span className="mono">{h.hostId}</span>{' '}
                <span className={`pill ${h.state === 'alive' ? 'pill-up' : 'pill-down'}`} data-testid="host-state">
                  {h.state === 'alive' ? 'alive' : 'lost'}
                </span>
                <span className="muted small">
                  {' '}
                  · {h.heartbeat.host} pid {h.heartbeat.pid} · stages {h.heartbeat.stages.join(', ')} · last heartbeat {formatDuration(now - Date.parse(h.heartbeat.at))} ago
                </span>
              </div>
              {h.state === 'lost' ? (
                <Notice tone="error" testId="host-lost">
                  This host stopped heartbeating without a clean stop (crashed, killed or cut off). Its unacknowledged messages went back to the queues. The pools below are its last report.
                </Notice>
              ) : null}
              <PoolTable host={h.hostId} pools={h.heartbeat.pools} controllable={h.state === 'alive'} now={now} onDone={onDone} />
            </section>
          ))}
        </>
      )}
    </section>
  );
}
