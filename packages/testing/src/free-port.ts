import net from 'node:net';

/** Ports handed out: below Linux's default ephemeral range (32768–60999). */
const FIRST_PORT = 20_000;
const PORTS = 12_000;

/** Ports this process handed out already: never twice, even to calls made at once. */
const handedOut = new Set<number>();

/** Whether a server can listen on `port` right now. */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A TCP port nobody listens on right now (for a process a test or benchmark starts), chosen
 * below the kernel's ephemeral range: a port from that range may become another connection's
 * local end as soon as it is free, so a server stopped and started again on it (the fault run's
 * SMTP server) could find it taken (CI, 2026-11-30: the private maildev exited during its
 * restart).
 */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const port = FIRST_PORT + Math.floor(Math.random() * PORTS);
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port between ${FIRST_PORT} and ${FIRST_PORT + PORTS - 1}`);
}
