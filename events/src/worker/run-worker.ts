import { runMain } from '@shop/config';
import { createLogger } from '@shop/logging';
import { closeOnSignals } from '@shop/observability';
import { startTracing } from '@shop/tracing';
import type { StartWorker } from './serve-worker.ts';

/**
 * A worker's main.ts: tracing first (its spans named `serviceName`, the worker's configured
 * name), then the worker; SIGINT/SIGTERM close it and then send the spans still buffered.
 */
export async function runWorker(
  name: string,
  serviceName: string,
  start: StartWorker,
): Promise<void> {
  await runMain(name, async () => {
    const tracing = startTracing({ serviceName });
    const server = await start(process.env, { handleSignals: false });
    closeOnSignals(tracing.closing(server), createLogger(serviceName));
  });
}
