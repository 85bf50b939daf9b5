import { PlaceholderPage } from '../../components/PlaceholderPage';

export function IntegrationsPage() {
  return (
    <PlaceholderPage id="integrations" title="Integrations">
      Jira Cloud and GitHub settings per tenant, a test-connection button and write-only secrets that never come back to the screen.
    </PlaceholderPage>
  );
}
