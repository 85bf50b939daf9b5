import type { ReactNode } from 'react';

import type { ItemDetail as Detail } from '../../../../shared/contract/vectors';
import { useAppStore } from '../../app/context';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';

const Row = ({ label, children }: { label: string; children: ReactNode }) => (
  <>
    <dt>{label}</dt>
    <dd>{children}</dd>
  </>
);

const when = (iso: string) => new Date(iso).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

function Fields({ item }: { item: Detail }) {
  if (item.entity === 'work_items') {
    return (
      <dl className="detail-fields">
        <Row label="Type">{item.type}</Row>
        <Row label="Status">
          {item.status}
          {item.workflowStep && item.workflowStep !== item.status ? ` (${item.workflowStep})` : ''}
          {item.category !== (item.workflowStep ?? item.status) ? ` · ${item.category}` : ''}
        </Row>
        <Row label="Project">{item.projectKey}</Row>
        {item.parentKey ? <Row label="Parent">{item.parentKey}</Row> : null}
        {item.priority ? <Row label="Priority">{item.priority}</Row> : null}
        {item.assignee ? <Row label="Assignee">{item.assignee}</Row> : null}
        {item.labels.length ? <Row label="Labels">{item.labels.join(', ')}</Row> : null}
        {item.components.length ? <Row label="Components">{item.components.join(', ')}</Row> : null}
        <Row label="Created">{when(item.created)}</Row>
        <Row label="Updated">{when(item.updated)}</Row>
      </dl>
    );
  }
  return (
    <dl className="detail-fields">
      <Row label="State">
        {item.state}
        {item.draft ? ' (draft)' : ''}
      </Row>
      <Row label="Branches">
        <span className="mono">{item.sourceBranch}</span> → <span className="mono">{item.targetBranch}</span>
      </Row>
      {item.author ? <Row label="Author">{item.author}</Row> : null}
      <Row label="Created">{when(item.created)}</Row>
      <Row label="Updated">{when(item.updated)}</Row>
      {item.mergedAt ? <Row label="Merged">{when(item.mergedAt)}</Row> : null}
    </dl>
  );
}

/** The work item or PR a search result points at, with how its vector stands. */
export function ItemDetailPanel() {
  const item = useAppStore((s) => s.item);
  const close = useAppStore((s) => s.closeItem);
  if (!item.target) return null;
  const d = item.detail;
  const body = d ? (d.entity === 'work_items' ? d.description : d.body) : null;
  return (
    <section className="panel vectors-panel item-detail" data-testid="item-detail" data-key={d?.key ?? ''} aria-live="polite">
      <div className="detail-head">
        <h2 className="panel-title">{d ? `${d.key} ${d.entity === 'work_items' ? (d.summary ?? '') : d.title}` : 'Loading…'}</h2>
        <button type="button" className="button small ghost" onClick={close} data-testid="close-detail">
          Close
        </button>
      </div>
      {item.state === 'error' && item.error ? (
        <Notice tone="error" testId="detail-error">
          <MessageText text={item.error} />
        </Notice>
      ) : null}
      {d ? (
        <>
          <p className="muted small">
            {d.entity === 'work_items' ? 'Work item' : 'Pull request'} from {d.integrationName}
            {d.url ? (
              <>
                {' · '}
                <a href={d.url} target="_blank" rel="noreferrer" data-testid="detail-link">
                  open in {d.entity === 'work_items' ? 'Jira' : 'GitHub'}
                </a>
              </>
            ) : null}
          </p>
          <Fields item={d} />
          {body ? (
            <div className="detail-body" data-testid="detail-body">
              {body}
            </div>
          ) : (
            <p className="muted">No description.</p>
          )}
          <p className="muted small" data-testid="detail-vector">
            {d.vector
              ? `Vector: ${d.vector.embedder}, embedded ${when(d.vector.embeddedAt)}${d.vector.current ? '' : ' (stale: another embedder or collection; re-embed missing renews it)'}.`
              : 'No vector yet: the vectorize stage has not embedded it (re-embed missing does).'}
          </p>
        </>
      ) : null}
    </section>
  );
}
