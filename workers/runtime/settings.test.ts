import { describe, expect, it } from 'vitest';

import { WORKER_PROTOCOL_VERSION } from '../../shared/worker-protocol/protocol';
import { parseWorkerSettings } from './settings';

const valid = { protocol: WORKER_PROTOCOL_VERSION, stage: 'load', hostId: 'h1', handler: 'noop', rabbitmqUrl: 'amqp://guest:guest@127.0.0.1:5672' };

describe('worker settings', () => {
  it('fills defaults for optional fields', () => {
    const s = parseWorkerSettings(valid);
    expect(s).toMatchObject({ stage: 'load', prefetch: 10, statsIntervalMs: 500, databaseUrl: null, redisUrl: null, topology: { prefix: '' }, handlerOptions: {} });
  });

  it('refuses a thread started without settings', () => {
    expect(() => parseWorkerSettings(undefined)).toThrow(/got no settings/);
  });

  it('refuses another protocol version with what to do', () => {
    expect(() => parseWorkerSettings({ ...valid, protocol: 1 })).toThrow(new RegExp(`protocol ${WORKER_PROTOCOL_VERSION} but was started with protocol 1; rebuild`));
  });

  it('names each invalid field', () => {
    expect(() => parseWorkerSettings({ ...valid, stage: 'publish', rabbitmqUrl: 'http://x', prefetch: 0 })).toThrow(/stage: .*rabbitmqUrl: must be an amqp.*prefetch/);
  });

  it('rejects unknown fields (a typo must not be silently ignored)', () => {
    expect(() => parseWorkerSettings({ ...valid, prefech: 5 })).toThrow(/Invalid worker settings/);
  });
});
