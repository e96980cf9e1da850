import { runMain } from '@shop/config';
import { createLogger } from '@shop/logging';
import { closeOnSignals } from '@shop/observability';
import { loadCatalogConfig } from './config.ts';
import { startCatalogService } from './service.ts';

await runMain('catalog', async () => {
  const config = loadCatalogConfig();
  const logger = createLogger('catalog', config.LOG_LEVEL);
  const service = await startCatalogService(config, logger);
  closeOnSignals(service, logger);
});
