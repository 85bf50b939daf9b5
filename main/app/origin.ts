import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the built pieces live, relative to the built main entry (`out/main/index.js`). */
export interface AppPaths {
  /** `out/preload/index.cjs`: sandboxed preloads must be CommonJS. */
  readonly preload: string;
  /** `out/renderer/index.html`. */
  readonly rendererIndex: string;
  /** `out/renderer`: the only folder the `sluice://` protocol serves files from. */
  readonly rendererDir: string;
}

/**
 * Resolves the build layout from the URL of the main entry module. The caller passes its own
 * `import.meta.url` from `main/index.ts`: that module is always the `out/main/index.js` entry chunk,
 * whereas a helper module could be bundled into a shared chunk in another folder.
 */
export const resolveAppPaths = (mainEntryUrl: string): AppPaths => {
  const mainDir = dirname(fileURLToPath(mainEntryUrl));
  return {
    preload: join(mainDir, '../preload/index.cjs'),
    rendererIndex: join(mainDir, '../renderer/index.html'),
    rendererDir: join(mainDir, '../renderer'),
  };
};

/**
 * The packaged renderer's origin (Electron checklist 18: a custom protocol instead of `file://`).
 * A standard, secure scheme gives the page a real origin (`sluice://app`), so `'self'` in the CSP,
 * fetch and relative URLs mean "our build" and nothing else on disk.
 */
export const APP_SCHEME = 'sluice';
export const APP_HOST = 'app';
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** The one place the renderer may be loaded from; used by the window, navigation guard and IPC gate. */
export interface AppOrigin {
  /** What the window loads: the dev server, or the build through `sluice://app/index.html`. */
  readonly entry: { readonly kind: 'url'; readonly url: string };
  /** True when `url` is a page of our renderer (any route of it), false for anything else. */
  isAppUrl(url: string): boolean;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export interface AppOriginInput {
  /** `ELECTRON_RENDERER_URL`, set by `electron-vite dev`. */
  readonly devUrl: string | undefined;
  /** `app.isPackaged`: a packaged app never loads a URL taken from the environment. */
  readonly packaged: boolean;
}

/**
 * Decides the renderer origin: the Vite dev server in development, the `sluice://` build otherwise.
 * Throws a one-sentence error when the dev URL is not an http(s) URL on this machine, because an
 * environment variable must not be able to point the privileged window at a remote site.
 */
export const resolveAppOrigin = ({ devUrl, packaged }: AppOriginInput): AppOrigin => {
  if (devUrl && !packaged) {
    const parsed = parseUrl(devUrl);
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || !LOOPBACK_HOSTS.has(parsed.hostname)) {
      throw new Error(`ELECTRON_RENDERER_URL must be an http(s) URL on localhost, got "${devUrl}"; unset it to load the built renderer.`);
    }
    const origin = parsed.origin;
    return {
      entry: { kind: 'url', url: parsed.href },
      isAppUrl: (url) => parseUrl(url)?.origin === origin,
    };
  }
  return {
    entry: { kind: 'url', url: APP_INDEX_URL },
    // Only the index document itself (with any query or hash route): exactly scheme, host, no
    // credentials or port, and the path `/index.html` as written (no encoded tricks).
    isAppUrl: (url) => {
      const parsed = parseUrl(url);
      return (
        parsed !== null &&
        parsed.protocol === `${APP_SCHEME}:` &&
        parsed.host === APP_HOST &&
        parsed.username === '' &&
        parsed.password === '' &&
        parsed.pathname === '/index.html'
      );
    },
  };
};

const parseUrl = (url: string): URL | null => {
  try {
    return new URL(url);
  } catch {
    return null;
  }
};
