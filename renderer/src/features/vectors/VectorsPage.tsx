import { PlaceholderPage } from '../../components/PlaceholderPage';

export function VectorsPage() {
  return (
    <PlaceholderPage id="vectors" title="Vectors">
      Qdrant collections with their point counts and embedding status, and a search box to check what the vectorize stage stored.
    </PlaceholderPage>
  );
}
