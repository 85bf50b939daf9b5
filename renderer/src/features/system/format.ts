import { ServiceName, type ServiceHealth, type ServiceState } from '../../../../shared/contract/system';

export const serviceLabels: Record<ServiceName, { name: string; role: string }> = {
  postgres: { name: 'PostgreSQL', role: 'Config, runs, raw batches, unified model' },
  rabbitmq: { name: 'RabbitMQ', role: 'Stage queues, retries, dead letters' },
  redis: { name: 'Redis', role: 'Locks, shared rate limits, live events' },
  qdrant: { name: 'Qdrant', role: 'Vectors for semantic search' },
};

export const stateLabels: Record<ServiceState, string> = {
  up: 'Up',
  down: 'Down',
  not_configured: 'Not configured',
};

/** Always the same order, whatever order the engine probed in. */
export function sortServices(services: readonly ServiceHealth[]): ServiceHealth[] {
  const order = ServiceName.options;
  return [...services].sort((a, b) => order.indexOf(a.service) - order.indexOf(b.service));
}

export function formatLatency(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** HH:MM:SS in local time; the full ISO time goes in the tooltip. Bad input is shown as is. */
export function formatClock(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
