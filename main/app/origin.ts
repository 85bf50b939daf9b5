import { dirname, join, normalize } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Where the built pieces live, relative to the built main entry (`out/main/index.js`). */
export interface AppPaths {
  /** `out/preload/index.cjs`: sandboxed preloads must be CommonJS. */
  readonly preload: string;
  /** `out/renderer/index.html`. */
  readonly rendererIndex: string;
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
  };
};

/** The one place the renderer may be loaded from; used by the window, navigation guard and IPC gate. */
export interface AppOrigin {
  /** What the window loads. */
  readonly entry: { readonly kind: 'url'; readonly url: string } | { readonly kind: 'file'; readonly path: string };
  /** True when `url` is a page of our renderer (any route of it), false for anything else. */
  isAppUrl(url: string): boolean;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export interface AppOriginInput {
  readonly rendererIndex: string;
  /** `ELECTRON_RENDERER_URL`, set by `electron-vite dev`. */
  readonly devUrl: string | undefined;
  /** `app.isPackaged`: a packaged app never loads a URL taken from the environment. */
  readonly packaged: boolean;
}

/**
 * Decides the renderer origin: the Vite dev server in development, the built file otherwise.
 * Throws a one-sentence error when the dev URL is not an http(s) URL on this machine, because an
 * environment variable must not be able to point the privileged window at a remote site.
 */
export const resolveAppOrigin = ({ rendererIndex, devUrl, packaged }: AppOriginInput): AppOrigin => {
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
  const expected = pathToFileURL(normalize(rendererIndex));
  const expectedPath = decodeURIComponent(expected.pathname);
  return {
    entry: { kind: 'file', path: rendererIndex },
    // Only the index document itself (with any query or hash route): no other file on disk.
    isAppUrl: (url) => {
      const parsed = parseUrl(url);
      return (
        parsed !== null &&
        parsed.protocol === 'file:' &&
        parsed.host === expected.host &&
        safeDecode(parsed.pathname) === expectedPath
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

const safeDecode = (path: string): string | null => {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
};
