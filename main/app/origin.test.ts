import { describe, expect, it } from 'vitest';

import { resolveAppOrigin, resolveAppPaths } from './origin';

const rendererIndex = '/opt/sluice/out/renderer/index.html';

describe('resolveAppPaths', () => {
  it('finds the CJS preload and the renderer next to the built main entry', () => {
    expect(resolveAppPaths('file:///opt/sluice/out/main/index.js')).toEqual({
      preload: '/opt/sluice/out/preload/index.cjs',
      rendererIndex,
      rendererDir: '/opt/sluice/out/renderer',
    });
  });
});

describe('resolveAppOrigin', () => {
  it('loads the build through sluice://app and accepts only its index document (any route of it)', () => {
    const origin = resolveAppOrigin({ devUrl: undefined, packaged: false });
    expect(origin.entry).toEqual({ kind: 'url', url: 'sluice://app/index.html' });
    expect(origin.isAppUrl('sluice://app/index.html')).toBe(true);
    expect(origin.isAppUrl('sluice://app/index.html#/runs/7?tab=logs')).toBe(true);
    for (const url of [
      // file:// is never the app any more (Electron checklist 18).
      `file://${rendererIndex}`,
      'sluice://app/other.html',
      'sluice://app/assets/index.js',
      'sluice://evil/index.html',
      'sluice://app.evil.example/index.html',
      'sluice://user:pw@app/index.html',
      'sluice://app:8080/index.html',
      'sluice://app/%69ndex.html',
      'sluice://app/index.html%00.png',
      'file:///opt/sluice/out/renderer/other.html',
      'file:///opt/sluice/out/renderer/../../../etc/passwd',
      'file://evil.example/opt/sluice/out/renderer/index.html',
      'file:///opt/sluice/out/renderer/index.html%00.png',
      'https://evil.example/opt/sluice/out/renderer/index.html',
      'not a url',
    ]) {
      expect(origin.isAppUrl(url)).toBe(false);
    }
  });

  it('uses the loopback dev server in development and accepts only its origin', () => {
    const origin = resolveAppOrigin({ devUrl: 'http://localhost:5173', packaged: false });
    expect(origin.entry).toEqual({ kind: 'url', url: 'http://localhost:5173/' });
    expect(origin.isAppUrl('http://localhost:5173/runs')).toBe(true);
    expect(origin.isAppUrl('http://localhost:5174/')).toBe(false);
    expect(origin.isAppUrl('http://localhost.evil.example:5173/')).toBe(false);
    expect(origin.isAppUrl(`file://${rendererIndex}`)).toBe(false);
    expect(origin.isAppUrl('sluice://app/index.html')).toBe(false);
  });

  it('refuses a dev URL that is not on this machine', () => {
    for (const devUrl of ['https://evil.example', 'file:///tmp/x.html', 'javascript:alert(1)', 'nonsense']) {
      expect(() => resolveAppOrigin({ devUrl, packaged: false })).toThrow(/ELECTRON_RENDERER_URL must be an http\(s\) URL on localhost/);
    }
  });

  it('ignores the dev URL in a packaged app', () => {
    const origin = resolveAppOrigin({ devUrl: 'http://localhost:5173', packaged: true });
    expect(origin.entry.url).toBe('sluice://app/index.html');
    expect(origin.isAppUrl('http://localhost:5173/')).toBe(false);
  });
});
