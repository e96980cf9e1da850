import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { createRequestHandler } from '@react-router/express';
import compression from 'compression';
import express from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import type { AppLoadContext, ServerBuild } from 'react-router';
import type { Logger } from '@shop/logging';
// Brings the AppLoadContext augmentation (what loaders receive) into this program.
import type {} from '../app/load-context.ts';
import type { StorefrontConfig } from './config.ts';
import { forwardedFor } from './forwarded-for.ts';
import { securityHeaders } from './security-headers.ts';
import { readCookie, SIGNED_IN_COOKIE } from './session-cookies.ts';
import { sessionRoutes } from './session-routes.ts';

export interface StorefrontApp {
  handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void>;
  /** WebSocket upgrades of `/graphql`, passed to the gateway. */
  upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

// server/app.ts in development, build/main.js in production: the storefront folder either way.
const root = path.resolve(import.meta.dirname, '..');

/**
 * The storefront's HTTP side: security headers on everything, `/graphql` passed through to the
 * gateway (HTTP and WebSocket, so the browser talks to one origin and CORS never opens), the
 * session endpoints, the built assets, and every other path rendered by React Router.
 */
export async function createStorefrontApp(
  config: StorefrontConfig,
  logger: Logger,
  options: { dev: boolean },
): Promise<StorefrontApp> {
  const gateway = new URL(config.GATEWAY_URL);
  const app = express();
  app.disable('x-powered-by');
  app.use(
    securityHeaders({
      dev: options.dev,
      imageOrigins: config.IMAGE_ORIGINS.split(/\s+/).filter(Boolean),
      secure: config.COOKIE_SECURE,
    }),
  );

  const proxy = createProxyMiddleware<express.Request, express.Response>({
    target: gateway.origin,
    // Exactly the endpoint: nothing else of the gateway's (metrics, health) is reachable here.
    pathFilter: (pathname) => pathname === gateway.pathname,
    // WebSocket upgrades come through `upgrade` below (the server's one upgrade listener), not
    // through the proxy's own subscription made on the first HTTP request.
    ws: false,
    xfwd: true,
    proxyTimeout: config.GATEWAY_TIMEOUT_MS * 3,
    on: {
      // The gateway authenticates by token; the store's cookies are none of its business.
      proxyReq: (proxyReq) => proxyReq.removeHeader('cookie'),
      proxyReqWs: (proxyReq) => proxyReq.removeHeader('cookie'),
      error: (error, _req, res) => {
        logger.warn({ err: error }, 'gateway proxy error');
        if ('writeHead' in res && !res.headersSent) {
          res.writeHead(502, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              errors: [
                {
                  message: 'The store cannot be reached; try again',
                  extensions: { code: 'INTERNAL_SERVER_ERROR' },
                },
              ],
            }),
          );
        } else res.destroy();
      },
    },
  });
  app.use(proxy);
  app.use(
    '/session',
    sessionRoutes({
      gatewayUrl: config.GATEWAY_URL,
      timeoutMs: config.GATEWAY_TIMEOUT_MS,
      cookies: {
        secure: config.COOKIE_SECURE,
        maxAgeSeconds: config.SESSION_COOKIE_MAX_AGE_SECONDS,
      },
      logger,
    }),
  );
  app.use(compression());

  let build: () => Promise<ServerBuild>;
  let closeVite = async () => {};
  if (options.dev) {
    // Development only (`npm run dev`): the production server never loads Vite, so it stays a
    // devDependency that a production install leaves out.
    // eslint-disable-next-line import-x/no-extraneous-dependencies
    const { createServer } = await import('vite');
    const vite = await createServer({ root, server: { middlewareMode: true }, appType: 'custom' });
    app.use(vite.middlewares);
    build = () => vite.ssrLoadModule('virtual:react-router/server-build') as Promise<ServerBuild>;
    closeVite = () => vite.close();
  } else {
    const client = path.join(root, 'build/client');
    // Hashed file names: cached for a year, never revalidated.
    app.use(
      '/assets',
      express.static(path.join(client, 'assets'), { immutable: true, maxAge: '1y', index: false }),
    );
    app.use(express.static(client, { maxAge: '1h', index: false }));
    const serverBuild = (await import(
      pathToFileURL(path.join(root, 'build/server/index.js')).href
    )) as ServerBuild;
    build = async () => serverBuild;
  }

  app.all(
    '/{*splat}',
    createRequestHandler({
      build,
      mode: options.dev ? 'development' : 'production',
      getLoadContext: (req, res): AppLoadContext => ({
        nonce: String(res.locals.cspNonce),
        signedInHint: readCookie(req, SIGNED_IN_COOKIE) === '1',
        gateway: {
          url: config.GATEWAY_URL,
          forwardedFor: forwardedFor(req),
          timeoutMs: config.GATEWAY_TIMEOUT_MS,
        },
      }),
    }),
  );

  return {
    handle: (req, res) =>
      new Promise<void>((resolve) => {
        res.once('close', resolve);
        app(req as express.Request, res as express.Response, () => resolve());
      }),
    upgrade: (req, socket, head) => {
      if ((req.url ?? '').split('?')[0] !== gateway.pathname) return void socket.destroy();
      proxy.upgrade(req, socket as never, head);
    },
    close: closeVite,
  };
}
