import { PlaceholderPage } from '../../components/PlaceholderPage';

export function WorkersPage() {
  return (
    <PlaceholderPage id="workers" title="Workers">
      Worker pools per stage and per host, their health, restarts and last errors, and how many threads each pool runs.
    </PlaceholderPage>
  );
}
