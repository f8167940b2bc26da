// Who may talk to the web mode. Every request must carry the printed token (header, ?token= which sets
// a cookie so <img> and EventSource work, or that cookie), on loopback too: other users and processes of
// a shared machine reach loopback as well. On loopback the Host header must also be a loopback one,
// which stops DNS-rebinding pages. `serve --no-token` (loopback only) leaves just the Host check.
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

export type AuthResult = { ok: true; setCookie: boolean } | { ok: false; code: 'forbidden' | 'unauthorized'; reason: string };

/** `token` null: no token asked (loopback only). `boundHost`: the address listened on, whose own URL must work. */
export function authorize(req: IncomingMessage, url: URL, token: string | null, port: number, boundHost = '127.0.0.1'): AuthResult {
  if (isLoopbackHost(boundHost)) {
    const hostHeader = (req.headers.host ?? '').toLowerCase();
    const bound = boundHost.includes(':') ? `[${boundHost}]` : boundHost;
    const allowed = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${bound.toLowerCase()}:${port}`];
    if (!allowed.includes(hostHeader)) return { ok: false, code: 'forbidden', reason: `Host "${hostHeader}" is not this local server` };
  }
  if (token === null) return { ok: true, setCookie: false };
  const auth = req.headers.authorization ?? '';
  if (auth.startsWith('Bearer ') && same(auth.slice(7).trim(), token)) return { ok: true, setCookie: false };
  const fromQuery = url.searchParams.get('token');
  if (fromQuery !== null && same(fromQuery, token)) return { ok: true, setCookie: true };
  const fromCookie = cookieValue(req, TOKEN_COOKIE);
  if (fromCookie !== null && same(fromCookie, token)) return { ok: true, setCookie: false };
  return { ok: false, code: 'unauthorized', reason: 'Missing or wrong token: open the URL the serve command printed' };
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
}
