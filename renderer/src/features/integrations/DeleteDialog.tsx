import type { MethodOutput } from '../../../../shared/contract/api';
import type { Integration } from '../../../../shared/contract/integrations';
import { Dialog } from '../../components/Dialog';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';

type Plan = MethodOutput<'integrations.delete'>;

const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** What the delete removes, counted by the engine (dry run), and the one button that does it. */
export function DeleteDialog({ integration, plan, error, busy, onConfirm, onCancel }: { integration: Integration; plan: Plan | null; error: string | null; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  const blocked = integration.activeRuns > 0;
  return (
    <Dialog
      title={`Delete ${integration.name}?`}
      testId="delete-dialog"
      onClose={onCancel}
      actions={
        <>
          {/* Focus starts on the safe choice. */}
          <button type="button" className="button" onClick={onCancel} autoFocus data-testid="cancel-delete">
            Cancel
          </button>
          <button type="button" className="button danger solid" onClick={onConfirm} disabled={!plan || busy || blocked} data-testid="confirm-delete">
            {busy ? 'Deleting…' : 'Delete permanently'}
          </button>
        </>
      }
    >
      {error ? (
        <Notice tone="error" testId="delete-error">
          <MessageText text={error} />
        </Notice>
      ) : null}
      {blocked ? (
        <Notice tone="error" testId="delete-blocked">
          {plural(integration.activeRuns, 'run is', 'runs are')} in progress: let them finish or cancel them on the Jobs screen first.
        </Notice>
      ) : null}
      {!plan && !error ? <p className="muted">Counting what this removes…</p> : null}
      {plan ? (
        <div data-testid="delete-plan">
          <p>This removes the integration, its settings and token, and everything extracted through it. It cannot be undone.</p>
          <ul>
            <li data-testid="removes-runs">{plural(plan.removes.runs, 'run', 'runs')} with their steps and logs</li>
            <li data-testid="removes-raw">{plural(plan.removes.rawUnits, 'raw unit', 'raw units')} (stored API responses)</li>
            <li data-testid="removes-other">{plural(plan.removes.otherRows, 'other row', 'other rows')} (unified data, links, jobs and mappings)</li>
          </ul>
          {plan.removes.tables.length ? (
            <p className="muted small">
              By table: {plan.removes.tables.map((t) => `${t.table} ${t.rows.toLocaleString()}`).join(' · ')}. Copies in a console&apos;s local raw cache are evicted with the cache.
            </p>
          ) : null}
        </div>
      ) : null}
    </Dialog>
  );
}
