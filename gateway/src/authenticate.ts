import type http from 'node:http';
import { GraphQLError } from 'graphql';
import {
  AccessTokenError,
  isSessionRevoked,
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
 * with a broken or expired token learns it instead of silently browsing as a guest.
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
  return { userId: claims.userId, role: claims.role };
}
