import type http from 'node:http';

/**
 * X-Forwarded-For for a request this server makes on a browser's behalf: the chain it received
 * with the browser's socket address appended, the same as the `/graphql` proxy sends. The
 * gateway, told how many proxies it trusts, reads the entry this server wrote, never one a
 * browser made up.
 */
export function forwardedFor(req: http.IncomingMessage): string | undefined {
  const peer = req.socket.remoteAddress;
  const received = req.headers['x-forwarded-for'];
  const chain = Array.isArray(received) ? received.join(', ') : received;
  if (!peer) return chain;
  return chain ? `${chain}, ${peer}` : peer;
}
