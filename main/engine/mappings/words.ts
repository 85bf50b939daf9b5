import { ApiError } from '../../../shared/contract/errors';

/** The sentences the mapping handlers answer with, in one place so they read the same everywhere. */

export const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** Appended to every change: mappings are snapshotted per run (workers/connectors/jira/mappings.ts). */
export const APPLIES = 'It applies from the next run; re-transform to apply it to the data already loaded.';

export const notFound = (what: string, id: number): ApiError =>
  new ApiError('not_found', `${what} ${id} does not exist in this integration (it may have been deleted meanwhile); reload the Mappings screen.`);

/** A field-level refusal: `path` is the input field the form shows it at. */
export const refuse = (code: 'bad_request' | 'conflict', message: string, path: string, fieldMessage: string): ApiError => new ApiError(code, message, [{ path, message: fieldMessage }]);

/** What a mutation did (the handler adds the snapshot after it). */
export interface Outcome {
  readonly id: number | null;
  readonly message: string;
}

/** Capitalises the first letter of a message assembled from parts. */
export const sentence = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
