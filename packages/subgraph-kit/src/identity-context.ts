import type http from 'node:http';
import { IDENTITY_HEADER, verifyIdentity, type Identity } from '@shop/auth';
import type { Logger } from '@shop/logging';
import { forbidden, unauthenticated } from './errors.ts';

/** What every subgraph resolver receives. */
export interface BaseSubgraphContext {
  identity: Identity | null;
}

/**
 * Reads the gateway-signed identity. A header that fails verification is treated as no
 * identity (and logged): the request then fails wherever sign-in is required.
 */
export function identityFromRequest(
  req: http.IncomingMessage,
  secret: string,
  logger: Logger,
): Identity | null {
  const header = req.headers[IDENTITY_HEADER];
  if (typeof header !== 'string' || header === '') return null;
  try {
    return verifyIdentity(header, secret);
  } catch (error) {
    logger.warn({ reason: (error as Error).message }, 'refused identity header');
    return null;
  }
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
