import type { TransformContext, TransformOutput } from '../../../pipeline/connector';
import { PermanentError } from '../../../queue/errors';
import { transformDevStatus } from './dev-status';
import { transformFields } from './fields';
import { transformIssues } from './issues';
import { indexMappings } from './mapping-index';
import { EMPTY_MAPPINGS, JiraMappings } from './mappings-schema';
import { transformProjects } from './projects';
import { transformSprint } from './sprints';
import { transformProjectStatuses, transformStatuses } from './statuses';

/**
 * The Jira transform: pure (no I/O, no clock), so a redelivered unit, a re-transform from raw and
 * the raw inspector's preview all give the same rows for the same payload and mappings. Dispatches on
 * the unit's stream (shared/connectors/jira.ts); rows per table are described in rows.ts.
 */

export { JiraMappings, EMPTY_MAPPINGS } from './mappings-schema';
export * from './rows';

/** The run's mappings snapshot; none (a connector run before mappings existed) means everything unmapped. */
export const mappingsOf = (value: unknown): JiraMappings => {
  if (value === undefined || value === null) return EMPTY_MAPPINGS;
  const parsed = JiraMappings.safeParse(value);
  if (!parsed.success) {
    const where = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new PermanentError(`The run's Jira mappings snapshot is malformed (${where}); start a new run so the mappings are read again.`);
  }
  return parsed.data;
};

export const transformJira = (payload: unknown, ctx: TransformContext): TransformOutput => {
  const mappings = mappingsOf(ctx.mappings);
  switch (ctx.stream) {
    case 'projects':
      return { tables: transformProjects(payload, indexMappings(mappings)) };
    case 'statuses':
      return { tables: transformStatuses(payload, indexMappings(mappings)) };
    case 'project_statuses':
      return { tables: transformProjectStatuses(payload, ctx.partition) };
    case 'fields':
      return { tables: transformFields(payload) };
    case 'issues':
      return { tables: transformIssues(payload, mappings) };
    case 'dev_status':
      return { tables: transformDevStatus(payload, ctx.partition) };
    case 'sprints':
      return { tables: transformSprint(payload) };
    default:
      throw new PermanentError(`The Jira connector has no stream "${ctx.stream}" (known: projects, statuses, project_statuses, fields, issues, dev_status, sprints); this unit cannot be transformed.`);
  }
};
