import type http from 'node:http';
import {
  IDENTITY_HEADER,
  verifyIdentityHeader,
  type EndedSessions,
  type Identity,
} from '@shop/auth';
import type { Logger } from '@shop/logging';
import { forbidden, unauthenticated } from './errors.ts';

/** What every subgraph resolver receives. */
export interface BaseSubgraphContext {
  identity: Identity | null;
}

/**
 * Reads the gateway-signed identity. A header that fails verification, or whose session has
 * ended since the gateway signed it, is treated as no identity (and logged): the request then
 * fails wherever sign-in is required.
 */
export async function identityFromHeader(
  header: unknown,
  secret: string,
  sessions: EndedSessions,
  logger: Logger,
): Promise<Identity | null> {
  if (header === undefined || header === null || header === '') return null;
  try {
    const { identity, issuedAt } = verifyIdentityHeader(String(header), secret);
    if (identity.sessionId && (await sessions.hasEnded(identity.sessionId, issuedAt))) {
      logger.warn({ userId: identity.userId }, 'refused identity header: its session has ended');
      return null;
    }
    return identity;
  } catch (error) {
    // A Redis failure while checking the session refuses too: it is never taken as alive.
    logger.warn({ reason: (error as Error).message }, 'refused identity header');
    return null;
  }
}

export function identityFromRequest(
  req: http.IncomingMessage,
  secret: string,
  sessions: EndedSessions,
  logger: Logger,
): Promise<Identity | null> {
  return identityFromHeader(req.headers[IDENTITY_HEADER], secret, sessions, logger);
}

export function requireIdentity(context: BaseSubgraphContext): Identity {
  if (!context.identity) throw unauthenticated();
  return context.identity;
}

export function requireRole(context: BaseSubgraphContext, ...roles: Identity['role'][]): Identity {
  const identity = requireIdentity(context);
  if (!roles.includes(identity.role)) throw forbidden();
  return identity;
}
