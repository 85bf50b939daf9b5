import { z } from 'zod';

/**
 * The messages between the engine's supervisor and a worker thread. Both sides validate what they
 * receive; a version mismatch (an old worker bundle next to a new engine) is refused at `ready`.
 */
export const WORKER_PROTOCOL_VERSION = 1;

export const Stage = z.enum(['extract', 'transform', 'load', 'vectorize']);
export type Stage = z.infer<typeof Stage>;

export const SupervisorMessage = z.discriminatedUnion('type', [
  /** Stop taking work, finish what is in flight within graceMs, then exit. */
  z.object({ type: z.literal('shutdown'), graceMs: z.number().int().nonnegative() }),
  z.object({ type: z.literal('ping'), id: z.number().int() }),
]);
export type SupervisorMessage = z.infer<typeof SupervisorMessage>;

export const WorkerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), stage: Stage, protocol: z.number().int(), threadId: z.number().int() }),
  z.object({ type: z.literal('pong'), id: z.number().int() }),
  z.object({ type: z.literal('stopped'), stage: Stage }),
  z.object({ type: z.literal('fatal'), stage: Stage, message: z.string() }),
]);
export type WorkerMessage = z.infer<typeof WorkerMessage>;
