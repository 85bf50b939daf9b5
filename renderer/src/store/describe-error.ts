import { ApiError } from '../../../shared/contract/errors';

/** One sentence for the screen; ApiError messages already say what to do. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return `Unexpected error: ${error.message}`;
  return `Unexpected error: ${String(error)}`;
}
