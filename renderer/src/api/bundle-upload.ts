import { BUNDLE_NAME_HEADER, BUNDLE_UPLOAD_PATH, BundleInfo, MAX_BUNDLE_UPLOAD_BYTES } from '../../../shared/contract/bundles';
import { ApiError } from '../../../shared/contract/errors';
import { CallResult, CLIENT_HEADER } from '../../../shared/contract/wire';

/** The slice of `fetch` the upload needs; tests pass a fake. */
export type UploadFetch = (url: string, init: { method: 'POST'; body: Blob; headers: Record<string, string>; credentials: 'same-origin' }) => Promise<{ status: number; text(): Promise<string> }>;

/**
 * Opens a `.sluice` bundle in `sluice serve` by uploading it (`POST /api/v1/bundles`): the body is
 * the file itself, its name percent-encoded in a header, signed in by the session cookie with the
 * CSRF header like every call. Too big is refused here before sending; the answer is checked
 * against the contract. Rejects with an ApiError that says what to do.
 */
export async function uploadBundle(fetchFn: UploadFetch, file: Blob, fileName: string): Promise<BundleInfo> {
  if (file.size > MAX_BUNDLE_UPLOAD_BYTES) {
    throw new ApiError('payload_too_large', `${fileName} is over the ${MAX_BUNDLE_UPLOAD_BYTES / (1024 * 1024)} MB the browser may upload; export fewer units (filter by run or stream), or open it in the desktop app.`);
  }
  let response: { status: number; text(): Promise<string> };
  try {
    response = await fetchFn(BUNDLE_UPLOAD_PATH, {
      method: 'POST',
      body: file,
      headers: { 'content-type': 'application/octet-stream', [CLIENT_HEADER]: '1', [BUNDLE_NAME_HEADER]: encodeURIComponent(fileName) },
      credentials: 'same-origin',
    });
  } catch (error) {
    throw new ApiError('unavailable', `Could not reach the Sluice server (${error instanceof Error ? error.message : String(error)}); check that \`sluice serve\` is running.`);
  }
  let body: unknown;
  try {
    body = JSON.parse(await response.text());
  } catch {
    body = undefined;
  }
  const result = CallResult.safeParse(body);
  if (!result.success) throw new ApiError('unavailable', `The server answered the upload with HTTP ${response.status} but no Sluice result; is this console served by \`sluice serve\`?`);
  if (!result.data.ok) throw ApiError.fromBody(result.data.error);
  const info = BundleInfo.safeParse(result.data.result);
  if (!info.success) throw new ApiError('internal', 'The server answered the upload with a bundle this console does not understand; update the console and the server together.');
  return info.data;
}
