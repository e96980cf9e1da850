import net from 'node:net';

/** True when something accepts TCP connections on host:port. */
export function isPortOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `check` until it resolves true. `alive` lets the caller stop early when the
 * process it is waiting for has died, instead of waiting out the whole timeout.
 */
export async function waitUntil(
  check: () => Promise<boolean>,
  opts: { timeoutMs: number; intervalMs?: number; alive?: () => boolean; what: string },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (opts.alive && !opts.alive()) throw new Error(`${opts.what}: process exited during startup`);
    if (Date.now() > deadline)
      throw new Error(`${opts.what}: not ready after ${Math.round(opts.timeoutMs / 1000)}s`);
    await sleep(opts.intervalMs ?? 250);
  }
}
