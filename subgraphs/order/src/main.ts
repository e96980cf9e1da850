import { runMain } from '@shop/config';
import { createLogger } from '@shop/logging';
import { closeOnSignals } from '@shop/observability';
import { startTracing } from '@shop/tracing';
import { loadOrderConfig } from './config.ts';
import { startOrderService } from './service.ts';

await runMain('order', async () => {
  // First: spans and the logger's trace ids need the SDK (the preload has patched the modules).
  const tracing = startTracing({ serviceName: 'order' });
  const config = loadOrderConfig();
  const logger = createLogger('order', config.LOG_LEVEL);
  const service = await startOrderService(config, logger);
  closeOnSignals(tracing.closing(service), logger);
});
