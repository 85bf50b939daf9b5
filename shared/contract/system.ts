import { z } from 'zod';

import { defineEvent, defineMethod } from './define';

export const ServiceName = z.enum(['postgres', 'rabbitmq', 'redis', 'qdrant']);
export type ServiceName = z.infer<typeof ServiceName>;

export const ServiceState = z.enum(['up', 'down', 'not_configured']);
export type ServiceState = z.infer<typeof ServiceState>;

export const ServiceHealth = z.object({
  service: ServiceName,
  state: ServiceState,
  /** Server version as the service reports it, when up. */
  version: z.string().nullable(),
  /** Round trip of the probe in milliseconds, when up. */
  latencyMs: z.number().nonnegative().nullable(),
  /** Where we looked, with credentials removed. */
  target: z.string().nullable(),
  /** What happened and what to do, when not up. */
  message: z.string().nullable(),
  checkedAt: z.string(),
});
export type ServiceHealth = z.infer<typeof ServiceHealth>;

export const HealthReport = z.object({
  services: z.array(ServiceHealth),
  checkedAt: z.string(),
  engineVersion: z.string(),
  /** desktop: inside Electron; headless: `sluice serve`. */
  mode: z.enum(['desktop', 'headless']),
});
export type HealthReport = z.infer<typeof HealthReport>;

export const systemMethods = {
  'system.health': defineMethod({
    summary: 'Probe Postgres, RabbitMQ, Redis and Qdrant now and report state, version and latency',
    mutates: false,
    input: z.object({}).strict(),
    output: HealthReport,
  }),
};

export const systemEvents = {
  'system.health': defineEvent({
    summary: 'A fresh health report, pushed every few seconds while consoles are connected',
    payload: HealthReport,
  }),
};
