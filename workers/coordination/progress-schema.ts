/**
 * The progress event schema lives in shared/worker-protocol/progress.ts: the engine (main/) reads
 * these events too and may not import worker code. Re-exported here for the coordination modules.
 */
export {
  PROGRESS_CHANNEL,
  PROGRESS_EVENT_VERSION,
  ProgressCounters,
  ProgressEvent,
  RateLimitProgress,
  StepProgress,
  type ProgressCountersInput,
} from '../../shared/worker-protocol/progress';
