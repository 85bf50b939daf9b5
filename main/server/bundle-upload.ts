import type { IncomingMessage } from 'node:http';

import type { FastifyInstance } from 'fastify';
import type pino from 'pino';

import { BUNDLE_NAME_HEADER, BUNDLE_UPLOAD_PATH, BundleFileName, BundleInfo, MAX_BUNDLE_UPLOAD_BYTES } from '../../shared/contract/bundles';
import { ApiError, httpStatusOf } from '../../shared/contract/errors';
import { roleAllows } from '../../shared/contract/roles';
import type { CallResult } from '../../shared/contract/wire';
import { BundleError, parseBundle, tooBig } from '../engine/bundles/parse';
import type { BundleStore } from '../engine/bundles/store';
import { authenticate } from './auth';
import type { Principals } from './principals';

/**
 * `POST /api/v1/bundles`: a browser opens a `.sluice` bundle in `sluice serve` by uploading it (the
 * desktop uses its native dialog instead). Same sign-in and CSRF header as every call, operator or
 * better (bundles hold raw payloads), the file name checked by the contract, and the body capped
 * (MAX_BUNDLE_UPLOAD_BYTES, not the 1 MiB of a call): refused up front by Content-Length, and again
 * while streaming it into the parser, which never holds the body as one buffer.
 */

const failure = (reply: { code(n: number): { send(b: CallResult): unknown } }, error: ApiError) => reply.code(httpStatusOf[error.code]).send({ ok: false, error: error.toBody() });

export const registerBundleUpload = async (app: FastifyInstance, options: { store: BundleStore; principals: Principals; logger: pino.Logger }): Promise<void> => {
  await app.register(async (scope) => {
    // Only in this scope: the call routes keep refusing anything but JSON. The body stays a stream.
    scope.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));
    scope.post(BUNDLE_UPLOAD_PATH, async (request, reply) => {
      const auth = authenticate(request.headers, options.principals, { requireClientHeader: true });
      if (!auth.ok) return failure(reply, new ApiError('unauthorized', auth.reason));
      if (!roleAllows(auth.principal.role, 'operator')) return failure(reply, new ApiError('forbidden', `Opening a bundle needs the operator role; ${auth.principal.name} is ${auth.principal.role}.`));
      const name = BundleFileName.safeParse(decodeHeader(request.headers[BUNDLE_NAME_HEADER]));
      if (!name.success) return failure(reply, ApiError.fromZod(`The ${BUNDLE_NAME_HEADER} header (the bundle's file name)`, name.error));
      const length = Number(request.headers['content-length'] ?? NaN);
      if (Number.isFinite(length) && length > MAX_BUNDLE_UPLOAD_BYTES) {
        void reply.header('connection', 'close');
        return failure(reply, new ApiError('payload_too_large', tooBig(name.data, MAX_BUNDLE_UPLOAD_BYTES, length)));
      }
      const body = request.body;
      if (!isStream(body)) return failure(reply, new ApiError('bad_request', 'Send the bundle as the request body with Content-Type: application/octet-stream.'));
      try {
        const parsed = await parseBundle(body, { fileName: name.data, maxBytes: MAX_BUNDLE_UPLOAD_BYTES, leaveSourceOpen: true });
        const info = options.store.add(parsed, { fileName: name.data, openedBy: 'upload', owner: auth.principal.name, reveal: false });
        options.logger.info({ principal: auth.principal.name, units: info.units, bytes: info.bytes, problems: info.problemCount }, 'bundle uploaded');
        return reply.send({ ok: true, result: BundleInfo.parse(info) } satisfies CallResult);
      } catch (error) {
        if (error instanceof BundleError) {
          const tooLarge = error.message.includes(' is over ');
          // The rest of the body is not read: the connection closes after this answer.
          void reply.header('connection', 'close');
          return failure(reply, new ApiError(tooLarge ? 'payload_too_large' : 'bad_request', error.message));
        }
        throw error;
      }
    });
  });
};

/** The name travels percent-encoded (a header is ASCII); a broken encoding is no name. */
const decodeHeader = (value: string | string[] | undefined): string | undefined => {
  if (typeof value !== 'string') return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
};

const isStream = (body: unknown): body is IncomingMessage => typeof body === 'object' && body !== null && typeof (body as { pipe?: unknown }).pipe === 'function';
