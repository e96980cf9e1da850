import { runMain } from '@shop/config';
import { createLogger } from '@shop/logging';
import { closeOnSignals } from '@shop/observability';
import { startTracing } from '@shop/tracing';
import { loadCatalogConfig } from './config.ts';
import { startCatalogService } from './service.ts';

await runMain('catalog', async () => {
  // First: spans and the logger's trace ids need the SDK (the preload has patched the modules).
  const tracing = startTracing({ serviceName: 'catalog' });
  const config = loadCatalogConfig();
  const logger = createLogger('catalog', config.LOG_LEVEL);
  const service = await startCatalogService(config, logger);
  closeOnSignals(tracing.closing(service), logger);
});
