import { z } from 'zod';

import { PoolHealth } from './health';
import { Stage } from './protocol';

/**
 * Pool commands from a console's engine to a `sluice worker` host, over Redis pub/sub (version 1).
 * The engine publishes a command on the host's control channel and waits on a reply channel of its
 * own; the host answers once with its pools after the command. Both sides parse what they receive.
 */
export const POOL_CONTROL_VERSION = 1;

export const PoolCommand = z.strictObject({
  v: z.literal(POOL_CONTROL_VERSION),
  id: z.string().min(1).max(100),
  action: z.enum(['scale', 'restart']),
  stage: Stage,
  /** scale only. */
  threads: z.number().int().min(0).max(64).optional(),
  /** Where the host publishes its reply. */
  replyTo: z.string().min(1).max(300),
});
export type PoolCommand = z.infer<typeof PoolCommand>;

export const PoolCommandReply = z.discriminatedUnion('ok', [
  z.strictObject({ v: z.literal(POOL_CONTROL_VERSION), id: z.string(), ok: z.literal(true), pools: z.array(PoolHealth) }),
  z.strictObject({ v: z.literal(POOL_CONTROL_VERSION), id: z.string(), ok: z.literal(false), message: z.string() }),
]);
export type PoolCommandReply = z.infer<typeof PoolCommandReply>;

/** Channel names under the host-key namespace (`sluice:` unless a deployment sets another). */
export const poolControlChannels = (namespace = 'sluice:') => ({
  control: (hostId: string) => `${namespace}hosts:${hostId}:control`,
  reply: (id: string) => `${namespace}hosts-replies:${id}`,
});
