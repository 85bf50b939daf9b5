import { z } from 'zod';

import { defineEvent, defineMethod } from './define';
import { ControlResult, RunSummary } from './runs';

/**
 * Jobs in the API contract (DESIGN.md section 5): one integration's connector plan on a schedule,
 * with a retry policy and an active flag. What the jobs dashboard needs is on `Job`: per-step
 * labels, the active run (its live counters come with `runs.progress`), the last result, the next
 * run time for the countdown and the retry state.
 */

const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/**
 * Every N minutes, or a cron expression (5 fields, or 6 with seconds first) in an IANA timezone.
 * The engine checks the expression and the timezone with its cron library and says what is wrong.
 */
export const Schedule = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('interval'), everyMinutes: z.number().int().min(1).max(525_600) }),
  z.strictObject({
    type: z.literal('cron'),
    expression: z.string().trim().min(9).max(200),
    timezone: z.string().trim().min(1).max(64).default('UTC'),
  }),
]);
export type Schedule = z.infer<typeof Schedule>;

/** A failed run is retried up to `maxRetries` times, the n-th after `backoffMinutes * 2^(n-1)` minutes. */
export const RetryPolicy = z.strictObject({
  maxRetries: z.number().int().min(0).max(20),
  backoffMinutes: z.number().min(0).max(1440),
});
export type RetryPolicy = z.infer<typeof RetryPolicy>;

export const JobRunKind = z.enum(['incremental', 'full_refresh']);

export const Job = z.object({
  id: Id,
  tenantId: Id,
  integrationId: Id,
  integrationName: z.string(),
  integrationActive: z.boolean(),
  provider: z.string(),
  /** The connector plan the job runs (provider, or the test connectors). */
  connector: z.string(),
  name: z.string(),
  runKind: JobRunKind,
  /** The plan's steps, in order. */
  steps: z.array(z.object({ key: z.string(), label: z.string() })),
  schedule: Schedule.nullable(),
  retryPolicy: RetryPolicy,
  active: z.boolean(),
  /** When the schedule fires next (null: manual only, or inactive). */
  nextRunAt: z.string().nullable(),
  /** The live run of the job's integration started by this job, if any. */
  activeRun: RunSummary.nullable(),
  lastRun: RunSummary.nullable(),
  /** Set while the last run failed and a retry is due or the budget is spent. */
  retry: z.object({ attempt: z.number().int().min(0), maxRetries: z.number().int().min(0), nextAt: z.string().nullable(), exhausted: z.boolean() }).nullable(),
  /** Why the last scheduled or retry start did not happen. */
  lastError: z.looseObject({ message: z.string(), at: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Job = z.infer<typeof Job>;

export const JobInput = z.strictObject({
  integrationId: Id,
  name: z.string().trim().min(1).max(120),
  runKind: JobRunKind.default('incremental'),
  schedule: Schedule.nullable().default(null),
  retryPolicy: RetryPolicy.default({ maxRetries: 3, backoffMinutes: 15 }),
  active: z.boolean().default(true),
});
export type JobInput = z.infer<typeof JobInput>;

export const JobPatch = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  runKind: JobRunKind.optional(),
  schedule: Schedule.nullable().optional(),
  retryPolicy: RetryPolicy.optional(),
});

const ById = z.object({ id: Id }).strict();

export const jobsMethods = {
  'jobs.list': defineMethod({
    summary: 'Jobs of the tenant (optionally of one integration) with their active and last run, next run and retry state',
    mutates: false,
    input: z.object({ integrationId: Id.optional() }).strict(),
    output: z.object({ jobs: z.array(Job), serverTime: z.string() }),
  }),
  'jobs.get': defineMethod({ summary: 'One job', mutates: false, input: ById, output: Job }),
  'jobs.create': defineMethod({ summary: 'Create a job for an integration', mutates: true, input: JobInput, output: Job }),
  'jobs.update': defineMethod({
    summary: 'Change a job’s name, run kind, schedule or retry policy (the next run time is recomputed)',
    mutates: true,
    input: z.object({ id: Id, patch: JobPatch }).strict(),
    output: Job,
  }),
  'jobs.setActive': defineMethod({
    summary: 'Activate or deactivate a job (an inactive job is never scheduled; activation needs an active integration)',
    mutates: true,
    input: z.object({ id: Id, active: z.boolean() }).strict(),
    output: Job,
  }),
  'jobs.delete': defineMethod({
    summary: 'Delete a job that has no live run; its run history is kept',
    mutates: true,
    input: ById,
    output: z.object({ id: Id, deleted: z.literal(true) }),
  }),
  'jobs.runNow': defineMethod({
    summary: 'Start a run of the job now with its run kind; `force` also runs an inactive job once',
    mutates: true,
    role: 'operator',
    input: z.object({ id: Id, force: z.boolean().default(false) }).strict(),
    output: ControlResult,
  }),
  'jobs.fullRefresh': defineMethod({
    summary: 'Start a full refresh of the job now (re-reads everything from the source): needs `confirm: true`',
    mutates: true,
    role: 'operator',
    input: z.object({ id: Id, confirm: z.literal(true, { error: 'a full refresh re-reads everything from the source: pass confirm: true to start it' }) }).strict(),
    output: ControlResult,
  }),
  'jobs.retransform': defineMethod({
    summary: 'Re-transform the job’s stored raw data with the current mappings: no API call, works with the source offline',
    mutates: true,
    role: 'operator',
    input: ById,
    output: ControlResult,
  }),
};

export const jobsEvents = {
  'jobs.changed': defineEvent({
    summary: 'A job or one of its runs changed (created, updated, scheduled, run started or ended): refetch it',
    payload: z.object({ tenantId: Id, jobId: Id, reason: z.string() }),
  }),
};
