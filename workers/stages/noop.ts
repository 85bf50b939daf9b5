import { createHash } from 'node:crypto';

import type { MessageOf } from '../../shared/queue/messages';
import type { Stage } from '../../shared/worker-protocol/protocol';
import type { HandlerContext } from '../queue/consumer';
import type { Publisher } from '../queue/publisher';
import type { HandlerDefinition } from './types';

/**
 * `noop`: does no work but moves each message on to the next stage with the same ids (and the same
 * AMQP message id), so a unit flows extract → transform → load → vectorize through the real queues.
 * The runtime benchmark and the supervisor tests use it; real handlers (connectors, transform, load)
 * replace it per stage.
 *
 * There is no raw store behind it, so extract derives the raw id from the cursor when the cursor is a
 * positive integer (benchmarks put the unit number there), else from a hash of the message id.
 */

/** A stable positive id for a unit that has no raw row. */
export const syntheticRawId = (cursor: string | null, messageId: string | null): number => {
  if (cursor && /^[1-9]\d{0,14}$/.test(cursor)) return Number(cursor);
  const digest = createHash('sha256').update(messageId ?? cursor ?? 'unit').digest();
  return digest.readUIntBE(0, 6) + 1; // 48 bits: stays a safe integer
};

type Forward = (publisher: Publisher, message: MessageOf<Stage>, ctx: HandlerContext) => Promise<void>;

const options = (ctx: HandlerContext) => (ctx.messageId ? { messageId: ctx.messageId } : {});

/** Publishes the next stage's message; vectorize is the last stage and publishes nothing. */
export const forwardToNextStage: Forward = async (publisher, message, ctx) => {
  if (message.kind === 'vectorize') return; // the last stage (and its v2 jobs carry no run to forward)
  const { v, tenantId, integrationId, runId, stepKey } = message;
  const base = { v, tenantId, integrationId, runId, stepKey, attempt: 1 };
  switch (message.kind) {
    case 'extract':
      await publisher.publishStage('transform', { ...base, kind: 'transform', rawId: syntheticRawId(message.cursor, ctx.messageId) }, options(ctx));
      return;
    case 'transform':
      await publisher.publishStage('load', { ...base, kind: 'load', rawId: message.rawId }, options(ctx));
      return;
    case 'load':
      await publisher.publishStage('vectorize', { ...base, kind: 'vectorize', entity: 'noop', ids: [message.rawId], rawId: message.rawId }, options(ctx));
      return;
  }
};

export const noop: HandlerDefinition = {
  stages: ['extract', 'transform', 'load', 'vectorize'],
  description: 'acks each message after publishing the next stage its ids (benchmarks, tests)',
  create: (_stage, { publisher }) => (message, ctx) => forwardToNextStage(publisher, message, ctx),
};
