import { PlaceholderPage } from '../../components/PlaceholderPage';

export function QueuesPage() {
  return (
    <PlaceholderPage id="queues" title="Queues">
      Depth and rates of every stage queue in RabbitMQ, with the dead letters: why each message failed, and buttons to retry or discard it.
    </PlaceholderPage>
  );
}
