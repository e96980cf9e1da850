import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, optional, secret, SecretMatcher } from '@shop/config';
import type { Logger } from '@shop/logging';
import type { ServiceMetrics } from './metrics.ts';
import { runProbes, type Probe } from './probes.ts';

export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;

/** Every process's operations settings (read from the process environment, like tracing's). */
export const opsSettings = {
  /**
   * Guards /metrics and the details of /ready (which dependency failed, and why): Prometheus
   * sends it as a bearer token (`authorization.credentials` in its scrape config). Unset (local
   * development, the tests) they are open to whoever reaches the port; /health always is.
   */
  OPS_TOKEN: optional(secret({ min: 32 })),
};

export interface ServiceServerOptions {
  name: string;
  host: string;
  port: number;
  logger: Logger;
  metrics: ServiceMetrics;
  /** Dependencies checked by /ready. */
  probes: Record<string, Probe>;
  /** Path -> handler; the GraphQL endpoint is one of these. */
  routes: Record<string, RouteHandler>;
  /** Serves every other path (a web app's pages and assets); without it they answer 404. */
  fallback?: RouteHandler;
  /** Closed in order after the HTTP server stops accepting (pools, producers, clients). */
  onShutdown?: () => Promise<void>;
  /** See opsSettings; by default OPS_TOKEN from the process environment. */
  opsToken?: string;
}

export interface ServiceServer {
  url: string;
  port: number;
  server: http.Server;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, type: string, body: string) {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * The HTTP host every service runs: its routes plus /health (the process is alive), /ready
 * (its dependencies answer) and /metrics (Prometheus), with request metrics and a graceful close.
 */
export async function startServiceServer(options: ServiceServerOptions): Promise<ServiceServer> {
  const { logger, metrics } = options;
  let closing = false;
  const opsToken = options.opsToken ?? loadConfig(opsSettings).OPS_TOKEN;
  const operators = opsToken === undefined ? undefined : new SecretMatcher([`Bearer ${opsToken}`]);
  const mayOperate = (req: http.IncomingMessage) =>
    !operators || operators.matches(req.headers.authorization);

  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = options.routes[path]
      ? path
      : ['/health', '/ready', '/metrics'].includes(path)
        ? path
        : options.fallback
          ? 'app'
          : 'other';
    res.on('finish', () => {
      const labels = { method: req.method ?? 'GET', route, status: String(res.statusCode) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    handle(path, req, res).catch((error: unknown) => {
      logger.error({ err: error, path }, 'unhandled request error');
      if (!res.headersSent) send(res, 500, 'application/json', '{"error":"internal error"}');
      else res.destroy();
    });
  });

  async function handle(path: string, req: http.IncomingMessage, res: http.ServerResponse) {
    if (path === '/health') {
      return send(
        res,
        closing ? 503 : 200,
        'application/json',
        JSON.stringify({ status: closing ? 'closing' : 'ok' }),
      );
    }
    if (path === '/ready') {
      const report = await runProbes(options.probes);
      const ok = report.status === 'ok' && !closing;
      // Load balancers read the status; which dependency failed and why is for operators.
      const body = mayOperate(req) ? report : { status: report.status };
      return send(res, ok ? 200 : 503, 'application/json', JSON.stringify(body));
    }
    if (path === '/metrics') {
      if (!mayOperate(req)) {
        res.setHeader('www-authenticate', 'Bearer');
        return send(res, 401, 'application/json', '{"error":"unauthorized"}');
      }
      return send(res, 200, metrics.registry.contentType, await metrics.registry.metrics());
    }
    const handler = options.routes[path] ?? options.fallback;
    if (!handler) return send(res, 404, 'application/json', '{"error":"not found"}');
    await handler(req, res);
  }

  // Keep-alive longer than typical load balancers' idle timeout avoids races on reused sockets.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  logger.info({ url }, `${options.name} listening`);

  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      closing = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Requests in flight get a few seconds; then sockets are cut so shutdown always ends.
        setTimeout(() => server.closeAllConnections(), 5000).unref();
      });
      await options.onShutdown?.();
      logger.info(`${options.name} stopped`);
    })());

  return { url, port, server, close };
}

/** Closes the service on SIGINT/SIGTERM, then exits; a second signal exits at once. */
const SHUTDOWN_DEADLINE_MS = 20_000;

export function closeOnSignals(service: { close(): Promise<void> }, logger: Logger): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // A close that hangs (a handler stuck on its database) must not keep a stopped service
    // around for ever: supervisors wait about this long before they kill anyway.
    setTimeout(() => {
      logger.error({ signal, afterMs: SHUTDOWN_DEADLINE_MS }, 'shutdown took too long, exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
