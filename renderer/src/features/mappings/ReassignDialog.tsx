import { useEffect, useState } from 'react';

import { ApiError } from '../../../../shared/contract/errors';
import type { HierarchyDependencies, StepDependencies } from '../../../../shared/contract/mappings';
import { useAppStore, useClient } from '../../app/context';
import { Dialog } from '../../components/Dialog';
import { Field, inputId } from '../../components/Field';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';
import { describeError } from '../../store/describe-error';

import { count } from './DataTable';

export interface ReassignTarget {
  readonly kind: 'level' | 'step';
  readonly verb: 'deactivate' | 'delete';
  readonly id: number;
  readonly name: string;
}

type Report = { kind: 'level'; deps: HierarchyDependencies } | { kind: 'step'; deps: StepDependencies };

const SHOWN = 8;

/**
 * Deactivating or deleting a level or a step: the engine's dependency report (real counts of the type
 * or status mappings that use it and the loaded work items behind them), a reassignment target when
 * anything depends on it, and one call that moves the dependents and changes the row together.
 */
export function ReassignDialog({ integrationId, target, onDone, onCancel }: { integrationId: number; target: ReassignTarget; onDone: (message: string) => void; onCancel: () => void }) {
  const client = useClient();
  const change = useAppStore((s) => s.changeMappings);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [reassignTo, setReassignTo] = useState<string>('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    const input = { integrationId, id: target.id };
    const load = target.kind === 'level' ? client.call('mappings.hierarchies.dependencies', input).then((deps) => ({ kind: 'level' as const, deps })) : client.call('mappings.workflow.dependencies', input).then((deps) => ({ kind: 'step' as const, deps }));
    load.then(
      (r) => live && setReport(r),
      (e: unknown) => live && setError(describeError(e)),
    );
    return () => {
      live = false;
    };
  }, [client, integrationId, target.id, target.kind]);

  const dependents = report ? (report.kind === 'level' ? report.deps.mappings.map((m) => ({ id: m.id, name: m.witFrom, detail: `→ ${m.witTo}`, active: m.active, workItems: m.workItems })) : report.deps.statusMappings.map((m) => ({ id: m.id, name: m.statusFrom, detail: m.statusCategory, active: m.active, workItems: m.workItems }))) : [];
  const targets = report ? (report.kind === 'level' ? report.deps.targets.map((t) => ({ id: t.id, label: `${t.levelNumber} · ${t.levelName}` })) : report.deps.targets.map((t) => ({ id: t.id, label: `${t.stepNumber ?? '–'} · ${t.stepName} (${t.stepCategory})` }))) : [];
  const blockedByPoint = report?.kind === 'step' && report.deps.isCommitmentPoint && (target.verb === 'deactivate' || targets.length > 0);
  const what = target.kind === 'level' ? 'type mapping' : 'status mapping';
  const needsTarget = dependents.length > 0;
  const noTarget = needsTarget && targets.length === 0;

  const confirm = async () => {
    setError(null);
    setFieldError(null);
    if (needsTarget && reassignTo === '') {
      setFieldError(`choose where the ${what}s move`);
      return;
    }
    setBusy(true);
    const input = { integrationId, id: target.id, reassignTo: needsTarget ? Number(reassignTo) : null };
    try {
      const result =
        target.kind === 'level'
          ? target.verb === 'delete'
            ? await change('mappings.hierarchies.delete', input)
            : await change('mappings.hierarchies.setActive', { ...input, active: false })
          : target.verb === 'delete'
            ? await change('mappings.workflow.delete', input)
            : await change('mappings.workflow.setActive', { ...input, active: false });
      onDone(result.message);
    } catch (e) {
      const issue = e instanceof ApiError ? e.issues?.find((i) => i.path === 'reassignTo') : undefined;
      if (issue) setFieldError(issue.message);
      setError(describeError(e));
      setBusy(false);
    }
  };

  const title = `${target.verb === 'delete' ? 'Delete' : 'Deactivate'} ${target.kind} ${target.name}?`;
  return (
    <Dialog
      title={title}
      testId="reassign-dialog"
      onClose={onCancel}
      actions={
        <>
          <button type="button" className="button" onClick={onCancel} autoFocus data-testid="cancel-reassign">
            Cancel
          </button>
          <button type="button" className={`button ${target.verb === 'delete' ? 'danger solid' : 'primary'}`} onClick={() => void confirm()} disabled={!report || busy || blockedByPoint || noTarget} data-testid="confirm-reassign">
            {busy ? 'Working…' : needsTarget ? `Move and ${target.verb}` : target.verb === 'delete' ? 'Delete' : 'Deactivate'}
          </button>
        </>
      }
    >
      {error ? (
        <Notice tone="error" testId="reassign-error">
          <MessageText text={error} />
        </Notice>
      ) : null}
      {!report && !error ? <p className="muted">Counting what uses {target.name}…</p> : null}
      {report ? (
        <div data-testid="dependency-report" data-dependents={dependents.length}>
          {blockedByPoint ? (
            <Notice tone="error" testId="commitment-blocked">
              {target.name} is the commitment point: make another step the commitment point first.
            </Notice>
          ) : null}
          {dependents.length === 0 ? (
            <p data-testid="no-dependents">
              No {what} uses {target.name}. {target.verb === 'delete' ? 'It is removed for good.' : 'Runs ignore it while it is inactive.'}
            </p>
          ) : (
            <>
              <p data-testid="dependents-summary">
                {count(dependents.length)} {what}
                {dependents.length === 1 ? ' uses' : 's use'} {target.name}, behind {count(report.deps.workItems)} loaded work item{report.deps.workItems === 1 ? '' : 's'}. They move to the {target.kind} you choose, in the same step as the {target.verb}.
              </p>
              <ul className="dependents">
                {dependents.slice(0, SHOWN).map((d) => (
                  <li key={d.id}>
                    <span className="strong">{d.name}</span> <span className="muted">{d.detail}</span>
                    {d.active ? null : <span className="muted"> (inactive)</span>}
                    <span className="muted small"> · {count(d.workItems)} work items</span>
                  </li>
                ))}
                {dependents.length > SHOWN ? <li className="muted">and {dependents.length - SHOWN} more</li> : null}
              </ul>
              {noTarget ? (
                <Notice tone="error" testId="no-target">
                  There is no other active {target.kind} to move them to: add or activate one first.
                </Notice>
              ) : (
                <Field label={`Move them to`} name="reassignTo" error={fieldError ?? undefined}>
                  <select id={inputId('reassignTo')} className="select" value={reassignTo} onChange={(e) => setReassignTo(e.target.value)}>
                    <option value="">Choose a {target.kind}…</option>
                    {targets.map((t) => (
                      <option key={t.id} value={t.id}>
                        {t.label}
                      </option>
                    ))}
                  </select>
                </Field>
              )}
            </>
          )}
          <p className="muted small">It applies from the next run; re-transform to apply it to the data already loaded.</p>
        </div>
      ) : null}
    </Dialog>
  );
}
