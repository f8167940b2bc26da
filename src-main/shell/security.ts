// Electron's security checklist, applied once for the whole app: no navigation away from the app, no
// new windows, no webviews, no permissions, and IPC answered only for our own top frame.
import { app, session, shell } from 'electron';
import type { WebFrameMain } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../server/csp';

/** True when the sender is the top frame of our app page (file:// build or the dev server). */
export function isTrustedFrame(frame: WebFrameMain | null | undefined, appUrl: string): boolean {
  if (!frame || frame.parent !== null) return false;
  const url = frame.url;
  if (appUrl.startsWith('file:')) return url.split(/[?#]/)[0] === appUrl.split(/[?#]/)[0];
  try {
    return new URL(url).origin === new URL(appUrl).origin;
  } catch {
    return false;
  }
}

export function hardenApp(appUrl: () => string): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (url.split(/[?#]/)[0] !== appUrl().split(/[?#]/)[0]) event.preventDefault();
    });
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Links to the web (e.g. the paper) open in the user's browser, never in the app.
      if (/^https:\/\//.test(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

export function hardenSession(devServer: boolean): void {
  const s = session.defaultSession;
  // Only system notifications: a followed camera's flagged parts are said even when the window is behind another.
  s.setPermissionRequestHandler((_wc, permission, callback) => callback(permission === 'notifications'));
  s.setPermissionCheckHandler((_wc, permission) => permission === 'notifications');
  // The built page carries the CSP in a meta tag; responses over http(s) get the header too. The dev
  // server needs inline scripts for hot reload, so it is left alone.
  if (!devServer) {
    s.webRequest.onHeadersReceived((details, callback) => {
      callback({
        responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
      });
    });
  }
}
