import type { StateCreator } from 'zustand';

import type { MethodInput, MethodOutput } from '../../../shared/contract/api';
import { ApiError } from '../../../shared/contract/errors';
import type { Job } from '../../../shared/contract/jobs';
import type { RunProgress } from '../../../shared/contract/runs';

import { describeError } from './describe-error';
import type { ApiCaller, AppState, JobsSlice } from './types';

const upsert = (list: Job[], next: Job): Job[] => (list.some((j) => j.id === next.id) ? list.map((j) => (j.id === next.id ? next : j)) : [...list, next]);

/** Live runs keep their newest progress only; a late, older push never wins over a fresher one. */
const newer = (current: RunProgress | undefined, next: RunProgress): boolean => !current || Date.parse(next.at) >= Date.parse(current.at);

type ControlOutput = MethodOutput<'jobs.runNow'>;

/**
 * The jobs dashboard's data: the tenant's jobs as last read, and the newest live progress per run
 * (from `runs.progress`). `jobs.changed` refetches exactly the job it names; nothing polls.
 * Controls return the engine's one-sentence answer for the card to show.
 */
export const createJobsSlice =
  (client: ApiCaller): StateCreator<AppState, [['zustand/persist', unknown]], [], JobsSlice> =>
  (set, get) => {
    const control = async (call: () => Promise<ControlOutput>): Promise<ControlOutput> => {
      const result = await call();
      // The run's job changed too (its active/last run): refetch it now rather than wait for the event.
      if (result.run.jobId !== null) void get().refreshJob(result.run.jobId);
      return result;
    };
    return {
      jobs: [],
      jobsStatus: 'idle',
      jobsError: null,
      jobsTenantId: null,
      clockOffsetMs: 0,
      progressByRun: {},

      async loadJobs() {
        const tenantId = get().selectedTenantId;
        if (tenantId !== get().jobsTenantId) set({ jobs: [], progressByRun: {} });
        set({ jobsStatus: 'loading', jobsError: null, jobsTenantId: tenantId });
        if (tenantId === null) {
          set({ jobsStatus: 'ready' });
          return;
        }
        try {
          const { jobs, serverTime } = await client.call('jobs.list', {});
          if (get().selectedTenantId !== tenantId) return;
          set({ jobs, jobsStatus: 'ready', clockOffsetMs: Date.parse(serverTime) - Date.now() });
          // One read per card of its run's figures (a finished run gets no more pushes, but its vectors may still be catching up and push then).
          for (const job of jobs) {
            const run = job.activeRun ?? job.lastRun;
            if (run && !get().progressByRun[run.id]) void get().loadProgress(run.id);
          }
        } catch (error) {
          if (get().selectedTenantId !== tenantId) return;
          set({ jobsStatus: 'error', jobsError: describeError(error) });
        }
      },

      async refreshJob(id) {
        const tenantId = get().jobsTenantId;
        if (tenantId === null || tenantId !== get().selectedTenantId) return;
        try {
          const job = await client.call('jobs.get', { id });
          if (get().jobsTenantId !== tenantId) return;
          set({ jobs: upsert(get().jobs, job) });
        } catch (error) {
          // Deleted meanwhile: drop the card. Anything else leaves the last known card on screen.
          if (error instanceof ApiError && error.code === 'not_found') set({ jobs: get().jobs.filter((j) => j.id !== id) });
        }
      },

      async loadProgress(runId) {
        try {
          get().applyProgress(await client.call('runs.progressOf', { id: runId }));
        } catch {
          // The card keeps the job's own figures; the next push (or reload) brings the rest.
        }
      },

      applyProgress(progress) {
        if (progress.tenantId !== get().selectedTenantId) return;
        const current = get().progressByRun[progress.runId];
        if (!newer(current, progress)) return;
        set({ progressByRun: { ...get().progressByRun, [progress.runId]: progress } });
      },

      async createJob(input: MethodInput<'jobs.create'>) {
        const job = await client.call('jobs.create', input);
        set({ jobs: upsert(get().jobs, job) });
        return job;
      },
      async updateJob(id, patch) {
        const job = await client.call('jobs.update', { id, patch });
        set({ jobs: upsert(get().jobs, job) });
        return job;
      },
      async setJobActive(id, active) {
        const job = await client.call('jobs.setActive', { id, active });
        set({ jobs: upsert(get().jobs, job) });
        return job;
      },
      async deleteJob(id) {
        await client.call('jobs.delete', { id });
        set({ jobs: get().jobs.filter((j) => j.id !== id) });
      },
      runNow: (id, force = false) => control(() => client.call('jobs.runNow', { id, force })),
      fullRefresh: (id) => control(() => client.call('jobs.fullRefresh', { id, confirm: true })),
      retransform: (id) => control(() => client.call('jobs.retransform', { id })),
      pauseRun: (runId) => control(() => client.call('runs.pause', { id: runId })),
      resumeRun: (runId) => control(() => client.call('runs.resume', { id: runId })),
      cancelRun: (runId) => control(() => client.call('runs.cancel', { id: runId })),
    };
  };
