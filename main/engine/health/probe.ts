import type { ServiceHealth, ServiceName } from '../../../shared/contract/system';
import { redactUrl } from '../../../shared/lib/redact';

/** What one probe learns when the service answers. */
export interface ProbeSuccess {
  readonly version: string | null;
  /** A caveat while up, e.g. "management API not reachable". */
  readonly note?: string;
}

export type Probe = (url: string, timeoutMs: number) => Promise<ProbeSuccess>;

/** Hints shown with a down service: what to check, per service. */
const HINTS: Record<ServiceName, string> = {
  postgres: 'Start it with `sluice stack up`, or check DATABASE_URL.',
  rabbitmq: 'Start it with `sluice stack up`, or check RABBITMQ_URL.',
  redis: 'Start it with `sluice stack up`, or check REDIS_URL.',
  qdrant: 'Check that Qdrant runs and QDRANT_URL (and QDRANT_API_KEY) are right.',
};

const ENV_NAMES: Record<ServiceName, string> = {
  postgres: 'DATABASE_URL',
  rabbitmq: 'RABBITMQ_URL',
  redis: 'REDIS_URL',
  qdrant: 'QDRANT_URL',
};

const LABELS: Record<ServiceName, string> = { postgres: 'Postgres', rabbitmq: 'RabbitMQ', redis: 'Redis', qdrant: 'Qdrant' };

/** Rejects after `ms` so a hung server reads as down instead of hanging the report. */
export const withTimeout = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms (${what})`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });

const describeError = (error: unknown): string => {
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    const message = error.message || (typeof code === 'string' ? code : error.name);
    return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
  }
  return String(error);
};

/** Runs one probe and turns its outcome into the contract's ServiceHealth. */
export const checkService = async (
  service: ServiceName,
  url: string | null,
  probe: Probe,
  timeoutMs: number,
  now: () => Date = () => new Date(),
): Promise<ServiceHealth> => {
  const checkedAt = now().toISOString();
  if (!url) {
    return {
      service,
      state: 'not_configured',
      version: null,
      latencyMs: null,
      target: null,
      message: `${LABELS[service]} is not configured: set ${ENV_NAMES[service]} to use it.`,
      checkedAt,
    };
  }
  const target = redactUrl(url);
  const started = performance.now();
  try {
    const result = await withTimeout(probe(url, timeoutMs), timeoutMs, `${LABELS[service]} probe`);
    return {
      service,
      state: 'up',
      version: result.version,
      latencyMs: Math.round((performance.now() - started) * 10) / 10,
      target,
      message: result.note ?? null,
      checkedAt,
    };
  } catch (error) {
    return {
      service,
      state: 'down',
      version: null,
      latencyMs: null,
      target,
      message: `Cannot reach ${LABELS[service]} at ${target}: ${describeError(error)}. ${HINTS[service]}`,
      checkedAt,
    };
  }
};
