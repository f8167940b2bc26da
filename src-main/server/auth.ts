// Who may talk to the web mode. On loopback, anyone on this machine (like any local app) but only
// through a loopback Host header, which stops DNS-rebinding pages. Bound elsewhere, every request
// must carry the printed token: header, ?token= (sets a cookie so <img> and EventSource work), or cookie.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'inspector_token';

export function isLoopbackHost(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieValue(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null; // a malformed escape is just a wrong token
      }
    }
  }
  return null;
}

export type AuthResult = { ok: true; setCookie: boolean } | { ok: false; reason: string };

/** `boundHost`: the loopback address the server listens on (e.g. 127.0.0.2), whose own URL must work. */
export function authorize(req: IncomingMessage, url: URL, token: string | null, port: number, boundHost = '127.0.0.1'): AuthResult {
  if (token === null) {
    const hostHeader = (req.headers.host ?? '').toLowerCase();
    const bound = boundHost.includes(':') ? `[${boundHost}]` : boundHost;
    const allowed = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${bound.toLowerCase()}:${port}`];
    if (!allowed.includes(hostHeader)) return { ok: false, reason: `Host "${hostHeader}" is not this local server` };
    return { ok: true, setCookie: false };
  }
  const auth = req.headers.authorization ?? '';
  if (auth.startsWith('Bearer ') && same(auth.slice(7).trim(), token)) return { ok: true, setCookie: false };
  const fromQuery = url.searchParams.get('token');
  if (fromQuery !== null && same(fromQuery, token)) return { ok: true, setCookie: true };
  const fromCookie = cookieValue(req, TOKEN_COOKIE);
  if (fromCookie !== null && same(fromCookie, token)) return { ok: true, setCookie: false };
  return { ok: false, reason: 'Missing or wrong token: open the URL the serve command printed' };
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
}
