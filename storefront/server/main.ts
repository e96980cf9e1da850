import { runMain } from '@shop/config';
import { createLogger } from '@shop/logging';
import { closeOnSignals, createServiceMetrics, startServiceServer } from '@shop/observability';
import { createStorefrontApp } from './app.ts';
import { loadStorefrontConfig } from './config.ts';

/**
 * The storefront server: pages rendered by React Router, the session endpoints and `/graphql`
 * passed to the gateway, on the same host as every service (`/health`, `/ready` with the
 * gateway as its dependency, `/metrics`, graceful shutdown). `--dev` serves the app through
 * Vite with hot reload instead of the production build.
 */
await runMain('storefront', async () => {
  const dev = process.argv.includes('--dev');
  // Development runs beside `npm start` (whose storefront has 3000): Vite's usual port.
  const config = loadStorefrontConfig(dev ? { PORT: '5173', ...process.env } : process.env);
  const logger = createLogger('storefront', config.LOG_LEVEL);
  const app = await createStorefrontApp(config, logger, { dev });
  const gatewayHealth = new URL('/health', config.GATEWAY_URL);
  const service = await startServiceServer({
    name: 'storefront',
    host: config.HOST,
    port: config.PORT,
    logger,
    metrics: createServiceMetrics('storefront'),
    probes: {
      gateway: async () => {
        const response = await fetch(gatewayHealth, { signal: AbortSignal.timeout(2000) });
        if (!response.ok) throw new Error(`${gatewayHealth.href} answered ${response.status}`);
      },
    },
    routes: {},
    fallback: app.handle,
    onShutdown: app.close,
  });
  service.server.on('upgrade', app.upgrade);
  closeOnSignals(service, logger);
});
