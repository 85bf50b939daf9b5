import type { TransformContext, TransformOutput } from '../../../pipeline/connector';
import { PermanentError } from '../../../queue/errors';
import { transformNested } from './nested';
import { transformPrPage } from './pull-requests';
import { transformRepositories } from './repositories';
import { emptyRows, type GithubRows } from './rows';

/**
 * The GitHub connector's transform (workers/pipeline/connector.ts): pure, same payload same output,
 * dispatched on the unit's stream (shared/connectors/github.ts). It imports nothing with I/O: no
 * node:*, no pg, no clock (timestamps come from the payload only).
 */
export const transformGithub = (payload: unknown, ctx: Pick<TransformContext, 'stream' | 'partition'>): TransformOutput => {
  let rows: GithubRows;
  switch (ctx.stream) {
    case 'repositories':
      rows = { ...emptyRows(), repositories: transformRepositories(payload) };
      break;
    case 'pull_requests':
      rows = transformPrPage(payload);
      break;
    case 'pr_nested':
      rows = transformNested(payload, ctx.partition);
      break;
    default:
      throw new PermanentError(`The GitHub connector has no stream "${ctx.stream}" (it has repositories, pull_requests, pr_nested); the unit was stored for another connector.`);
  }
  // Only the tables this unit fills: the raw inspector's preview shows what a unit loads, not a list of empties.
  const tables: Record<string, Record<string, unknown>[]> = {};
  for (const [table, list] of Object.entries(rows) as [string, Record<string, unknown>[]][]) if (list.length > 0) tables[table] = list;
  return { tables };
};

export { GithubTables, type GithubRows } from './rows';
