import { runMain } from '@shop/config';
import { createLogger } from '@shop/logging';
import { closeOnSignals } from '@shop/observability';
import { loadCartConfig } from './config.ts';
import { startCartService } from './service.ts';

await runMain('cart', async () => {
  const config = loadCartConfig();
  const logger = createLogger('cart', config.LOG_LEVEL);
  const service = await startCartService(config, logger);
  closeOnSignals(service, logger);
});
