import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

import { protocol } from 'electron';
import type pino from 'pino';

import { APP_HOST, APP_SCHEME } from './origin';
import { CONTENT_SECURITY_POLICY } from './security';

/**
 * The `sluice://app/…` protocol (Electron checklist 18): the packaged renderer is served from its
 * build folder only, instead of `file://`, which would let the page name any file on disk. Every
 * request is resolved by `resolveAppRequest` (pure, tested against traversal) and answered with
 * the CSP header, because `webRequest.onHeadersReceived` is not guaranteed to see custom schemes.
 */

/**
 * What the build contains, with its type. An allow-list rather than a MIME library: anything the
 * renderer build does not produce (a stray `.exe`, a `.map` we strip) is not served at all.
 */
export const APP_MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

export type AppRequest =
  | { readonly ok: true; readonly path: string; readonly type: string }
  | { readonly ok: false; readonly status: 400 | 403 | 404 | 405; readonly reason: string };

const refused = (status: 400 | 403 | 404 | 405, reason: string): AppRequest => ({ ok: false, status, reason });

/**
 * Maps a request URL to a file under `rendererDir`, or says why not. The URL parser already folds
 * `..` and `%2e%2e` segments; what is left is checked segment by segment after decoding (an encoded
 * `/`, `\`, NUL or drive letter is refused), and the joined path must still be inside the folder.
 */
export const resolveAppRequest = (url: string, rendererDir: string): AppRequest => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refused(400, 'not a URL');
  }
  if (parsed.protocol !== `${APP_SCHEME}:`) return refused(400, 'another scheme');
  if (parsed.host !== APP_HOST || parsed.username !== '' || parsed.password !== '') return refused(403, 'another host');
  const raw = parsed.pathname === '/' || parsed.pathname === '' ? '/index.html' : parsed.pathname;
  const segments: string[] = [];
  for (const part of raw.split('/').slice(1)) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(part);
    } catch {
      return refused(400, 'bad percent-encoding');
    }
    if (decoded === '' || decoded === '.' || decoded === '..' || /[/\\\0:]/.test(decoded)) return refused(403, 'path outside the renderer build');
    segments.push(decoded);
  }
  const base = resolve(rendererDir);
  const path = join(base, ...segments);
  if (!path.startsWith(base + sep)) return refused(403, 'path outside the renderer build');
  const type = APP_MIME_TYPES[extname(path).toLowerCase()];
  if (!type) return refused(404, 'not a file type of the renderer build');
  return { ok: true, path, type };
};

/** Headers of every answer: ours is the only CSP, and types are never sniffed. */
export const appResponseHeaders = (type: string): Record<string, string> => ({
  'Content-Type': type,
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-cache',
});

/**
 * Must run before `app.whenReady()` (Electron only accepts it then): `standard` gives the scheme
 * host-relative URLs and an origin, `secure` a secure context, `supportFetchAPI` lets the page's
 * own fetches of assets work. No `bypassCSP`, no `corsEnabled`: nothing else may load from it.
 */
export const registerAppScheme = (): void => {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
};

/** Answers one request (GET/HEAD) from the build folder; exported for the tests. */
export const answerAppRequest = async (request: { readonly url: string; readonly method: string }, rendererDir: string, logger: pino.Logger): Promise<Response> => {
  const text = (status: number, body: string): Response => new Response(body, { status, headers: appResponseHeaders('text/plain; charset=utf-8') });
  if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'Only GET and HEAD are served.');
  const resolved = resolveAppRequest(request.url, rendererDir);
  if (!resolved.ok) {
    // Scheme and reason only: a path may be what an attacker probes with, never echoed back.
    logger.warn({ status: resolved.status, reason: resolved.reason }, 'refused a sluice:// request');
    return text(resolved.status, resolved.status === 404 ? 'Not found.' : 'Refused.');
  }
  try {
    // A symlink inside the build must not lead out of it either.
    const real = await realpath(resolved.path);
    const base = await realpath(rendererDir);
    if (!real.startsWith(base + sep) || !(await stat(real)).isFile()) return text(404, 'Not found.');
    const body = request.method === 'HEAD' ? null : await readFile(real);
    return new Response(body, { status: 200, headers: appResponseHeaders(resolved.type) });
  } catch {
    return text(404, 'Not found.');
  }
};

/** Serves `sluice://app/…` from `rendererDir`; call once after `app.whenReady()`. */
export const setupAppProtocol = ({ rendererDir, logger }: { rendererDir: string; logger: pino.Logger }): void => {
  protocol.handle(APP_SCHEME, (request) => answerAppRequest(request, rendererDir, logger));
};
