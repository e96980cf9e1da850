import { runMain } from '@shop/config';
import { createLogger } from '@shop/logging';
import { closeOnSignals } from '@shop/observability';
import { loadOrderConfig } from './config.ts';
import { startOrderService } from './service.ts';

await runMain('order', async () => {
  const config = loadOrderConfig();
  const logger = createLogger('order', config.LOG_LEVEL);
  const service = await startOrderService(config, logger);
  closeOnSignals(service, logger);
});
