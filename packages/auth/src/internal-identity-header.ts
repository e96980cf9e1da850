import { createHmac, timingSafeEqual } from 'node:crypto';
import { isRole, type Identity } from './identity.ts';

/**
 * The gateway verifies the client's JWT once and forwards the identity to subgraphs in this
 * header, signed with a secret only the gateway and the subgraphs hold. A subgraph trusts the
 * header only when the signature matches and it is fresh, so a client that reaches a subgraph
 * directly, or copies an old header, cannot claim to be someone else.
 */
export const IDENTITY_HEADER = 'x-shop-identity';

/** How long a signed header stays valid; covers clock skew and a slow query plan. */
const MAX_AGE_SECONDS = 120;

interface SignedPayload extends Identity {
  iat: number;
}

const b64 = (data: string | Buffer) => Buffer.from(data).toString('base64url');

function mac(payload: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

export function signIdentity(identity: Identity, secret: string, now = Date.now()): string {
  const payload: SignedPayload = {
    userId: identity.userId,
    role: identity.role,
    iat: Math.floor(now / 1000),
  };
  const encoded = b64(JSON.stringify(payload));
  return `${encoded}.${mac(encoded, secret).toString('base64url')}`;
}

export class IdentityHeaderError extends Error {}

/** Returns the identity in a header made by signIdentity, or throws IdentityHeaderError. */
export function verifyIdentity(header: string, secret: string, now = Date.now()): Identity {
  const [encoded, signature, extra] = header.split('.');
  if (!encoded || !signature || extra !== undefined)
    throw new IdentityHeaderError('malformed identity header');
  const expected = mac(encoded, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new IdentityHeaderError('identity header signature mismatch');
  let payload: Partial<SignedPayload>;
  try {
    payload = JSON.parse(
      Buffer.from(encoded, 'base64url').toString('utf8'),
    ) as Partial<SignedPayload>;
  } catch {
    throw new IdentityHeaderError('malformed identity header');
  }
  if (
    typeof payload.userId !== 'string' ||
    !isRole(payload.role) ||
    typeof payload.iat !== 'number'
  )
    throw new IdentityHeaderError('malformed identity header');
  const age = Math.floor(now / 1000) - payload.iat;
  if (age > MAX_AGE_SECONDS || age < -MAX_AGE_SECONDS)
    throw new IdentityHeaderError('identity header expired');
  return { userId: payload.userId, role: payload.role };
}
