import { runMain } from '@shop/config';
import { createLogger } from '@shop/logging';
import { closeOnSignals } from '@shop/observability';
import { loadUserConfig } from './config.ts';
import { startUserService } from './service.ts';

await runMain('user', async () => {
  const config = loadUserConfig();
  const logger = createLogger('user', config.LOG_LEVEL);
  const service = await startUserService(config, logger);
  closeOnSignals(service, logger);
});
