import { useEffect, useState } from 'react';

import type { Job } from '../../../../shared/contract/jobs';
import { useAppStore } from '../../app/context';
import { useCan } from '../../app/use-can';
import { MessageText } from '../../components/MessageText';
import { Notice } from '../../components/Notice';
import { PageHeader } from '../../components/PageHeader';
import { RoleNotice } from '../../components/RoleNotice';
import { useNow } from '../../components/use-now';

import { JobCard } from './JobCard';
import { JobSettingsDialog } from './JobSettingsDialog';

/** The calls the screen's controls make (cards and the settings dialog). */
const JOB_CALLS = ['jobs.create', 'jobs.update', 'jobs.delete', 'jobs.runNow', 'runs.pause', 'runs.resume', 'runs.cancel', 'jobs.fullRefresh', 'jobs.retransform'] as const;

/** The selected tenant's jobs; switching tenant remounts the screen. */
export function JobsPage() {
  const tenantId = useAppStore((s) => s.selectedTenantId);
  return <JobsScreen key={tenantId ?? 'none'} tenantId={tenantId} />;
}

/**
 * One card per job. Read once on mount; after that `jobs.changed` refetches the job it names and
 * `runs.progress` moves the bars (store/bridge.ts) — no polling. The one-second clock only redraws
 * the countdowns.
 */
function JobsScreen({ tenantId }: { tenantId: number | null }) {
  const jobs = useAppStore((s) => s.jobs);
  const status = useAppStore((s) => s.jobsStatus);
  const error = useAppStore((s) => s.jobsError);
  const offset = useAppStore((s) => s.clockOffsetMs);
  const loadJobs = useAppStore((s) => s.loadJobs);
  const loadIntegrations = useAppStore((s) => s.loadIntegrations);
  const hasIntegrations = useAppStore((s) => s.integrations.length > 0);
  const canCreate = useCan('jobs.create');
  const canEdit = useCan('jobs.update');
  const [editing, setEditing] = useState<{ job: Job | null } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const now = useNow(1000, offset);

  useEffect(() => {
    void loadJobs();
    void loadIntegrations();
  }, [loadJobs, loadIntegrations]);

  return (
    <section className="page" data-testid="jobs-page">
      <PageHeader
        title="Jobs"
        subtitle="Each job runs one integration’s steps on its schedule. Cards update live while runs progress."
        actions={
          tenantId !== null && canCreate ? (
            <button type="button" className="button primary" onClick={() => setEditing({ job: null })} disabled={!hasIntegrations} title={hasIntegrations ? undefined : 'Create an integration first'} data-testid="new-job">
              New job
            </button>
          ) : null
        }
      />
      {tenantId === null ? (
        <Notice tone="info" testId="no-tenant">
          Jobs belong to a tenant: pick one in the header, or create one on the Tenants screen.
        </Notice>
      ) : null}
      {tenantId !== null ? <RoleNotice calls={JOB_CALLS} /> : null}
      {notice ? (
        <Notice tone="info" testId="jobs-notice">
          <MessageText text={notice} />
        </Notice>
      ) : null}
      {status === 'error' && error ? (
        <Notice tone="error" testId="jobs-error">
          <MessageText text={error} />
        </Notice>
      ) : null}
      {tenantId !== null && status === 'ready' && jobs.length === 0 ? (
        <Notice tone="info" testId="jobs-empty">
          No jobs yet. {hasIntegrations ? (canCreate ? 'Create one with “New job”: pick an integration and a schedule.' : 'An admin creates them.') : 'Create an integration on the Integrations screen first, then a job for it.'}
        </Notice>
      ) : null}
      {status === 'loading' && jobs.length === 0 ? <p className="muted">Loading jobs…</p> : null}
      <div className="job-grid">
        {jobs.map((job) => (
          <JobCard key={job.id} job={job} now={now} onSettings={canEdit ? (j) => setEditing({ job: j }) : undefined} />
        ))}
      </div>
      {editing && (editing.job ? canEdit : canCreate) ? (
        <JobSettingsDialog
          job={editing.job}
          onClose={() => setEditing(null)}
          onSaved={(text) => {
            setEditing(null);
            setNotice(text);
          }}
        />
      ) : null}
    </section>
  );
}
