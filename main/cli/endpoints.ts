import type { EngineConfig } from '../engine/config';
import { stackStatus } from '../stack/stack';

/**
 * Fills the service URLs the environment does not set from the local stack, if it is running, so
 * `sluice migrate` / `sluice serve` work right after `sluice stack up` without exporting anything.
 */
export const withLocalStack = async (config: EngineConfig): Promise<EngineConfig> => {
  if (config.databaseUrl && config.rabbitmqUrl && config.redisUrl) return config;
  const status = await stackStatus({ home: config.home });
  const e = status.endpoints;
  if (!e) return config;
  const running = new Set(status.services.filter((s) => s.state === 'running').map((s) => s.name));
  return {
    ...config,
    databaseUrl: config.databaseUrl ?? (running.has('postgres') ? e.databaseUrl : null),
    rabbitmqUrl: config.rabbitmqUrl ?? (running.has('rabbitmq') ? e.rabbitmqUrl : null),
    rabbitmqManagementUrl: config.rabbitmqManagementUrl ?? (running.has('rabbitmq') ? e.rabbitmqManagementUrl : null),
    redisUrl: config.redisUrl ?? (running.has('redis') ? e.redisUrl : null),
  };
};
