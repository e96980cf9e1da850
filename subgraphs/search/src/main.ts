import { runMain } from '@shop/config';
import { createLogger } from '@shop/logging';
import { closeOnSignals } from '@shop/observability';
import { loadSearchConfig } from './config.ts';
import { startSearchService } from './service.ts';

await runMain('search', async () => {
  const config = loadSearchConfig();
  const logger = createLogger('search', config.LOG_LEVEL);
  const service = await startSearchService(config, logger);
  closeOnSignals(service, logger);
});
