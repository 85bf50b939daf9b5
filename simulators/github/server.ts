/**
 * The GitHub REST + GraphQL simulator. Accepts `Authorization: Bearer <token>` or `token <token>`;
 * every response carries the five `x-ratelimit-*` headers.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorFault, FaultsInput } from '../faults/faults';
import { FaultState } from '../faults/faults';
import { createShell, listenLoopback } from '../http/base';
import { controlOf, DEFAULT_TOKEN, type RunningSimulator } from '../http/simulator';
import { resolveWorld, type WorldSource } from '../world/source';
import { DOCS, type GithubContext } from './context';
import { registerGraphql } from './graphql/endpoint';
import { DEFAULT_LIMITS, DEFAULT_WINDOWS_MS, RateBook, resourceOf, type RateLimits, type Resource } from './rate';
import { notFound, registerRestRoutes } from './rest';
import { GithubStore } from './store';

export interface GithubSimulatorOptions extends WorldSource {
  port?: number;
  token?: string;
  faults?: FaultsInput;
  /** Per-resource limits (default: core 5000/h, search 30/min, graphql 5000 points/h). */
  rateLimits?: Partial<RateLimits>;
  /** Per-resource window lengths in ms (default: an hour, a minute for search); tests shorten them. */
  rateWindowsMs?: Partial<Record<Resource, number>>;
}

export function githubAuthorized(header: string | undefined, token: string): boolean {
  const m = /^(bearer|token)\s+(\S+)$/i.exec(header ?? '');
  return !!m && m[2] === token;
}

const RATE_DOCS = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';

function primary(reply: FastifyReply, status: 403 | 429): FastifyReply {
  reply.header('x-ratelimit-remaining', '0');
  return reply.code(status).send({ message: 'API rate limit exceeded for user ID 1000. If you reach out to GitHub Support for help, please include the request ID.', documentation_url: RATE_DOCS, status: String(status) });
}

function graphqlLimited(reply: FastifyReply): FastifyReply {
  reply.header('x-ratelimit-remaining', '0');
  return reply.code(200).send({ errors: [{ type: 'RATE_LIMITED', message: 'API rate limit already exceeded for user ID 1000.' }] });
}

function renderFault(fault: ErrorFault, req: FastifyRequest, reply: FastifyReply, rates: RateBook): FastifyReply {
  const wait = fault.retryAfterSeconds;
  switch (fault.kind) {
    case 'github-primary':
      reply.header('x-ratelimit-reset', String(Math.ceil(Date.now() / 1000) + (wait ?? 60)));
      return primary(reply, fault.status ?? 403);
    case 'github-secondary':
      if (wait !== undefined) reply.header('retry-after', String(wait));
      return reply.code(fault.status ?? 403).send({ message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', documentation_url: RATE_DOCS, status: String(fault.status ?? 403) });
    case '429-retry-after':
      reply.header('retry-after', String(wait ?? 2));
      return reply.code(429).send({ message: 'Too Many Requests', documentation_url: RATE_DOCS, status: '429' });
    case '429-reset-only':
      reply.header('x-ratelimit-remaining', '0').header('x-ratelimit-reset', String(Math.ceil(Date.now() / 1000) + (wait ?? 2)));
      return reply.code(429).send({ message: 'Too Many Requests', documentation_url: RATE_DOCS, status: '429' });
    case '429-bare':
      return reply.code(429).send({ message: 'Too Many Requests', documentation_url: RATE_DOCS, status: '429' });
    case '503':
      reply.header('retry-after', String(wait ?? 2));
      return reply.code(503).send({ message: 'Service Unavailable', documentation_url: DOCS, status: '503' });
    default:
      void rates;
      void req;
      return reply.code(403).send({ message: 'Resource not accessible by personal access token', documentation_url: DOCS, status: '403' });
  }
}

export async function startGithubSimulator(options: GithubSimulatorOptions = {}): Promise<RunningSimulator> {
  const world = await resolveWorld(options);
  const token = options.token ?? DEFAULT_TOKEN;
  const faults = new FaultState(options.faults);
  const rates = new RateBook({ ...DEFAULT_LIMITS, ...options.rateLimits }, { ...DEFAULT_WINDOWS_MS, ...options.rateWindowsMs });
  const store = new GithubStore(world.github, world.meta.seed ?? 1);
  const ctx: GithubContext = { world: world.github, store, faults, rates };
  const update = (n: number) => store.updatePulls(n);
  const { app, stats } = createShell({
    name: 'github',
    faults,
    authorize: (h) => githubAuthorized(h, token),
    unauthorized: (reply) => reply.code(401).send({ message: 'Bad credentials', documentation_url: DOCS, status: '401' }),
    renderFault: (f, req, reply) => renderFault(f, req, reply, rates),
    budgetExhausted: (req, reply) => (req.url.startsWith('/graphql') ? graphqlLimited(reply) : primary(reply, 403)),
    hookKinds: ['429-retry-after', '429-reset-only', '429-bare', '503', 'github-primary', 'github-secondary', 'forbidden'],
    free: (req) => req.url.startsWith('/rate_limit'),
    control: { update: (n) => ({ updated: update(n) }) },
    updateRoute: '/__control/update-pulls',
  });
  // REST requests spend one point of their resource; GraphQL spends its computed cost in the route.
  app.addHook('preHandler', async (req, reply) => {
    const resource = resourceOf(req.url);
    if (req.url.startsWith('/__control') || req.url.startsWith('/rate_limit') || resource === 'graphql') return;
    if (!rates.spend(resource)) return primary(reply, 403);
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (!req.url.startsWith('/__control')) rates.headers(reply, resourceOf(req.url), faults.remainingBudget());
    if (!reply.hasHeader('x-github-api-version-selected')) reply.header('x-github-api-version-selected', '2022-11-28');
    return payload;
  });
  registerRestRoutes(app, ctx);
  registerGraphql(app, ctx, graphqlLimited);
  app.setNotFoundHandler((_req, reply) => notFound(reply));
  const url = await listenLoopback(app, options.port);
  return { url, world, token, control: controlOf(faults, update, stats), stop: () => app.close() };
}
