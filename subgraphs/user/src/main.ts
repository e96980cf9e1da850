import { runMain } from '@shop/config';
import { createLogger } from '@shop/logging';
import { closeOnSignals } from '@shop/observability';
import { startTracing } from '@shop/tracing';
import { loadUserConfig } from './config.ts';
import { startUserService } from './service.ts';

await runMain('user', async () => {
  // First: spans and the logger's trace ids need the SDK (the preload has patched the modules).
  const tracing = startTracing({ serviceName: 'user' });
  const config = loadUserConfig();
  const logger = createLogger('user', config.LOG_LEVEL);
  const service = await startUserService(config, logger);
  closeOnSignals(tracing.closing(service), logger);
});
