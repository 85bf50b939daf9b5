import type { ApiErrorCode } from '../../../shared/contract/errors';
import { CallResult, CLIENT_HEADER, HTTP_CALL_PREFIX, TENANT_HEADER } from '../../../shared/contract/wire';

import type { CallContext } from './transport';

export interface FetchResponseLike {
  readonly status: number;
  text(): Promise<string>;
}

export interface FetchInit {
  readonly method: 'POST';
  readonly body: string;
  readonly headers: Record<string, string>;
  readonly credentials: 'same-origin';
}

/** The slice of `fetch` the console uses; tests pass a fake. */
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponseLike>;

/**
 * One contract call over `POST /api/v1/call/<method>`. Never rejects: a network failure or a body
 * that is not a Sluice call result becomes `{ ok: false }` with a message saying what to do.
 * Auth rides on the session cookie (`credentials: 'same-origin'`); the console never sees the token.
 */
export async function callOverHttp(
  fetchFn: FetchLike,
  method: string,
  input: unknown,
  context: CallContext,
): Promise<CallResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json', [CLIENT_HEADER]: '1' };
  if (context.tenantId !== null) headers[TENANT_HEADER] = String(context.tenantId);

  let response: FetchResponseLike;
  try {
    response = await fetchFn(HTTP_CALL_PREFIX + encodeURIComponent(method), {
      method: 'POST',
      body: JSON.stringify(input ?? {}),
      headers,
      credentials: 'same-origin',
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return failure('unavailable', `Could not reach the Sluice server (${reason}); check that \`sluice serve\` is running.`);
  }

  const parsed = CallResult.safeParse(await readJson(response));
  if (parsed.success) {
    // A 401 is always an auth failure, even if a proxy wrapped it oddly.
    if (response.status === 401 && parsed.data.ok) return unauthorized();
    return parsed.data;
  }
  if (response.status === 401) return unauthorized();
  return failure(
    codeForStatus(response.status),
    `The server answered ${method} with HTTP ${response.status} but no Sluice call result; open the console from the URL printed by \`sluice serve\`.`,
  );
}

async function readJson(response: FetchResponseLike): Promise<unknown> {
  try {
    return JSON.parse(await response.text()) as unknown;
  } catch {
    return undefined;
  }
}

function codeForStatus(status: number): ApiErrorCode {
  if (status === 413) return 'payload_too_large';
  if (status === 403) return 'forbidden';
  return 'unavailable';
}

const unauthorized = (): CallResult =>
  failure('unauthorized', 'This console needs its access link: open the URL printed by `sluice serve`.');

const failure = (code: ApiErrorCode, message: string): CallResult => ({ ok: false, error: { code, message } });
