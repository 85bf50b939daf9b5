import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Registry } from 'prom-client';

import { METRICS_HOST } from './config';

/**
 * `/metrics` on its own loopback port, apart from the console's API: a scraper needs no console token,
 * and the console's port stays the only one that can change anything. GET /metrics only.
 */
export interface MetricsServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export const startMetricsServer = async (registry: Registry, port: number, host = METRICS_HOST): Promise<MetricsServer> => {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Only GET /metrics is served here.\n');
      return;
    }
    registry
      .metrics()
      .then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text))
      .catch((error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`Metrics could not be collected: ${error instanceof Error ? error.message : String(error)}\n`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`Metrics port ${port} is in use on ${host}: pick another with --metrics-port or SLUICE_METRICS_PORT.`) : error),
    );
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actual}/metrics`,
    port: actual,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
