import type http from 'node:http';
import type { Duplex } from 'node:stream';

/** Bounds of the subscription server (settings SUBSCRIPTION_* in config.ts). */
export interface SubscriptionLimits {
  /** Open WebSocket connections per client address; more are refused with HTTP 429. */
  connectionsPerAddress: number;
  /** Open connections per signed-in user; more are closed with 4429 after connection_init. */
  connectionsPerUser: number;
  /** Subscriptions running at once on one connection; more are answered with an error. */
  subscriptionsPerConnection: number;
  /** Largest WebSocket message accepted; a bigger one closes the connection with 1009. */
  maxMessageBytes: number;
}

/** Close code of a connection over its user's limit (graphql-ws's codes mirror HTTP's). */
export const CLOSE_TOO_MANY_CONNECTIONS = 4429;

/**
 * Open connections per key (client address, user id), each at most `max`. Counts of this
 * gateway instance: the memory and sockets it protects are this instance's too.
 */
export class ConnectionCounter {
  private readonly open = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** Takes one place for `key`; false (and nothing taken) when it has `max` already. */
  acquire(key: string): boolean {
    const count = this.open.get(key) ?? 0;
    if (count >= this.max) return false;
    this.open.set(key, count + 1);
    return true;
  }

  release(key: string): void {
    const count = this.open.get(key) ?? 0;
    if (count <= 1) this.open.delete(key);
    else this.open.set(key, count - 1);
  }
}

/** Answers an upgrade request with a plain HTTP error instead of switching protocols. */
export function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const reason = status === 429 ? 'Too Many Requests' : 'Not Found';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
  );
}

/**
 * The HTTP server's `upgrade` handler for `path`: at most `max` connections per client address
 * are upgraded, the others get 429 before any WebSocket state exists. A place is taken before
 * the handshake and given back when the TCP socket closes, whether the handshake failed or the
 * WebSocket ended later, so the count can neither leak nor be raced past by parallel upgrades.
 */
export function upgradeHandler(options: {
  path: string;
  max: number;
  addressOf: (req: http.IncomingMessage) => string | null;
  upgrade: (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;
}): (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void {
  const perAddress = new ConnectionCounter(options.max);
  return (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://gateway').pathname !== options.path)
      return refuseUpgrade(socket, 404, 'No WebSocket endpoint here');
    const address = options.addressOf(req);
    if (address !== null) {
      if (!perAddress.acquire(address))
        return refuseUpgrade(socket, 429, 'Too many WebSocket connections from this address');
      socket.once('close', () => perAddress.release(address));
    }
    options.upgrade(req, socket, head);
  };
}
