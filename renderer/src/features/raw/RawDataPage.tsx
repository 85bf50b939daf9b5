import { PlaceholderPage } from '../../components/PlaceholderPage';

export function RawDataPage() {
  return (
    <PlaceholderPage id="raw" title="Raw data">
      Browse every stored API response, filter, diff, re-transform offline with a transform preview, trace lineage, reprocess and export, straight from the local cache.
    </PlaceholderPage>
  );
}
