import { PlaceholderPage } from '../../components/PlaceholderPage';

export function JobsPage() {
  return (
    <PlaceholderPage id="jobs" title="Jobs">
      One card per job with the status of each step (extract, transform, load, vectorize), progress bars, the next-run countdown and start, pause, resume and cancel controls.
    </PlaceholderPage>
  );
}
