import { randomUUID } from 'node:crypto';

import { Redis } from 'ioredis';

import { ApiError } from '../../../shared/contract/errors';
import type { PoolHealth } from '../../../shared/worker-protocol/health';
import { POOL_CONTROL_VERSION, PoolCommand, PoolCommandReply, poolControlChannels } from '../../../shared/worker-protocol/pool-control';
import type { Stage } from '../../../shared/worker-protocol/protocol';

/**
 * Scale and restart the pools of a `sluice worker` host from a console (shared/worker-protocol/pool-control.ts).
 * The host listens on its own channel (`listenForPoolCommands`, started by `sluice worker` next to its
 * heartbeat); the engine sends with `sendPoolCommand` and waits for the one reply. Pub/sub has no
 * delivery guarantee, so "nobody received it" (PUBLISH answered 0) and "no reply in time" are both
 * reported to the operator as what they are, never taken as done.
 */

/** What the host side needs from its supervisor. */
export interface ControllablePools {
  scale(stage: Stage, threads: number): void;
  restartPool(stage: Stage): Promise<void>;
  pools(): PoolHealth[];
}

export interface PoolCommandListener {
  stop(): Promise<void>;
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export const listenForPoolCommands = async (options: {
  readonly redisUrl: string;
  readonly hostId: string;
  readonly pools: ControllablePools;
  readonly namespace?: string;
  readonly onCommand?: (command: PoolCommand, outcome: string) => void;
}): Promise<PoolCommandListener> => {
  const channels = poolControlChannels(options.namespace);
  const channel = channels.control(options.hostId);
  const subscriber = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: null, connectionName: `sluice-worker-control ${options.hostId}` });
  const publisher = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  subscriber.on('error', () => undefined);
  publisher.on('error', () => undefined);
  const running = new Set<Promise<void>>();
  subscriber.on('message', (ch: string, raw: string) => {
    if (ch !== channel) return;
    let command: PoolCommand;
    try {
      command = PoolCommand.parse(JSON.parse(raw));
    } catch {
      return; // another version or garbage: the sender times out and says so
    }
    const reply = async (body: PoolCommandReply): Promise<void> => {
      await publisher.publish(command.replyTo, JSON.stringify(body)).catch(() => undefined);
    };
    const work = (async () => {
      try {
        if (command.action === 'scale') {
          if (command.threads === undefined) throw new Error('a scale command needs `threads`');
          options.pools.scale(command.stage, command.threads);
        } else {
          // Answer once the new threads run; the old ones drain in the background.
          await Promise.race([options.pools.restartPool(command.stage), new Promise((r) => setTimeout(r, 5_000).unref())]);
        }
        options.onCommand?.(command, 'ok');
        await reply({ v: POOL_CONTROL_VERSION, id: command.id, ok: true, pools: options.pools.pools() });
      } catch (error) {
        options.onCommand?.(command, errorText(error));
        await reply({ v: POOL_CONTROL_VERSION, id: command.id, ok: false, message: errorText(error) });
      }
    })();
    running.add(work);
    void work.finally(() => running.delete(work));
  });
  try {
    await Promise.all([subscriber.connect(), publisher.connect()]);
    await subscriber.subscribe(channel);
  } catch (error) {
    subscriber.disconnect();
    publisher.disconnect();
    throw new Error(`Could not listen for pool commands in Redis (${errorText(error)}); check REDIS_URL.`);
  }
  return {
    stop: async () => {
      await subscriber.unsubscribe(channel).catch(() => undefined);
      await Promise.allSettled([...running]);
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
};

export const sendPoolCommand = async (
  redisUrl: string,
  hostId: string,
  command: { action: 'scale' | 'restart'; stage: Stage; threads?: number },
  options: { namespace?: string; timeoutMs?: number } = {},
): Promise<PoolHealth[]> => {
  const channels = poolControlChannels(options.namespace);
  const id = randomUUID();
  const replyTo = channels.reply(id);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const subscriber = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5_000 });
  const publisher = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5_000 });
  subscriber.on('error', () => undefined);
  publisher.on('error', () => undefined);
  try {
    try {
      await Promise.all([subscriber.connect(), publisher.connect()]);
    } catch (error) {
      throw new ApiError('unavailable', `Redis is unreachable (${errorText(error)}), so host ${hostId} cannot be reached; check the System page.`);
    }
    const answer = new Promise<PoolCommandReply>((resolve, reject) => {
      const timer = setTimeout(() => reject(new ApiError('unavailable', `Host ${hostId} did not answer within ${Math.round(timeoutMs / 1000)} s; it may be busy or lost. Check its log, then look at the Workers screen again.`)), timeoutMs);
      subscriber.on('message', (ch: string, raw: string) => {
        if (ch !== replyTo) return;
        const parsed = (() => {
          try {
            return PoolCommandReply.safeParse(JSON.parse(raw));
          } catch {
            return null;
          }
        })();
        if (!parsed?.success || parsed.data.id !== id) return;
        clearTimeout(timer);
        resolve(parsed.data);
      });
    });
    answer.catch(() => undefined);
    await subscriber.subscribe(replyTo);
    const body: PoolCommand = { v: POOL_CONTROL_VERSION, id, action: command.action, stage: command.stage, replyTo, ...(command.threads !== undefined ? { threads: command.threads } : {}) };
    const receivers = await publisher.publish(channels.control(hostId), JSON.stringify(body));
    if (receivers === 0) {
      throw new ApiError('conflict', `Host ${hostId} is not listening for pool commands: it stopped or was lost, or it runs a Sluice without remote pool control. Restart it with \`sluice worker\`.`);
    }
    const reply = await answer;
    if (!reply.ok) throw new ApiError('bad_request', `Host ${hostId} refused: ${reply.message}`);
    return reply.pools;
  } finally {
    subscriber.disconnect();
    publisher.disconnect();
  }
};
