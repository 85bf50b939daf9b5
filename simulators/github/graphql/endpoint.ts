/**
 * `POST /graphql`: parse → validate against GitHub's official schema (when `@octokit/graphql-schema` is
 * installed) and the served subset → node limit and cost → rate limit → execute. Errors use GitHub's
 * shape (`type` at the top level, no `extensions`).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { buildClientSchema, buildSchema, execute, parse, validate, type DocumentNode, type GraphQLError, type GraphQLSchema, type IntrospectionQuery } from 'graphql';
import { z } from 'zod';
import type { GithubContext } from '../context';
import { analyse, MAX_NODES } from './limits';
import { attachResolvers } from './resolvers';
import { SUBSET_SDL } from './schema';

const Body = z.object({ query: z.string().min(1), variables: z.record(z.string(), z.unknown()).nullable().optional(), operationName: z.string().nullable().optional() });

let official: Promise<GraphQLSchema | null> | null = null;

/** GitHub's published schema, built once per process; null when the package is not installed. */
export function officialSchema(): Promise<GraphQLSchema | null> {
  official ??= import('@octokit/graphql-schema')
    .then((m: { schema: { json: unknown } }) => {
      const json = m.schema.json as { data?: IntrospectionQuery } & IntrospectionQuery;
      return buildClientSchema(json.data ?? json);
    })
    .catch(() => null);
  return official;
}

function format(e: GraphQLError): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const type = e.extensions?.type;
  if (typeof type === 'string') out.type = type;
  if (e.path) out.path = e.path;
  if (e.locations) out.locations = e.locations;
  out.message = e.message;
  return out;
}

const SIM_VIEWER = {
  __typename: 'User', id: 'U_kgDOSluiceSim', databaseId: 1, login: 'sluice-sim', name: 'Sluice Simulator', email: '',
  avatarUrl: 'https://avatars.githubusercontent.com/u/1', url: 'https://github.com/sluice-sim', resourcePath: '/sluice-sim',
};

export function registerGraphql(app: FastifyInstance, ctx: GithubContext, rateLimited: (reply: FastifyReply) => FastifyReply): void {
  const subset = buildSchema(SUBSET_SDL);
  attachResolvers(subset, ctx, { poisonPage: (page) => ctx.faults.isPoisoned('/graphql', page) });
  // Start building the official schema now so the first request does not pay for it.
  void officialSchema();

  app.post('/graphql', async (req, reply) => {
    const parsed = Body.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com/graphql', status: '400' });
    const { query, operationName } = parsed.data;
    const variables = parsed.data.variables ?? {};
    let doc: DocumentNode;
    try {
      doc = parse(query);
    } catch (e) {
      return { errors: [format(e as GraphQLError)] };
    }
    const real = await officialSchema();
    if (real) {
      const errors = validate(real, doc);
      if (errors.length) return { errors: errors.map(format) };
    }
    const unsupported = validate(subset, doc);
    if (unsupported.length) {
      return { errors: unsupported.map((e) => ({ ...format(e), message: `The Sluice GitHub simulator does not serve this part of GitHub's schema: ${e.message}` })) };
    }
    const { nodeCount, cost } = analyse(doc, variables, operationName);
    if (nodeCount > MAX_NODES) {
      return { errors: [{ type: 'MAX_NODE_LIMIT_EXCEEDED', message: `This query requests up to ${nodeCount.toLocaleString('en-US')} possible nodes which exceeds the maximum limit of 500,000.` }] };
    }
    if (ctx.faults.takeError('/graphql', ['graphql-rate-limited']) || !ctx.rates.spend('graphql', cost)) return rateLimited(reply);
    const w = ctx.rates.window('graphql');
    const rateLimit = { cost, limit: ctx.rates.limits.graphql, nodeCount, remaining: ctx.rates.remaining('graphql'), used: w.used, resetAt: new Date(w.resetAt).toISOString().replace('.000Z', 'Z') };
    const result = await execute({
      schema: subset,
      document: doc,
      variableValues: variables,
      operationName: operationName ?? null,
      // viewer: the simulator has one credential, so every caller is the same synthetic user.
      rootValue: { rateLimit: () => rateLimit, viewer: () => SIM_VIEWER },
    });
    const body: Record<string, unknown> = {};
    if (result.errors?.length) body.errors = result.errors.map(format);
    body.data = result.data ?? null;
    return body;
  });
}
