/**
 * The worker host: several workers in one Node.js process, for small deployments where a process
 * per worker costs more memory than the work needs. Each keeps its own settings (see
 * worker-env.ts), consumers, HTTP port with /health, /ready and /metrics; SIGINT/SIGTERM closes
 * them all, then the process exits.
 * Run: WORKERS=relay-order,saga SAGA__PORT=4012 RELAY_ORDER__PORT=4010 ... tsx workers/host/src/main.ts
 */
import { loadConfig, nameList, oneOf, runMain } from '@shop/config';
import { createLogger } from '@shop/logging';
import { closeOnSignals } from '@shop/observability';
import { startTracing } from '@shop/tracing';
import { workerEnv } from './worker-env.ts';
import { workerPrograms } from './worker-programs.ts';

const hostSettings = {
  /** The workers this process runs, by id: saga, search-indexer, analytics, cart-worker, notifications, relay-<name>. */
  WORKERS: nameList(),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace'], 'info'),
};

await runMain('worker-host', async () => {
  // One SDK for the whole process: every worker's spans carry the host's name.
  const tracing = startTracing({ serviceName: 'worker-host' });
  const config = loadConfig(hostSettings);
  const logger = createLogger('worker-host', config.LOG_LEVEL);
  const programs = workerPrograms(config.WORKERS);
  const started = await Promise.allSettled(
    programs.map(({ id, start }) => start(workerEnv(id, process.env), { handleSignals: false })),
  );
  const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    // Half a host misleads as much as half a system: close what started, report the first cause.
    await Promise.allSettled(servers.map((s) => s.close()));
    throw failed.reason;
  }
  logger.info({ workers: config.WORKERS }, 'workers started');
  closeOnSignals(
    tracing.closing({
      close: async () => {
        await Promise.all(servers.map((s) => s.close()));
      },
    }),
    logger,
  );
});
