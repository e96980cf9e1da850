import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * The page's security headers. The Content-Security-Policy allows only what the store needs:
 * its own scripts plus the inline ones it writes with this response's nonce (the cache state,
 * React Router's hydration data), its own styles, images from itself and the image host, and
 * requests (HTTP and WebSocket) to itself. Development relaxes scripts and styles for Vite's
 * hot reload.
 */
export function securityHeaders(options: {
  dev: boolean;
  imageOrigins: string[];
  secure: boolean;
}): RequestHandler[] {
  const nonceOf = (res: { locals: Record<string, unknown> }) =>
    `'nonce-${String(res.locals.cspNonce)}'`;
  const assignNonce: RequestHandler = (_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString('base64');
    next();
  };
  const csp = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': options.dev
          ? ["'self'", "'unsafe-inline'", "'unsafe-eval'"]
          : ["'self'", (_req, res) => nonceOf(res as never)],
        'style-src': options.dev ? ["'self'", "'unsafe-inline'"] : ["'self'"],
        'img-src': ["'self'", 'data:', ...options.imageOrigins],
        'font-src': ["'self'"],
        'connect-src': options.dev ? ["'self'", 'ws:', 'wss:'] : ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        ...(options.secure ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    // HSTS on a plain-HTTP origin is ignored by browsers and misleading in a header dump.
    strictTransportSecurity: options.secure,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginEmbedderPolicy: false,
  });
  const permissions: RequestHandler = (_req, res, next) => {
    res.setHeader(
      'permissions-policy',
      'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    );
    next();
  };
  return [assignNonce, csp, permissions];
}
