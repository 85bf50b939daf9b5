/**
 * The Jira Cloud REST v3 simulator. Accepts `Authorization: Bearer <token>` or Basic with any email and
 * the token as API token; everything else gets 401 in Jira's error format.
 */
import type { FastifyReply } from 'fastify';
import type { ErrorFault, FaultsInput } from '../faults/faults';
import { FaultState } from '../faults/faults';
import { createShell, listenLoopback } from '../http/base';
import { controlOf, DEFAULT_TOKEN, type RunningSimulator } from '../http/simulator';
import { resolveWorld, type WorldSource } from '../world/source';
import type { JiraContext } from './context';
import { CursorCodec } from './cursor';
import { jiraError } from './errors';
import { registerDevRoutes } from './routes-dev';
import { registerMetaRoutes } from './routes-meta';
import { registerSearchRoutes } from './routes-search';
import { JiraStore } from './store';

export interface JiraSimulatorOptions extends WorldSource {
  /** 0 or absent: a free port. */
  port?: number;
  token?: string;
  faults?: FaultsInput;
  /** Histories embedded per issue by search `expand=changelog` (default 20, as Jira Cloud's new search). */
  changelogEmbedLimit?: number;
}

export function jiraAuthorized(header: string | undefined, token: string): boolean {
  if (!header) return false;
  const [scheme, value] = header.split(/\s+/, 2);
  if (!value) return false;
  if (scheme?.toLowerCase() === 'bearer') return value === token;
  if (scheme?.toLowerCase() !== 'basic') return false;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 && decoded.slice(colon + 1) === token;
}

function renderFault(fault: ErrorFault, reply: FastifyReply): FastifyReply {
  const wait = fault.retryAfterSeconds ?? 2;
  switch (fault.kind) {
    case '429-retry-after':
      reply.header('Retry-After', String(wait)).header('RateLimit-Reason', 'jira-burst-based');
      return jiraError(reply, 429, ['Rate limit exceeded.']);
    case '429-reset-only':
      reply.header('X-RateLimit-Reset', new Date(Date.now() + wait * 1000).toISOString().slice(0, 16) + 'Z');
      return jiraError(reply, 429, ['Rate limit exceeded.']);
    case '429-bare':
      return jiraError(reply, 429, ['Rate limit exceeded.']);
    case '503':
      reply.header('Retry-After', String(wait));
      return jiraError(reply, 503, ['Service Unavailable. Please try again later.']);
    default:
      return jiraError(reply, 403, ['You do not have permission to perform this operation.']);
  }
}

export async function startJiraSimulator(options: JiraSimulatorOptions = {}): Promise<RunningSimulator> {
  const world = await resolveWorld(options);
  const token = options.token ?? DEFAULT_TOKEN;
  const faults = new FaultState(options.faults);
  const store = new JiraStore(world.jira, world.meta.seed ?? 1);
  const ctx: JiraContext = { world: world.jira, store, faults, cursor: new CursorCodec(), changelogEmbedLimit: options.changelogEmbedLimit ?? 20 };
  const update = (n: number) => store.updateIssues(n);
  const { app, stats } = createShell({
    name: 'jira',
    faults,
    authorize: (h) => jiraAuthorized(h, token),
    unauthorized: (reply) => jiraError(reply, 401, ['You are not authenticated. Authentication required to perform this operation.']),
    renderFault: (f, _req, reply) => renderFault(f, reply),
    budgetExhausted: (_req, reply) => {
      reply.header('Retry-After', '60').header('X-RateLimit-Remaining', '0').header('RateLimit-Reason', 'jira-quota-tenant-based');
      return jiraError(reply, 429, ['Rate limit exceeded.']);
    },
    hookKinds: ['429-retry-after', '429-reset-only', '429-bare', '503', 'forbidden'],
    rewriteUrl: (url) => url.replace(/^\/rest\/api\/(2|latest)\//, '/rest/api/3/').replace(/^\/rest\/(dev-status|agile)\/latest\//, '/rest/$1/1.0/'),
    control: { update: (n) => ({ updated: update(n) }) },
    updateRoute: '/__control/update-issues',
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.url.startsWith('/__control') || reply.statusCode >= 400) return payload;
    const left = faults.remainingBudget();
    if (left !== null) reply.header('X-RateLimit-Remaining', String(left));
    if (faults.nearLimit) reply.header('X-RateLimit-NearLimit', 'true');
    return payload;
  });
  registerMetaRoutes(app, ctx);
  registerSearchRoutes(app, ctx);
  registerDevRoutes(app, ctx);
  app.setNotFoundHandler((req, reply) => jiraError(reply, 404, [`The Sluice Jira simulator does not serve ${req.method} ${req.url.split('?')[0]}.`]));
  const url = await listenLoopback(app, options.port);
  return { url, world, token, control: controlOf(faults, update, stats), stop: () => app.close() };
}
