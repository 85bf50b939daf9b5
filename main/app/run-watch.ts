import type { EventPayload } from '../../shared/contract/api';
import type { EngineApi } from '../engine/types';

type Progress = EventPayload<'runs.progress'>;

/** States in which a run is doing work (rate-limited runs wait for their budget, still running). */
const RUNNING = new Set<Progress['state']>(['running', 'rate_limited']);

/**
 * Follows the engine's live run progress for the tray: how many runs are running. It reads the same
 * `runs.progress` events the console gets, so both agree. (Failed runs raise a notification through
 * `notifications.run`: main/app/notifications.ts.)
 */
export const watchRuns = (engine: Pick<EngineApi, 'subscribe'>, onCount: (count: number) => void): { count(): number; stop(): void } => {
  const running = new Set<number>();
  const stop = engine.subscribe((event, payload) => {
    if (event !== 'runs.progress') return;
    const run = payload as Progress;
    const before = running.size;
    if (RUNNING.has(run.state)) running.add(run.runId);
    else running.delete(run.runId);
    if (running.size !== before) onCount(running.size);
  });
  return { count: () => running.size, stop };
};
