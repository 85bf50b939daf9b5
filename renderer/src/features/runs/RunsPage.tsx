import { useSearchParams } from 'react-router';

import { useAppStore } from '../../app/context';
import { Notice } from '../../components/Notice';
import { PageHeader } from '../../components/PageHeader';

import { RunDetail } from './RunDetail';
import { RunHistory } from './RunHistory';

/** Run history, or one run's detail with `?run=<id>` (links from job cards, toasts and the queues screen). */
export function RunsPage() {
  const tenantId = useAppStore((s) => s.selectedTenantId);
  const [params] = useSearchParams();
  const raw = params.get('run');
  const runId = raw && /^\d{1,15}$/.test(raw) ? Number(raw) : null;
  return (
    <section className="page" data-testid="runs-page" key={tenantId ?? 'none'}>
      <PageHeader title={runId ? `Run ${runId}` : 'Runs'} subtitle="Every run with its timeline, counters, throughput, errors by cause and log." />
      {tenantId === null ? (
        <Notice tone="info" testId="no-tenant">
          Runs belong to a tenant: pick one in the header.
        </Notice>
      ) : runId !== null ? (
        <RunDetail key={runId} runId={runId} />
      ) : (
        <RunHistory />
      )}
    </section>
  );
}
