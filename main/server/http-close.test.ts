import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { silentLogger } from '../engine/logger';
import type { EngineApi } from '../engine/types';
import { startHttpServer } from './http';

/**
 * Stopping `sluice serve` never waits on a client: a connection in the middle of a request (a tab
 * whose socket stays open, a stuck client) is cut after a short grace instead of holding the stop.
 */
describe('the HTTP server stop', () => {
  it('cuts a connection that never finishes its request, within the grace', async () => {
    const engine: EngineApi = { call: () => Promise.resolve({}), subscribe: () => () => undefined };
    const server = await startHttpServer(engine, { host: '127.0.0.1', port: 0, token: 'close-test-token-0123456789', usersFile: join(mkdtempSync(join(tmpdir(), 'sluice-close-')), 'users.json'), rendererDir: null, logger: silentLogger() });
    const socket = connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    // Headers that never end: the connection is busy, not idle, so a plain close would wait for it.
    socket.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nX-Slow: `);
    const cut = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const started = Date.now();
    await server.close();
    await cut;
    const took = Date.now() - started;
    expect(took).toBeLessThan(8_000);
    expect(socket.destroyed).toBe(true);
  }, 20_000);
});
