import express, { type Request, type Response, type NextFunction } from 'express';
import type { Logger } from '@shop/logging';
import {
  LoginDocument,
  LogoutDocument,
  RefreshSessionDocument,
  RegisterDocument,
  type SessionGrantFragment,
} from '../app/graphql/generated.ts';
import { forwardedFor } from './forwarded-for.ts';
import {
  gatewayRequest,
  GatewayUnavailable,
  type GatewayError,
  type GatewayResult,
} from './gateway-client.ts';
import {
  clearedSessionCookies,
  readCookie,
  REFRESH_COOKIE,
  sessionCookies,
  type CookieOptions,
} from './session-cookies.ts';

export interface SessionRouteOptions {
  gatewayUrl: string;
  timeoutMs: number;
  cookies: CookieOptions;
  logger: Logger;
}

const STATUS_OF_CODE: Record<string, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
};

function sendErrors(res: Response, errors: GatewayError[]): void {
  const code = errors[0]?.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
  const retryAfter = errors[0]?.extensions?.retryAfter;
  if (typeof retryAfter === 'number') res.setHeader('retry-after', String(retryAfter));
  res.status(STATUS_OF_CODE[code] ?? 502).json({
    errors: errors.map((e) => ({ message: e.message, extensions: e.extensions })),
  });
}

const refuse = (res: Response, status: number, code: string, message: string) =>
  void res.status(status).json({ errors: [{ message, extensions: { code } }] });

/**
 * Only this store's own pages may call the session endpoints: JSON bodies (a cross-site form
 * cannot send one without a CORS preflight, which this server never grants) and, where the
 * browser says where the request comes from, the same origin.
 */
function sameOriginJson(req: Request, res: Response, next: NextFunction): void {
  if (!req.is('application/json'))
    return refuse(res, 415, 'BAD_USER_INPUT', 'Send the session request as application/json');
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    return refuse(res, 403, 'FORBIDDEN', 'Cross-site session requests are refused');
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (host !== req.headers.host)
      return refuse(res, 403, 'FORBIDDEN', 'Cross-site session requests are refused');
  }
  next();
}

const stringField = (body: unknown, name: string): string | undefined => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * The token-mediating endpoints of the storefront (`/session/*`): sign-in, sign-up, refresh and
 * sign-out through the gateway's public mutations. The refresh token stays in an HttpOnly cookie
 * on this origin; the page gets the access token and the user, and keeps them in memory.
 */
export function sessionRoutes(options: SessionRouteOptions): express.Router {
  const router = express.Router();
  router.use(express.json({ limit: '16kb' }));
  router.use(sameOriginJson);
  /**
   * Refresh tokens are single-use: two requests with the same cookie at once (two tabs, a
   * double click) share one refresh instead of the second one ending the session.
   */
  const refreshing = new Map<
    string,
    Promise<GatewayResult<{ refreshToken: SessionGrantFragment }>>
  >();

  const call = <T, V>(
    req: Request,
    document: Parameters<typeof gatewayRequest<T, V>>[1],
    variables: V,
    authorization?: string,
  ) =>
    gatewayRequest(options.gatewayUrl, document, variables, {
      timeoutMs: options.timeoutMs,
      forwardedFor: forwardedFor(req),
      ...(authorization ? { authorization } : {}),
    });

  const refresh = (req: Request, token: string) => {
    let pending = refreshing.get(token);
    if (!pending) {
      pending = call(req, RefreshSessionDocument, { token }).finally(() =>
        refreshing.delete(token),
      );
      refreshing.set(token, pending);
    }
    return pending;
  };

  const grant = (res: Response, payload: SessionGrantFragment) => {
    res.setHeader('set-cookie', sessionCookies(payload.refreshToken, options.cookies));
    res.setHeader('cache-control', 'no-store');
    res.json({
      accessToken: payload.accessToken,
      expiresIn: payload.expiresIn,
      user: payload.user,
    });
  };

  const handle =
    (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response) =>
      fn(req, res).catch((error: unknown) => {
        if (error instanceof GatewayUnavailable) {
          options.logger.warn({ err: error }, 'session request: gateway unavailable');
          return refuse(
            res,
            503,
            'INTERNAL_SERVER_ERROR',
            'The store cannot be reached; try again',
          );
        }
        options.logger.error({ err: error }, 'session request failed');
        refuse(res, 500, 'INTERNAL_SERVER_ERROR', 'Something went wrong; try again');
      });

  router.post(
    '/login',
    handle(async (req, res) => {
      const email = stringField(req.body, 'email');
      const password = stringField(req.body, 'password');
      if (email === undefined || password === undefined)
        return refuse(res, 400, 'BAD_USER_INPUT', 'Enter your e-mail address and password');
      const result = await call(req, LoginDocument, { email, password });
      if (result.errors) return sendErrors(res, result.errors);
      grant(res, result.data.login);
    }),
  );

  router.post(
    '/register',
    handle(async (req, res) => {
      const email = stringField(req.body, 'email');
      const password = stringField(req.body, 'password');
      const name = stringField(req.body, 'name');
      if (email === undefined || password === undefined || name === undefined)
        return refuse(res, 400, 'BAD_USER_INPUT', 'Enter your name, e-mail address and password');
      const result = await call(req, RegisterDocument, { input: { email, password, name } });
      if (result.errors) return sendErrors(res, result.errors);
      grant(res, result.data.register);
    }),
  );

  router.post(
    '/refresh',
    handle(async (req, res) => {
      const token = readCookie(req, REFRESH_COOKIE);
      if (!token) {
        res.setHeader('set-cookie', clearedSessionCookies(options.cookies));
        return refuse(res, 401, 'UNAUTHENTICATED', 'Not signed in');
      }
      const result = await refresh(req, token);
      if (result.errors) {
        if (result.errors[0]?.extensions?.code === 'UNAUTHENTICATED')
          res.setHeader('set-cookie', clearedSessionCookies(options.cookies));
        return sendErrors(res, result.errors);
      }
      grant(res, result.data.refreshToken);
    }),
  );

  router.post(
    '/logout',
    handle(async (req, res) => {
      // The session ends on the server whatever the page's access token is: one that expired is
      // replaced through the cookie first, so a sign-out never leaves a live session behind.
      let authorization = req.headers.authorization;
      let ended = authorization
        ? !(await call(req, LogoutDocument, {}, authorization)).errors
        : false;
      const token = readCookie(req, REFRESH_COOKIE);
      if (!ended && token) {
        const renewed = await refresh(req, token);
        if (renewed.data) {
          authorization = `Bearer ${renewed.data.refreshToken.accessToken}`;
          ended = !(await call(req, LogoutDocument, {}, authorization)).errors;
        }
      }
      res.setHeader('set-cookie', clearedSessionCookies(options.cookies));
      res.setHeader('cache-control', 'no-store');
      res.json({ ended });
    }),
  );

  router.use((_req: Request, res: Response) => refuse(res, 404, 'NOT_FOUND', 'No such endpoint'));
  // Body parser errors (malformed JSON, a body over the limit) as JSON in the same shape.
  router.use((error: { type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    if (error.type === 'entity.too.large')
      return refuse(res, 413, 'BAD_USER_INPUT', 'The request is too large');
    if (error.type === 'entity.parse.failed')
      return refuse(res, 400, 'BAD_USER_INPUT', 'The request body is not valid JSON');
    options.logger.error({ err: error }, 'session request failed');
    refuse(res, 500, 'INTERNAL_SERVER_ERROR', 'Something went wrong; try again');
  });
  return router;
}
