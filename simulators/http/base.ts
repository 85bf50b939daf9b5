/**
 * The HTTP shell both simulators share: fastify on 127.0.0.1, the `/__control` endpoints, and the
 * request pipeline (latency → credentials → injected errors → budget) that runs before provider routes.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ErrorFault } from '../faults/faults';
import { type FaultState } from '../faults/faults';

export interface ControlHandlers {
  /** Simulates activity between two sync runs: updates `count` records and returns what changed. */
  update(count: number): unknown;
}

export interface ShellOptions {
  name: 'jira' | 'github';
  faults: FaultState;
  /** Whether the Authorization header carries the accepted credential. */
  authorize(header: string | undefined): boolean;
  unauthorized(reply: FastifyReply): FastifyReply;
  /** Answers an injected error fault in the provider's format. */
  renderFault(fault: ErrorFault, req: FastifyRequest, reply: FastifyReply): FastifyReply;
  /** Answers when the fault budget is spent. */
  budgetExhausted(req: FastifyRequest, reply: FastifyReply): FastifyReply;
  /** Fault kinds the shell applies before routing (the GraphQL route applies its own). */
  hookKinds: readonly ErrorFault['kind'][];
  /** Requests that do not count against the budget (GitHub's /rate_limit). */
  free?(req: FastifyRequest): boolean;
  /** Path prefixes the provider treats as aliases (e.g. /rest/api/latest → /rest/api/3). */
  rewriteUrl?(url: string): string;
  control: ControlHandlers;
  /** Extra control routes beyond faults/update/stats. */
  updateRoute: string;
}

export interface Stats {
  requests: number;
  byStatus: Record<string, number>;
  byRoute: Record<string, number>;
}

const UpdateBody = z.strictObject({ count: z.number().int().min(1).max(100_000) });

export function createShell(o: ShellOptions): { app: FastifyInstance; stats: Stats } {
  const app = Fastify({
    logger: false,
    routerOptions: { maxParamLength: 1000 },
    bodyLimit: 10 * 1024 * 1024,
    rewriteUrl: (req) => (o.rewriteUrl ? o.rewriteUrl(req.url ?? '/') : (req.url ?? '/')),
  });
  const stats: Stats = { requests: 0, byStatus: {}, byRoute: {} };

  app.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith('/__control')) return;
    stats.requests += 1;
    const route = req.routeOptions.url ?? 'unknown';
    stats.byRoute[`${req.method} ${route}`] = (stats.byRoute[`${req.method} ${route}`] ?? 0) + 1;
    if (o.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, o.faults.latencyMs));
    if (o.faults.strictAuth && !o.authorize(req.headers.authorization)) return o.unauthorized(reply);
    const fault = o.faults.takeError(req.url, o.hookKinds);
    if (fault) return o.renderFault(fault, req, reply);
    if (!o.free?.(req)) {
      const left = o.faults.spendBudget();
      if (left !== null && left < 0) return o.budgetExhausted(req, reply);
    }
  });
  app.addHook('onResponse', async (req, reply) => {
    if (req.url.startsWith('/__control')) return;
    stats.byStatus[String(reply.statusCode)] = (stats.byStatus[String(reply.statusCode)] ?? 0) + 1;
  });

  const bad = (reply: FastifyReply, e: unknown) => reply.code(400).send({ message: e instanceof Error ? e.message : String(e) });
  app.get('/__control/faults', async () => o.faults.get());
  app.put('/__control/faults', async (req, reply) => {
    try {
      return o.faults.replace(req.body);
    } catch (e) {
      return bad(reply, e);
    }
  });
  app.post('/__control/faults', async (req, reply) => {
    try {
      return o.faults.merge(req.body);
    } catch (e) {
      return bad(reply, e);
    }
  });
  app.delete('/__control/faults', async () => {
    o.faults.clear();
    return o.faults.get();
  });
  app.post(o.updateRoute, async (req, reply) => {
    const body = UpdateBody.safeParse(req.body ?? {});
    if (!body.success) return bad(reply, new Error('The body must be {"count": N} with N between 1 and 100000.'));
    return o.control.update(body.data.count);
  });
  app.get('/__control/stats', async () => stats);
  return { app, stats };
}

/** Listens on loopback only (the simulators hold fake but realistic data; nothing outside needs them). */
export async function listenLoopback(app: FastifyInstance, port = 0): Promise<string> {
  await app.listen({ host: '127.0.0.1', port });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('The simulator did not get a TCP address after listen.');
  return `http://127.0.0.1:${addr.port}`;
}

/** The base URL a request was made to, for self and pagination links that must stay local. */
export function baseOf(req: FastifyRequest): string {
  return `${req.protocol}://${req.headers.host ?? req.hostname}`;
}

/** A query parameter that may be repeated or comma-separated, flattened. */
export function listParam(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.flatMap((v) => String(v).split(',')).map((s) => s.trim()).filter((s) => s.length > 0);
}

export function intParam(value: unknown, fallback: number): number | null {
  if (value === undefined || value === '') return fallback;
  const s = Array.isArray(value) ? value[0] : value;
  const n = Number(s);
  return Number.isInteger(n) ? n : null;
}
