import { parse as parseCookies, serialize } from 'cookie';
import type http from 'node:http';

/** The refresh token: HttpOnly (page scripts never see it), sent only to `/session`. */
export const REFRESH_COOKIE = 'tackle_rt';
/**
 * A hint, readable by page scripts and the server renderer, that a session cookie exists: it
 * holds no secret, and saves signed-out visitors a refresh call on every page load.
 */
export const SIGNED_IN_COOKIE = 'tackle_signed_in';

export interface CookieOptions {
  secure: boolean;
  maxAgeSeconds: number;
}

export function readCookie(req: http.IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  return header ? parseCookies(header)[name] : undefined;
}

export function sessionCookies(refreshToken: string, options: CookieOptions): string[] {
  return [
    serialize(REFRESH_COOKIE, refreshToken, {
      httpOnly: true,
      secure: options.secure,
      sameSite: 'strict',
      path: '/session',
      maxAge: options.maxAgeSeconds,
    }),
    serialize(SIGNED_IN_COOKIE, '1', {
      secure: options.secure,
      sameSite: 'lax',
      path: '/',
      maxAge: options.maxAgeSeconds,
    }),
  ];
}

export function clearedSessionCookies(options: Pick<CookieOptions, 'secure'>): string[] {
  return [
    serialize(REFRESH_COOKIE, '', {
      httpOnly: true,
      secure: options.secure,
      sameSite: 'strict',
      path: '/session',
      maxAge: 0,
    }),
    serialize(SIGNED_IN_COOKIE, '', {
      secure: options.secure,
      sameSite: 'lax',
      path: '/',
      maxAge: 0,
    }),
  ];
}
