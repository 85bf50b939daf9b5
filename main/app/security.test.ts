import { beforeEach, describe, expect, it, vi } from 'vitest';

import { silentLogger } from '../engine/logger';
import { BrowserWindow, FakeEvent, resetFakeElectron, session, shell } from '../testing/fake-electron';
import { resolveAppOrigin } from './origin';
import { CONTENT_SECURITY_POLICY, isSafeExternalUrl, setupSecurity } from './security';

vi.mock('electron', () => import('../testing/fake-electron'));

const APP_URL = 'sluice://app/index.html';
const origin = resolveAppOrigin({ devUrl: undefined, packaged: false });

beforeEach(() => {
  resetFakeElectron();
  setupSecurity({ origin, logger: silentLogger() });
});

/** A window created after setupSecurity, so `web-contents-created` hardened it. */
const hardenedContents = () => new BrowserWindow().webContents;

describe('navigation and new windows', () => {
  it('prevents navigation and redirects to another origin but allows in-app routes', () => {
    const contents = hardenedContents();
    expect(contents.fireNavigation('will-navigate', 'https://evil.example/').defaultPrevented).toBe(true);
    expect(contents.fireNavigation('will-navigate', 'file:///etc/passwd').defaultPrevented).toBe(true);
    expect(contents.fireNavigation('will-redirect', 'https://evil.example/').defaultPrevented).toBe(true);
    expect(contents.fireNavigation('will-navigate', `${APP_URL}#/runs`).defaultPrevented).toBe(false);
  });

  it('denies every window.open and opens only safe https links in the system browser', () => {
    const handler = hardenedContents().windowOpenHandler;
    expect(handler).not.toBeNull();
    for (const url of ['https://github.com/org/repo/pull/1', 'http://example.com', 'https://user:pw@example.com', 'file:///etc/passwd', APP_URL]) {
      expect(handler?.({ url })).toEqual({ action: 'deny' });
    }
    expect(shell.opened).toEqual(['https://github.com/org/repo/pull/1']);
  });

  it('prevents attaching a webview', () => {
    const contents = hardenedContents();
    const event = new FakeEvent();
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });
});

describe('isSafeExternalUrl', () => {
  it('accepts plain https URLs only', () => {
    expect(isSafeExternalUrl('https://example.atlassian.net/browse/ABC-1')).toBe(true);
    for (const url of ['http://example.com', 'https://a:b@example.com', 'https://user@example.com', 'javascript:alert(1)', 'ms-msdt:/id', 'smb://host/share', `https://example.com/${'a'.repeat(3000)}`, 'garbage']) {
      expect(isSafeExternalUrl(url)).toBe(false);
    }
  });
});

describe('session policy', () => {
  it('denies every permission request and check', () => {
    const ses = session.defaultSession;
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      ses.permissionRequestHandler?.({}, permission, callback, {});
      expect(callback).toHaveBeenCalledWith(false);
      expect(ses.permissionCheckHandler?.({}, permission, 'file://', {})).toBe(false);
    }
  });

  it('sets the strict CSP header and replaces any policy the server sent', () => {
    const listener = session.defaultSession.headersListener;
    expect(listener).not.toBeNull();
    const callback = vi.fn();
    listener?.(
      { url: 'http://localhost:5173/', responseHeaders: { 'content-type': ['text/html'], 'content-security-policy': ["default-src *"] } },
      callback,
    );
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'content-type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
  });
});
