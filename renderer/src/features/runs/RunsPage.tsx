import { PlaceholderPage } from '../../components/PlaceholderPage';

export function RunsPage() {
  return (
    <PlaceholderPage id="runs" title="Runs">
      Every run with its timeline, record counters, throughput chart and logs, so you can see what happened and why a batch failed.
    </PlaceholderPage>
  );
}
