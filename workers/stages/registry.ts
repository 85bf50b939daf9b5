import type { Stage } from '../../shared/worker-protocol/protocol';
import { noop } from './noop';
import { pipelineHandlers } from './pipeline';
import { testCrash, testSlow } from './testing';
import type { HandlerDefinition } from './types';
import { vectorize } from './vectorize';

/**
 * Every stage handler a worker thread can be told to use, by name (`WorkerSettings.handler`).
 * Connectors, transform, load and vectorize register here as they land (issues 5/6).
 */
export const handlers = {
  noop,
  'test-slow': testSlow,
  'test-crash': testCrash,
  ...pipelineHandlers,
  vectorize,
} as const satisfies Record<string, HandlerDefinition>;

export type HandlerName = keyof typeof handlers;

/** The handler `name` for `stage`, or an error saying what exists. */
export const resolveHandler = (name: string, stage: Stage): HandlerDefinition => {
  const known = Object.keys(handlers);
  const definition = Object.hasOwn(handlers, name) ? handlers[name as HandlerName] : undefined;
  if (!definition) throw new Error(`No stage handler is named "${name}"; known handlers: ${known.join(', ')}. Fix the worker settings.`);
  if (!definition.stages.includes(stage)) {
    throw new Error(`Handler "${name}" cannot run in the ${stage} stage (it handles ${definition.stages.join(', ')}).`);
  }
  return definition;
};
