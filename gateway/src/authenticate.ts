import type http from 'node:http';
import { isIP } from 'node:net';
import { GraphQLError } from 'graphql';
import {
  AccessTokenError,
  CLIENT_ADDRESS_HEADER,
  IDENTITY_HEADER,
  isSessionRevoked,
  signClientAddress,
  signIdentity,
  type AccessTokenVerifier,
  type Identity,
} from '@shop/auth';
import type { Redis } from '@shop/redis';

const BEARER = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

function refuse(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
}

/**
 * The caller of a request: null without an Authorization header (public fields still work),
 * an identity for a valid, unrevoked access token, and a 401 for anything else, so a client
 * with a broken or expired token learns it instead of silently browsing as a guest. The identity
 * carries the token's session id, so the user service can end that session on logout.
 */
export async function authenticate(
  req: http.IncomingMessage,
  verifier: AccessTokenVerifier,
  redis: Redis,
): Promise<Identity | null> {
  const header = req.headers.authorization;
  if (header === undefined || header === '') return null;
  const token = BEARER.exec(header)?.[1];
  if (!token) throw refuse('Authorization header must be "Bearer <access token>"');
  let claims;
  try {
    claims = await verifier.verify(token);
  } catch (error) {
    if (error instanceof AccessTokenError)
      throw refuse(
        error.problem === 'expired'
          ? 'Access token expired; refresh it'
          : 'Access token is not valid',
      );
    throw error;
  }
  if (await isSessionRevoked(redis, claims.sessionId))
    throw refuse('Session has ended; sign in again');
  return { userId: claims.userId, role: claims.role, sessionId: claims.sessionId };
}

/** `::ffff:1.2.3.4` (IPv4 on a dual-stack socket) is the same client as `1.2.3.4`. */
function normalizeAddress(address: string): string | null {
  const trimmed = address.trim();
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed)?.[1];
  const candidate = v4 ?? trimmed;
  return isIP(candidate) ? candidate.toLowerCase() : null;
}

/**
 * The client's address for per-client limits. With `trustedProxyHops = 0` (the default: the
 * gateway faces clients directly) it is the socket's peer and `X-Forwarded-For` is ignored, since
 * any client can write it. Behind N trusted proxies (load balancers that append the address they
 * saw), it is the Nth entry from the right of `X-Forwarded-For`: entries further left were
 * written by the client and prove nothing.
 */
export function clientAddress(req: http.IncomingMessage, trustedProxyHops = 0): string | null {
  const peer = req.socket.remoteAddress ? normalizeAddress(req.socket.remoteAddress) : null;
  if (trustedProxyHops <= 0) return peer;
  const raw = req.headers['x-forwarded-for'];
  const chain = (Array.isArray(raw) ? raw.join(',') : (raw ?? ''))
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const entry = chain[chain.length - trustedProxyHops];
  return entry === undefined ? peer : (normalizeAddress(entry) ?? peer);
}

/**
 * The signed headers a subgraph request carries for this caller: the identity (when signed in)
 * and the client's address (always, when known). The gateway's data source sets these on every
 * subgraph fetch.
 */
export function internalHeaders(
  caller: { identity: Identity | null; clientAddress?: string | null },
  secret: string,
  now = Date.now(),
): Record<string, string> {
  const headers: Record<string, string> = {};
  if (caller.identity) headers[IDENTITY_HEADER] = signIdentity(caller.identity, secret, now);
  if (caller.clientAddress)
    headers[CLIENT_ADDRESS_HEADER] = signClientAddress(caller.clientAddress, secret, now);
  return headers;
}
