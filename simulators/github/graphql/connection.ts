/**
 * Relay connections with GitHub's rules: `first` or `last` is required and at most 100; cursors are
 * opaque base64 strings and a cursor the server did not issue is an error.
 */
import { GraphQLError } from 'graphql';

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

export function encodeCursor(index: number): string {
  return Buffer.from(`cursor:v2:${index}`).toString('base64');
}

function decodeCursor(cursor: string): number {
  const m = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!m) throw new GraphQLError(`\`${cursor}\` does not appear to be a valid cursor.`, { extensions: { type: 'INVALID_CURSOR_ARGUMENTS' } });
  return Number(m[1]);
}

export function checkBounds(name: string, args: ConnectionArgs): void {
  const { first, last } = args;
  if ((first === undefined || first === null) && (last === undefined || last === null)) {
    throw new GraphQLError(`You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`, { extensions: { type: 'MISSING_PAGINATION_BOUNDARIES' } });
  }
  for (const [arg, v] of [['first', first], ['last', last]] as const) {
    if (typeof v === 'number' && v > 100) {
      throw new GraphQLError(`Requesting ${v} records on the \`${name}\` connection exceeds the \`${arg}\` limit of 100 records.`, { extensions: { type: 'EXCESSIVE_PAGINATION' } });
    }
    if (typeof v === 'number' && v < 0) {
      throw new GraphQLError(`\`${arg}\` on the \`${name}\` connection cannot be less than zero.`, { extensions: { type: 'INVALID_PAGINATION' } });
    }
  }
}

export interface Connection<N> {
  edges: { cursor: string; node: N }[];
  nodes: N[];
  pageInfo: { startCursor: string | null; endCursor: string | null; hasNextPage: boolean; hasPreviousPage: boolean };
  totalCount: number;
}

export function connection<T, N>(name: string, all: readonly T[], args: ConnectionArgs, toNode: (item: T) => N): Connection<N> {
  checkBounds(name, args);
  let start = args.after ? decodeCursor(args.after) + 1 : 0;
  let end = args.before ? decodeCursor(args.before) : all.length;
  start = Math.min(Math.max(0, start), all.length);
  end = Math.min(Math.max(start, end), all.length);
  if (typeof args.first === 'number') end = Math.min(end, start + args.first);
  if (typeof args.last === 'number') start = Math.max(start, end - args.last);
  const edges = all.slice(start, end).map((item, i) => ({ cursor: encodeCursor(start + i), node: toNode(item) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: { startCursor: edges[0]?.cursor ?? null, endCursor: edges[edges.length - 1]?.cursor ?? null, hasNextPage: end < all.length, hasPreviousPage: start > 0 },
    totalCount: all.length,
  };
}
