import { app, session, shell, type WebContents } from 'electron';
import type pino from 'pino';

import type { AppOrigin } from './origin';

/**
 * Same policy as the renderer's `<meta http-equiv="Content-Security-Policy">`. Sending it as a
 * header too means a page served without the meta (dev server, error page) is still locked down,
 * and `frame-ancestors` only works as a header.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const MAX_EXTERNAL_URL_LENGTH = 2048;

/**
 * Whether a link may be handed to the OS browser: https only (no file:, javascript:, custom
 * protocols that launch other apps), no user:password@ (a classic phishing disguise), sane length.
 */
export const isSafeExternalUrl = (url: string): boolean => {
  if (url.length > MAX_EXTERNAL_URL_LENGTH) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && parsed.hostname !== '';
};

export interface SecurityOptions {
  readonly origin: AppOrigin;
  readonly logger: pino.Logger;
}

/**
 * Installs the session-wide protections (CSP header, permissions denied) and hardens every
 * webContents as Electron creates it. Call once, after `app.whenReady()` and before any window.
 */
export const setupSecurity = ({ origin, logger }: SecurityOptions): void => {
  const ses = session.defaultSession;

  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      // Drop any policy the server sent (in any letter case) so ours is the only one.
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    callback({ responseHeaders: headers });
  });

  // The console needs no camera, notifications, geolocation, clipboard reads or device access.
  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    logger.warn({ permission }, 'refused a permission request from the renderer');
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, { origin, logger }));
};

/** Blocks navigation away from the app, new windows and webviews for one webContents. */
export const hardenWebContents = (contents: WebContents, { origin, logger }: SecurityOptions): void => {
  const guardNavigation = (event: { preventDefault(): void }, url: string): void => {
    if (origin.isAppUrl(url)) return;
    event.preventDefault();
    logger.warn({ url: describeUrl(url) }, 'blocked navigation away from the console');
  };
  contents.on('will-navigate', (event, url) => guardNavigation(event, url));
  contents.on('will-redirect', (event, url) => guardNavigation(event, url));

  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    logger.warn('blocked an attempt to attach a <webview>');
  });

  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) {
      void shell.openExternal(url).catch((error: unknown) => logger.warn({ err: error }, 'the system browser did not open the link'));
    } else {
      logger.warn({ url: describeUrl(url) }, 'blocked a new window');
    }
    return { action: 'deny' };
  });
};

/** Logs only scheme and host: a URL's path or query may carry tokens. */
const describeUrl = (url: string): string => {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return '(unparseable url)';
  }
};
