import type { z } from 'zod';

import { bundleEvents, bundleMethods } from './bundles';
import { integrationsMethods } from './integrations';
import { type Role, roleAllows } from './roles';
import { jobsEvents, jobsMethods } from './jobs';
import { mappingsMethods } from './mappings';
import { metricsMethods } from './metrics';
import { notificationEvents } from './notifications';
import { queuesMethods } from './queues';
import { runInsightsMethods } from './run-insights';
import { rawMethods } from './raw';
import { profilesMethods } from './profiles';
import { runsEvents, runsMethods } from './runs';
import { sessionEvents, sessionMethods } from './session';
import { systemEvents, systemMethods } from './system';
import { tenantsMethods } from './tenants';
import { vectorsMethods } from './vectors';
import { workersMethods } from './workers';

/**
 * The whole API contract: every call and every push event, each declared once.
 * Add a domain by writing `shared/contract/<domain>.ts` and spreading it here.
 */
export const methods = {
  ...systemMethods,
  ...tenantsMethods,
  ...integrationsMethods,
  ...mappingsMethods,
  ...workersMethods,
  ...jobsMethods,
  ...runsMethods,
  ...runInsightsMethods,
  ...queuesMethods,
  ...metricsMethods,
  ...vectorsMethods,
  ...rawMethods,
  ...bundleMethods,
  ...profilesMethods,
  ...sessionMethods,
} as const;

export const events = {
  ...systemEvents,
  ...jobsEvents,
  ...runsEvents,
  ...notificationEvents,
  ...sessionEvents,
  ...bundleEvents,
} as const;

export type Methods = typeof methods;
export type Events = typeof events;
export type MethodName = keyof Methods;
export type EventName = keyof Events;

/** What a caller may pass (defaults still optional). */
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
/** What a handler receives after parsing (defaults applied). */
export type MethodParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;
export type EventPayload<E extends EventName> = z.output<Events[E]['payload']>;

export const methodNames = Object.keys(methods) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];

export const isMethodName = (name: unknown): name is MethodName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);

export const isEventName = (name: unknown): name is EventName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);

/** Whether `role` may call `method`: the engine enforces it, the console uses it to hide controls. */
export const canCall = (role: Role, method: MethodName): boolean => roleAllows(role, methods[method].role);

/** Hard cap on a request body across every transport; bigger calls are refused before parsing. */
export const MAX_REQUEST_BYTES = 1024 * 1024;
