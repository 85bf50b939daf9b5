import type { FastifyInstance } from 'fastify';
import type pino from 'pino';
import type { WebSocket } from 'ws';

import { isEventName, type EventName } from '../../shared/contract/api';
import { ClientSocketMessage, type ServerSocketMessage } from '../../shared/contract/wire';
import type { EngineApi } from '../engine/types';
import { authenticate, isAllowedOrigin } from './auth';
import type { Principals } from './principals';

/** A console that cannot keep up is disconnected rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export interface EventSocketOptions {
  readonly path: string;
  readonly principals: Principals;
  readonly allowedHosts: ReadonlySet<string>;
  readonly logger: pino.Logger;
}

/**
 * Push events over one WebSocket per console. The socket is authenticated like a call (cookie or
 * bearer) and checked for origin; the console chooses its events with `subscribe`.
 */
export const attachEventSocket = (app: FastifyInstance, engine: EngineApi, options: EventSocketOptions): void => {
  app.get(
    options.path,
    {
      websocket: true,
      preValidation: async (request, reply) => {
        if (!isAllowedOrigin(request.headers.origin, options.allowedHosts)) {
          return reply.code(403).send({ ok: false, error: { code: 'forbidden', message: 'Cross-origin event sockets are refused.' } });
        }
        const auth = authenticate(request.headers, options.principals, { requireClientHeader: false });
        if (!auth.ok) return reply.code(401).send({ ok: false, error: { code: 'unauthorized', message: auth.reason } });
      },
    },
    (socket: WebSocket) => {
      const wanted = new Set<EventName>();
      const send = (message: ServerSocketMessage) => {
        if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
          socket.close(1013, 'console too slow; reconnect');
          return;
        }
        socket.send(JSON.stringify(message));
      };
      const unsubscribe = engine.subscribe((event, payload) => {
        if (wanted.has(event)) send({ type: 'event', event, payload });
      });
      socket.on('message', (data: Buffer) => {
        let parsed: ReturnType<typeof ClientSocketMessage.safeParse>;
        try {
          parsed = ClientSocketMessage.safeParse(JSON.parse(data.toString('utf8')));
        } catch {
          parsed = ClientSocketMessage.safeParse(undefined);
        }
        if (!parsed.success) {
          send({ type: 'error', error: { code: 'bad_request', message: 'Unknown socket message; expected {type:"subscribe",events:[...]} or {type:"ping"}.' } });
          return;
        }
        if (parsed.data.type === 'ping') return send({ type: 'pong' });
        const unknown = parsed.data.events.filter((e) => !isEventName(e));
        if (unknown.length) send({ type: 'error', error: { code: 'not_found', message: `Unknown events: ${unknown.join(', ')}` } });
        for (const e of parsed.data.events) if (isEventName(e)) wanted.add(e);
      });
      socket.on('close', unsubscribe);
      socket.on('error', (err) => options.logger.warn({ err }, 'event socket error'));
    },
  );
};
