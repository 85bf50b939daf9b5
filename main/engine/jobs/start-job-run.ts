import type pg from 'pg';

import { ApiError } from '../../../shared/contract/errors';
import type { RunTrigger } from '../../../shared/contract/runs';
import { withTenant } from '../db/tenant-scope';
import { startResumeRun } from '../runs/continue';
import { appendRunLog } from '../runs/logs';
import { startRetransform } from '../runs/retransform';
import { startRun, StartRunError } from '../runs/start';

/**
 * Starting a run of a job, whoever asks (an operator, the schedule, the retry policy), with the
 * errors an operator can act on. The database refuses a second live run of the same integration
 * (migration 0007's unique index), so consoles and engines racing get exactly one run.
 */

export type JobRunKind = 'incremental' | 'full_refresh' | 'retransform' | 'resume';

export interface JobRunRequest {
  readonly tenantId: number;
  readonly jobId: number;
  readonly integrationId: number;
  readonly kind: JobRunKind;
  readonly trigger: RunTrigger;
  readonly startedBy: string;
  /** resume: the failed run to continue. */
  readonly sourceRunId?: number;
}

/** StartRunError → ApiError with the same words (they already say what to do). */
export const asStartError = (error: unknown): unknown => {
  if (!(error instanceof StartRunError)) return error;
  return new ApiError(error.reason === 'not_found' ? 'not_found' : 'conflict', error.message);
};

export const startJobRun = async (pool: pg.Pool, request: JobRunRequest): Promise<{ runId: number; detail: string }> => {
  const base = { tenantId: request.tenantId, integrationId: request.integrationId, trigger: request.trigger, startedBy: request.startedBy, jobId: request.jobId };
  let started: { runId: number; detail: string };
  try {
    if (request.kind === 'retransform') {
      const { runId, units } = await startRetransform(pool, base);
      started = { runId, detail: `re-transforms ${units} stored unit(s) with the current mappings; no API is called` };
    } else if (request.kind === 'resume') {
      if (request.sourceRunId === undefined) throw new Error('a resume run needs the run it continues');
      const { runId, partitions } = await startResumeRun(pool, { tenantId: request.tenantId, sourceRunId: request.sourceRunId, trigger: request.trigger, startedBy: request.startedBy });
      started = { runId, detail: `continues failed run ${request.sourceRunId} from the checkpoints of its ${partitions} partition(s)` };
    } else {
      const { runId } = await startRun(pool, { ...base, kind: request.kind });
      started = { runId, detail: request.kind === 'full_refresh' ? 'reads everything from the source again' : 'reads what changed since the last loaded watermark' };
    }
  } catch (error) {
    throw asStartError(error);
  }
  await appendRunLog(pool, started.runId, { level: 'info', message: `Started by ${request.startedBy} (${request.trigger}, ${request.kind}): ${started.detail}.`, data: { trigger: request.trigger, kind: request.kind, jobId: request.jobId } });
  await withTenant(pool, request.tenantId, (c) => c.query('UPDATE jobs SET last_error = NULL WHERE id = $1 AND last_error IS NOT NULL', [request.jobId]));
  return started;
};
