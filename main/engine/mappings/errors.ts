import { ApiError } from '../../../shared/contract/errors';

/**
 * Database refusals of the mapping tables (migration 0008) turned into errors an operator can act on,
 * at the form field they concern. The handlers check most of these first (with the conflicting row's
 * name in the message); this is the net for what a concurrent edit slips past those checks.
 */

interface PgError {
  readonly code?: unknown;
  readonly constraint?: unknown;
  readonly message?: unknown;
}

const UNIQUE: Record<string, { path: string; message: string }> = {
  wits_hierarchies_level_key: { path: 'levelNumber', message: 'another level of this integration has this number' },
  wits_hierarchies_name_key: { path: 'levelName', message: 'another level of this integration has this name (names ignore case)' },
  wits_mappings_from_key: { path: 'witFrom', message: 'this Jira type already has a mapping (names ignore case)' },
  workflows_step_key: { path: 'stepName', message: 'another step of this workflow has this name (names ignore case)' },
  statuses_mappings_from_key: { path: 'statusFrom', message: 'this Jira status already has a mapping (names ignore case)' },
  workflows_one_commitment_point: { path: 'isCommitmentPoint', message: 'another step is the commitment point' },
};

export const asMappingError = (error: unknown): unknown => {
  if (error instanceof ApiError || !error || typeof error !== 'object') return error;
  const e = error as PgError;
  const constraint = typeof e.constraint === 'string' ? e.constraint : '';
  if (e.code === '23505' && UNIQUE[constraint]) {
    const issue = UNIQUE[constraint];
    return new ApiError('conflict', `Not saved: ${issue.message}; reload the list, then pick another value or edit the existing row.`, [issue]);
  }
  if (e.code === '23514' && constraint === 'workflows_commitment_point_numbered') {
    return new ApiError('bad_request', 'The commitment point must be an active, numbered step that is not Discarded; make another step the commitment point first.', [
      { path: 'stepNumber', message: 'the commitment point needs a step number' },
    ]);
  }
  // The deferred trigger of 0008 (raised without a constraint name): the workflow would end without exactly one commitment point.
  if (e.code === '23514' && typeof e.message === 'string' && e.message.includes('commitment point')) {
    return new ApiError('conflict', `Not saved: the workflow needs exactly one commitment point (${e.message.split(';')[0]}); make one numbered step the commitment point.`, [
      { path: 'isCommitmentPoint', message: 'exactly one step must be the commitment point' },
    ]);
  }
  // Two consoles changed the same rows at once and Postgres chose this call to give way.
  if (e.code === '40P01' || e.code === '40001') {
    return new ApiError('conflict', 'Not saved: another change to the same mappings ran at the same moment; reload the Mappings screen and try again.');
  }
  if (e.code === '23503') {
    return new ApiError('conflict', 'Not saved: another row still refers to this one (a concurrent edit); reload the Mappings screen and try again.');
  }
  return error;
};
