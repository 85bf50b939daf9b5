import type { CheckResult } from '../../shared/worker-protocol/tasks';
import { RequestFailure } from './http';

/** One check: what it tries, and the sentence it reports when that works. */
export interface CheckStep {
  readonly name: string;
  /** Resolves with the success detail, or `{ ok: false, detail }` for a soft failure (e.g. a project not visible). */
  run(): Promise<string | { ok: false; detail: string }>;
}

/**
 * Runs the checks in order. A failure that makes the rest meaningless (network, timeout, wrong URL,
 * refused token) marks the later checks "not tried" rather than repeating the same error three times.
 */
export const runChecks = async (steps: readonly CheckStep[]): Promise<CheckResult[]> => {
  const results: CheckResult[] = [];
  let blockedBy: string | null = null;
  for (const step of steps) {
    if (blockedBy) {
      results.push({ name: step.name, ok: false, detail: `Not tried: ${blockedBy}.` });
      continue;
    }
    try {
      const outcome = await step.run();
      results.push(typeof outcome === 'string' ? { name: step.name, ok: true, detail: outcome } : { name: step.name, ok: false, detail: outcome.detail });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      results.push({ name: step.name, ok: false, detail: capitalize(message) + (message.endsWith('.') ? '' : '.') });
      if (error instanceof RequestFailure && error.fatal) blockedBy = `the ${step.name} check failed`;
    }
  }
  return results;
};

const capitalize = (s: string): string => (s ? s[0]!.toUpperCase() + s.slice(1) : s);
