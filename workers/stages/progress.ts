import { ProgressPublisher } from '../coordination/progress';
import { ParentPortProgressBus } from '../coordination/progress-port';
import { RedisProgressBus } from '../coordination/progress-redis';
import { createRedis } from '../coordination/redis';
import type { HandlerDeps } from './types';

/**
 * Live progress: "run changed" signals coalesced per run (at most 4 a second from this thread, the
 * last one always sent), over Redis pub/sub to every engine, or to this process's supervisor without
 * Redis. The engine reads the counters from Postgres when it pushes them, so nothing is computed or
 * written here per unit.
 */
export const createProgress = (deps: HandlerDeps): ProgressPublisher => {
  const { settings, onDispose } = deps;
  const warn = (error: unknown): void => console.warn(`[sluice progress] ${error instanceof Error ? error.message : String(error)}`);
  if (settings.redisUrl) {
    const url = settings.redisUrl;
    const keyPrefix = settings.topology.prefix;
    const client = createRedis({ url, role: 'commands', keyPrefix });
    const publisher = new ProgressPublisher(new RedisProgressBus({ publisher: client, subscriber: () => createRedis({ url, role: 'subscriber', keyPrefix }), keyPrefix }), { perSecond: 4, onError: warn });
    onDispose(async () => {
      await publisher.close();
      await client.quit().catch(() => client.disconnect());
    });
    return publisher;
  }
  const publisher = new ProgressPublisher(new ParentPortProgressBus(settings.stage), { perSecond: 4, onError: warn });
  onDispose(() => publisher.close());
  return publisher;
};

