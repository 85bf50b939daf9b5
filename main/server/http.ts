import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import type pino from 'pino';

import { MAX_REQUEST_BYTES } from '../../shared/contract/api';
import { ApiError, httpStatusOf } from '../../shared/contract/errors';
import { HTTP_CALL_PREFIX, SESSION_COOKIE, TENANT_HEADER, WS_EVENTS_PATH, type CallResult } from '../../shared/contract/wire';
import type { EngineApi } from '../engine/types';
import { authenticate, isAllowedHost } from './auth';
import { SECURITY_HEADERS } from './headers';
import { Principals } from './principals';
import { attachEventSocket } from './event-socket';
import { registerBundleUpload } from './bundle-upload';
import type { BundleStore } from '../engine/bundles/store';


/** How long a stop waits for open connections to finish before cutting them. */
const CLOSE_GRACE_MS = 3_000;
export interface HttpServerOptions {
  readonly host: string;
  readonly port: number;
  /** The server's own token: signs in as admin (SLUICE_TOKEN or `<home>/serve-token`). */
  readonly token: string;
  /** Named users with roles (`sluice users`); null or absent: only the server token signs in. */
  readonly usersFile?: string | null;
  /** Names a reverse proxy serves this under (`sluice.example.com`, `host:8443`): accepted as Host and Origin. */
  readonly publicHosts?: readonly string[];
  /** The built renderer (out/renderer); the API still works when it is missing. */
  readonly rendererDir: string | null;
  readonly logger: pino.Logger;
  /** Where uploaded `.sluice` bundles open (the engine's store); absent: no upload route. */
  readonly bundles?: BundleStore | null;
}

export interface RunningServer {
  readonly url: string;
  /** The URL that signs a browser in: open it once, it sets the session cookie and redirects to /. */
  readonly loginUrl: string;
  readonly port: number;
  close(): Promise<void>;
}

const errorResult = (error: ApiError): CallResult => ({ ok: false, error: error.toBody() });

const parseTenant = (value: string | string[] | undefined): number | null => {
  if (typeof value !== 'string' || value === '') return null;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new ApiError('bad_request', `${TENANT_HEADER} must be a positive integer tenant id.`);
  return n;
};

/** `sluice serve`: the engine's contract over HTTP + WebSocket, plus the built renderer. */
export const startHttpServer = async (engine: EngineApi, options: HttpServerOptions): Promise<RunningServer> => {
  const principals = new Principals({
    serveToken: options.token,
    usersFile: options.usersFile ?? null,
    onReloadError: (error) => options.logger.error({ err: error }, 'the users file cannot be read: its users cannot sign in until it is fixed'),
  });
  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: MAX_REQUEST_BYTES, trustProxy: false });
  const allowedHosts = new Set<string>();

  app.addHook('onRequest', async (request, reply) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) void reply.header(k, v);
    if (!isAllowedHost(request.headers.host, allowedHosts)) {
      return reply.code(421).send(errorResult(new ApiError('forbidden', `Host "${request.headers.host ?? ''}" is not served here.`)));
    }
  });

  app.setErrorHandler((error, _request, reply) => {
    const e = error as { code?: string; statusCode?: number; message: string };
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send(errorResult(new ApiError('payload_too_large', `Request body over ${MAX_REQUEST_BYTES} bytes refused.`)));
    }
    if (e.statusCode && e.statusCode < 500) {
      return reply.code(400).send(errorResult(new ApiError('bad_request', `Malformed request: ${e.message}`)));
    }
    options.logger.error({ err: error }, 'http request failed');
    return reply.code(500).send(errorResult(new ApiError('internal', 'Internal server error; the engine log has the details.')));
  });

  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });

  app.get('/healthz', async () => ({ ok: true }));

  app.get<{ Querystring: { token?: string } }>('/auth', async (request, reply) => {
    const principal = principals.byToken(request.query.token ?? '');
    if (!principal) {
      return reply.code(401).type('text/plain').send('Wrong, revoked or missing token: open the exact URL printed by `sluice serve`, or the one your admin gave you.');
    }
    const cookie = `${SESSION_COOKIE}=${principals.sessionFor(principal)}; HttpOnly; SameSite=Strict; Path=/`;
    return reply.header('set-cookie', cookie).redirect('/', 303);
  });

  app.post<{ Params: { method: string } }>(`${HTTP_CALL_PREFIX}:method`, async (request, reply) => {
    const auth = authenticate(request.headers, principals, { requireClientHeader: true });
    if (!auth.ok) return reply.code(401).send(errorResult(new ApiError('unauthorized', auth.reason)));
    try {
      const tenantId = parseTenant(request.headers[TENANT_HEADER]);
      const { name, role } = auth.principal;
      const result = await engine.call(request.params.method, request.body ?? {}, { transport: 'http', tenantId, principal: name, role });
      return reply.send({ ok: true, result } satisfies CallResult);
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError('internal', 'Internal error; the engine log has the details.');
      if (!(error instanceof ApiError)) options.logger.error({ err: error }, 'call failed outside the engine');
      return reply.code(httpStatusOf[apiError.code]).send(errorResult(apiError));
    }
  });

  if (options.bundles) await registerBundleUpload(app, { store: options.bundles, principals, logger: options.logger });

  attachEventSocket(app, engine, { path: WS_EVENTS_PATH, principals, allowedHosts, logger: options.logger });

  if (options.rendererDir && existsSync(options.rendererDir)) {
    await app.register(fastifyStatic, { root: options.rendererDir, index: ['index.html'] });
  } else {
    app.get('/', async (_req, reply) =>
      reply.type('text/plain').send('The console build is missing: run `npm run build`. The API is available under /api/v1.'),
    );
  }

  await app.listen({ host: options.host, port: options.port });
  const port = (app.server.address() as AddressInfo).port;
  for (const h of [options.host, '127.0.0.1', 'localhost', '[::1]']) allowedHosts.add(`${h}:${port}`.toLowerCase());
  for (const h of options.publicHosts ?? []) allowedHosts.add(h.toLowerCase());
  const hostForUrl = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  const url = `http://${hostForUrl}:${port}`;
  return {
    url,
    loginUrl: `${url}/auth?token=${encodeURIComponent(options.token)}`,
    port,
    close: async () => {
      // A console that keeps a socket open (a tab, a keep-alive request) must not hold the stop: after a
      // short grace, every connection and event socket is cut.
      const force = setTimeout(() => {
        app.server.closeAllConnections();
        for (const client of app.websocketServer.clients) client.terminate();
      }, CLOSE_GRACE_MS);
      force.unref();
      try {
        await app.close();
      } finally {
        clearTimeout(force);
      }
    },
  };
};
