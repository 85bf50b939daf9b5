import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';

import type { DeadLetterItem, QueueRow } from '../../../../shared/contract/queues';
import { useAppStore } from '../../app/context';
import { useCan } from '../../app/use-can';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';
import { PageHeader } from '../../components/PageHeader';
import { RoleNotice } from '../../components/RoleNotice';
import { useRefreshWhileOpen } from '../../components/use-now';
import { describeError } from '../../store/describe-error';
import { formatCount } from '../jobs/format';

/** RabbitMQ's management API samples every few seconds: reading it more often shows nothing new. */
const REFRESH_MS = 5000;

const rate = (v: number | null): string => (v === null ? '—' : `${v}/s`);

function QueueTable({ rows }: { rows: QueueRow[] }) {
  return (
    <table className="data-table" data-testid="queues-table">
      <thead>
        <tr>
          <th>Queue</th>
          <th>Messages</th>
          <th>Ready</th>
          <th>Unacked</th>
          <th>Consumers</th>
          <th>Publish</th>
          <th>Deliver</th>
          <th>Ack</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((q) => (
          <tr key={q.name} data-testid={`queue-${q.kind}-${q.stage ?? 'dead'}${q.delayMs ? `-${q.delayMs}` : ''}`} data-queue={q.name} data-messages={q.messages}>
            <td>
              <div className="strong">{q.kind === 'stage' ? q.stage : q.kind === 'delay' ? `${q.stage} retry after ${q.delayMs! / 1000} s` : 'dead letters'}</div>
              <div className="mono muted small">
                {q.name} · {q.type ?? '?'} · {q.state}
              </div>
            </td>
            <td className="strong">{formatCount(q.messages)}</td>
            <td>{formatCount(q.ready)}</td>
            <td>{formatCount(q.unacked)}</td>
            <td className={q.kind === 'stage' && q.consumers === 0 ? 'bad' : ''} title={q.kind === 'stage' && q.consumers === 0 ? 'No worker consumes this stage: start a pool on the Workers screen or a sluice worker host.' : undefined}>
              {q.kind === 'delay' ? '—' : q.consumers}
            </td>
            <td>{rate(q.rates.publish)}</td>
            <td>{rate(q.rates.deliver)}</td>
            <td>{rate(q.rates.ack)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Ref({ item }: { item: DeadLetterItem }) {
  const r = item.ref;
  if (!r) return <span className="muted">unreadable body (no tenant)</span>;
  return (
    <span className="small">
      {r.runId ? (
        <Link to={`/runs?run=${r.runId}`} data-testid="dead-letter-run">
          run {r.runId}
        </Link>
      ) : null}
      {r.step ? ` · ${r.step}` : ''}
      {r.rawId ? (
        <>
          {' · '}
          <Link to={`/raw?unit=${r.rawId}`} className="mono" data-testid="dead-letter-unit">
            unit #{r.rawId}
          </Link>
        </>
      ) : null}
      {r.stream ? ` · ${r.stream}${r.partition ? ` ${r.partition}` : ''}${r.cursor ? ` from ${r.cursor}` : ' first page'}` : ''}
      {r.entity ? ` · ${r.entity}` : ''}
    </span>
  );
}

type Pending = { action: 'requeue' | 'discard'; ids: 'all' | string[]; count: number };

/**
 * Every stage queue with its depth, ready/unacked, rates and consumers (RabbitMQ management API, read
 * every 5 s while the screen is open: the broker pushes nothing), and the tenant's dead letters with
 * requeue and discard behind a confirmation that says how many.
 */
export function QueuesPage() {
  const tenantId = useAppStore((s) => s.selectedTenantId);
  // Switching tenant remounts the screen: a selection of another tenant's letters must not linger.
  return <QueuesScreen key={tenantId ?? 'none'} tenantId={tenantId} />;
}

function QueuesScreen({ tenantId }: { tenantId: number | null }) {
  const queues = useAppStore((s) => s.queues);
  const queuesError = useAppStore((s) => s.queuesError);
  const dead = useAppStore((s) => s.deadLetters);
  const deadError = useAppStore((s) => s.deadLettersError);
  const deadLoading = useAppStore((s) => s.deadLettersLoading);
  const loadQueues = useAppStore((s) => s.loadQueues);
  const loadDeadLetters = useAppStore((s) => s.loadDeadLetters);
  const act = useAppStore((s) => s.actOnDeadLetters);
  const canRequeue = useCan('queues.requeue');
  const canDiscard = useCan('queues.discard');
  const canSelect = canRequeue || canDiscard;
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const refresh = useCallback(() => void loadQueues(), [loadQueues]);
  useRefreshWhileOpen(refresh, REFRESH_MS);
  useEffect(() => {
    void loadDeadLetters();
  }, [loadDeadLetters]);

  const items = dead?.items ?? [];
  const stageRows = queues?.queues.filter((q) => q.kind === 'stage') ?? [];
  const otherRows = queues?.queues.filter((q) => q.kind !== 'stage') ?? [];

  const confirm = async () => {
    if (!pending) return;
    setBusy(true);
    setActionError(null);
    try {
      const result = await act(pending.action, pending.ids);
      setNotice(result.message);
      setSelected(new Set());
      setPending(null);
    } catch (error) {
      setActionError(describeError(error));
    } finally {
      setBusy(false);
    }
  };

  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <section className="page" data-testid="queues-page">
      <PageHeader
        title="Queues"
        subtitle={queues ? `RabbitMQ namespace ${queues.namespace} · read ${new Date(queues.checkedAt).toLocaleTimeString()} (sampled by the broker every few seconds)` : 'Stage queues, retry delays and dead letters.'}
        actions={
          <button type="button" className="button" onClick={() => (refresh(), void loadDeadLetters())} data-testid="queues-refresh">
            Refresh
          </button>
        }
      />
      {queuesError ? (
        <Notice tone="error" testId="queues-error">
          <MessageText text={queuesError} />
        </Notice>
      ) : null}
      {queues?.note ? (
        <Notice tone="error" testId="queues-note">
          <MessageText text={queues.note} />
        </Notice>
      ) : null}
      {queues ? (
        <>
          <QueueTable rows={stageRows} />
          <details className="panel queue-more">
            <summary>Retry delay tiers and the dead-letter queue ({otherRows.reduce((n, q) => n + q.messages, 0)} message(s))</summary>
            <QueueTable rows={otherRows} />
          </details>
        </>
      ) : !queuesError ? (
        <p className="muted">Reading queues…</p>
      ) : null}

      <section className="panel" data-testid="dead-letters">
        <div className="panel-title dead-letters-head">
          <span>
            Dead letters
            {dead ? (
              <span className="muted small" data-testid="dead-letters-count">
                {' '}
                · {items.length} of this tenant shown · {dead.total} in the queue (every tenant)
              </span>
            ) : null}
          </span>
          <span className="spacer" />
          {canRequeue ? (
            <>
              <button type="button" className="button small" disabled={selected.size === 0 || busy} onClick={() => setPending({ action: 'requeue', ids: [...selected], count: selected.size })} data-testid="requeue-selected">
                Requeue selected
              </button>
              <button type="button" className="button small" disabled={items.length === 0 || busy} onClick={() => setPending({ action: 'requeue', ids: 'all', count: items.length })} data-testid="requeue-all">
                Requeue all
              </button>
            </>
          ) : null}
          {canDiscard ? (
            <button type="button" className="button small danger" disabled={selected.size === 0 || busy} onClick={() => setPending({ action: 'discard', ids: [...selected], count: selected.size })} data-testid="discard-selected">
              Discard selected
            </button>
          ) : null}
        </div>
        <RoleNotice calls={['queues.requeue', 'queues.discard']} />
        {notice ? (
          <Notice tone="info" testId="dead-letters-notice">
            <MessageText text={notice} />
          </Notice>
        ) : null}
        {tenantId === null ? <p className="muted">Pick a tenant to see its dead letters.</p> : null}
        {deadError ? (
          <Notice tone="error" testId="dead-letters-error">
            <MessageText text={deadError} />
          </Notice>
        ) : null}
        {deadLoading && !dead ? <p className="muted">Reading the dead-letter queue…</p> : null}
        {dead && items.length === 0 ? (
          <p className="muted" data-testid="dead-letters-empty">
            No dead letters: every message of this tenant was handled or is still being retried.
          </p>
        ) : null}
        {items.length > 0 ? (
          <table className="data-table" data-testid="dead-letters-table">
            <thead>
              <tr>
                <th>
                  {canSelect ? <input type="checkbox" aria-label="Select all" checked={selected.size === items.length} onChange={(e) => setSelected(e.target.checked ? new Set(items.map((i) => i.id)) : new Set())} data-testid="select-all" /> : null}
                </th>
                <th>Stage</th>
                <th>Reason</th>
                <th>Attempts</th>
                <th>Refers to</th>
                <th>Error</th>
                <th>Last failure</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id} data-testid="dead-letter" data-id={item.id} data-reason={item.reason}>
                  <td>
                    {canSelect ? <input type="checkbox" aria-label={`Select ${item.id}`} checked={selected.has(item.id)} onChange={() => toggle(item.id)} data-testid="dead-letter-select" /> : null}
                  </td>
                  <td>{item.stage ?? 'unknown'}</td>
                  <td>{item.reason.replace('_', ' ')}</td>
                  <td>{item.attempts}</td>
                  <td>
                    <Ref item={item} />
                  </td>
                  <td className="small">
                    {item.error ? `${item.error.name}: ${item.error.message}` : '—'}
                    {item.issues.length ? <div className="muted">{item.issues.join('; ')}</div> : null}
                    <details>
                      <summary className="muted">message ({item.bodyBytes} bytes)</summary>
                      <pre className="mono small body-preview">{item.bodyPreview}</pre>
                    </details>
                  </td>
                  <td className="muted small" title={`first failure ${item.firstFailureAt}`}>
                    {new Date(item.lastFailureAt).toLocaleString()}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>

      {pending ? (
        <ConfirmDialog
          title={pending.action === 'requeue' ? `Requeue ${pending.count} dead letter(s)?` : `Discard ${pending.count} dead letter(s)?`}
          testId="confirm-dead-letters"
          confirmLabel={pending.action === 'requeue' ? `Requeue ${pending.count}` : `Discard ${pending.count}`}
          danger={pending.action === 'discard'}
          busy={busy}
          error={actionError}
          onCancel={() => (setPending(null), setActionError(null))}
          onConfirm={() => void confirm()}
        >
          {pending.action === 'requeue'
            ? 'Each message goes back to its stage queue with a fresh retry budget and is processed again. If what made it fail is not fixed, it comes back here after its retries.'
            : 'The messages are removed for good. Their raw units stay failed; you can still re-run them from the run detail.'}
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
