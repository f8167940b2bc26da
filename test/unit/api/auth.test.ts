// Who may talk to the web mode: loopback by Host header, anything else by token.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { authorize, authorize as authorizeAt, isLoopbackHost, newToken, tokenCookie } from '../../../src-main/server/auth';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const url = (s: string) => new URL(s, 'http://x');

describe('web mode authorisation', () => {
  it('knows loopback addresses', () => {
    expect(['127.0.0.1', 'localhost', '::1', '127.0.0.2'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '192.168.1.5', '::', 'example.com'].some(isLoopbackHost)).toBe(false);
  });

  it('on loopback accepts only loopback Host headers for its own port', () => {
    expect(authorize(req({ host: '127.0.0.1:5180' }), url('/'), null, 5180).ok).toBe(true);
    expect(authorize(req({ host: 'localhost:5180' }), url('/'), null, 5180).ok).toBe(true);
    expect(authorize(req({ host: 'evil.example:5180' }), url('/'), null, 5180).ok).toBe(false);
    expect(authorize(req({ host: '127.0.0.1:9999' }), url('/'), null, 5180).ok).toBe(false);
    expect(authorize(req({}), url('/'), null, 5180).ok).toBe(false);
    // Bound to another loopback address, its own printed URL works and still only that.
    expect(authorize(req({ host: '127.0.0.2:5180' }), url('/'), null, 5180, '127.0.0.2').ok).toBe(true);
    expect(authorize(req({ host: '127.0.0.3:5180' }), url('/'), null, 5180, '127.0.0.2').ok).toBe(false);
  });

  it('on loopback with a token needs both a loopback Host header and the token', () => {
    const token = newToken();
    const local = { host: '127.0.0.1:5180' };
    expect(authorize(req(local), url('/'), token, 5180)).toMatchObject({ ok: false, code: 'unauthorized' });
    expect(authorize(req({ ...local, authorization: 'Bearer nope' }), url('/'), token, 5180).ok).toBe(false);
    expect(authorize(req({ ...local, authorization: `Bearer ${token}` }), url('/'), token, 5180)).toEqual({ ok: true, setCookie: false });
    expect(authorize(req(local), url(`/?token=${token}`), token, 5180)).toEqual({ ok: true, setCookie: true });
    expect(authorize(req({ host: 'evil.example:5180', authorization: `Bearer ${token}` }), url('/'), token, 5180)).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('off loopback needs the token by header, query (then a cookie) or cookie', () => {
    const token = newToken();
    const authorize = (r: IncomingMessage, u: URL, t: string, port: number) => authorizeAt(r, u, t, port, '0.0.0.0');
    expect(token).not.toBe(newToken());
    expect(authorize(req({}), url('/'), token, 1)).toMatchObject({ ok: false });
    expect(authorize(req({ authorization: `Bearer ${token}` }), url('/'), token, 1)).toEqual({ ok: true, setCookie: false });
    expect(authorize(req({ authorization: `Bearer ${token}x` }), url('/'), token, 1).ok).toBe(false);
    expect(authorize(req({}), url(`/?token=${token}`), token, 1)).toEqual({ ok: true, setCookie: true });
    const cookie = tokenCookie(token).split(';')[0];
    expect(authorize(req({ cookie: `a=b; ${cookie}` }), url('/'), token, 1).ok).toBe(true);
    expect(authorize(req({ cookie: 'inspector_token=nope' }), url('/'), token, 1).ok).toBe(false);
    expect(authorize(req({ cookie: 'inspector_token=%E0%A4%A' }), url('/'), token, 1).ok).toBe(false);
    expect(tokenCookie(token)).toMatch(/HttpOnly; SameSite=Strict/);
  });
});
