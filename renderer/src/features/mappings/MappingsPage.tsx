import { PlaceholderPage } from '../../components/PlaceholderPage';

export function MappingsPage() {
  return (
    <PlaceholderPage id="mappings" title="Mappings">
      Work item type hierarchies, status mappings, workflows and custom fields that shape how raw data becomes the unified model.
    </PlaceholderPage>
  );
}
