import { runMain } from '@shop/config';
import { createLogger } from '@shop/logging';
import { closeOnSignals } from '@shop/observability';
import { startTracing } from '@shop/tracing';
import { loadSearchConfig } from './config.ts';
import { startSearchService } from './service.ts';

await runMain('search', async () => {
  // First: spans and the logger's trace ids need the SDK (the preload has patched the modules).
  const tracing = startTracing({ serviceName: 'search' });
  const config = loadSearchConfig();
  const logger = createLogger('search', config.LOG_LEVEL);
  const service = await startSearchService(config, logger);
  closeOnSignals(tracing.closing(service), logger);
});
