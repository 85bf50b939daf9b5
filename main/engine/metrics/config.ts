import { z } from 'zod';

/**
 * Where Prometheus metrics are served: a port on loopback (127.0.0.1), off unless asked for with
 * SLUICE_METRICS_PORT or `--metrics-port`. Loopback only: metrics name tenants' runs and hosts, so a
 * monitoring agent on the same machine (or a tunnel) scrapes them, never the network at large.
 */
export const METRICS_HOST = '127.0.0.1';

const Port = z.coerce
  .number({ error: 'must be a port number' })
  .int('must be a whole number')
  .min(1, 'must be from 1 to 65535 (0 is not allowed: a scraper needs a fixed port)')
  .max(65535, 'must be from 1 to 65535');

export class MetricsConfigError extends Error {
  override readonly name = 'MetricsConfigError';
}

/** The port to serve on, or null (off). The flag wins over the environment variable. */
export const metricsPortFrom = (env: NodeJS.ProcessEnv, flag?: string | number): number | null => {
  const [source, value] = flag !== undefined ? ['--metrics-port', String(flag)] : ['SLUICE_METRICS_PORT', env['SLUICE_METRICS_PORT']];
  if (value === undefined || value.trim() === '' || (source === 'SLUICE_METRICS_PORT' && value.trim() === 'off')) return null;
  const parsed = Port.safeParse(value.trim());
  if (!parsed.success) throw new MetricsConfigError(`${source} ${parsed.error.issues[0]?.message ?? 'is invalid'}, got "${value}"; e.g. ${source === '--metrics-port' ? '--metrics-port 9464' : 'SLUICE_METRICS_PORT=9464'}.`);
  return parsed.data;
};
