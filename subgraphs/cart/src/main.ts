import { runMain } from '@shop/config';
import { createLogger } from '@shop/logging';
import { closeOnSignals } from '@shop/observability';
import { startTracing } from '@shop/tracing';
import { loadCartConfig } from './config.ts';
import { startCartService } from './service.ts';

await runMain('cart', async () => {
  // First: spans and the logger's trace ids need the SDK (the preload has patched the modules).
  const tracing = startTracing({ serviceName: 'cart' });
  const config = loadCartConfig();
  const logger = createLogger('cart', config.LOG_LEVEL);
  const service = await startCartService(config, logger);
  closeOnSignals(tracing.closing(service), logger);
});
