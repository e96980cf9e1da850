import { createHmac, timingSafeEqual } from 'node:crypto';
import { isRole, type Identity } from './identity.ts';

/**
 * The gateway verifies the client's JWT once and forwards the identity to subgraphs in this
 * header, signed with a secret only the gateway and the subgraphs hold. A subgraph trusts the
 * header only when the signature matches and it is fresh, so a client that reaches a subgraph
 * directly, or copies an old header, cannot claim to be someone else.
 */
export const IDENTITY_HEADER = 'x-shop-identity';

/**
 * The client's network address as the gateway saw it (for per-client limits such as login
 * attempts), signed like the identity. Sent for anonymous callers too.
 */
export const CLIENT_ADDRESS_HEADER = 'x-shop-client-address';

/** How long a signed header stays valid; covers clock skew and a slow query plan. */
export const MAX_AGE_SECONDS = 120;

/**
 * Each kind of signed header has its own MAC domain, so a value signed as one kind can never be
 * replayed as another (a client address that happens to parse as an identity, say).
 */
type HeaderKind = 'identity' | 'client-address';

const b64 = (data: string | Buffer) => Buffer.from(data).toString('base64url');

function mac(kind: HeaderKind, payload: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(`${kind}\n${payload}`).digest();
}

export class IdentityHeaderError extends Error {}

function signPayload(
  kind: HeaderKind,
  payload: Record<string, unknown>,
  secret: string,
  now: number,
): string {
  const encoded = b64(JSON.stringify({ ...payload, iat: Math.floor(now / 1000) }));
  return `${encoded}.${mac(kind, encoded, secret).toString('base64url')}`;
}

function verifyPayload(
  kind: HeaderKind,
  header: string,
  secret: string,
  now: number,
): Record<string, unknown> {
  const [encoded, signature, extra] = header.split('.');
  if (!encoded || !signature || extra !== undefined)
    throw new IdentityHeaderError(`malformed ${kind} header`);
  const expected = mac(kind, encoded, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new IdentityHeaderError(`${kind} header signature mismatch`);
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    throw new IdentityHeaderError(`malformed ${kind} header`);
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    throw new IdentityHeaderError(`malformed ${kind} header`);
  const iat = (payload as { iat?: unknown }).iat;
  if (typeof iat !== 'number') throw new IdentityHeaderError(`malformed ${kind} header`);
  const age = Math.floor(now / 1000) - iat;
  if (age > MAX_AGE_SECONDS || age < -MAX_AGE_SECONDS)
    throw new IdentityHeaderError(`${kind} header expired`);
  return payload as Record<string, unknown>;
}

export function signIdentity(identity: Identity, secret: string, now = Date.now()): string {
  return signPayload(
    'identity',
    {
      userId: identity.userId,
      role: identity.role,
      ...(identity.sessionId === undefined ? {} : { sessionId: identity.sessionId }),
    },
    secret,
    now,
  );
}

/** Returns the identity in a header made by signIdentity, or throws IdentityHeaderError. */
export function verifyIdentity(header: string, secret: string, now = Date.now()): Identity {
  return verifyIdentityHeader(header, secret, now).identity;
}

/** verifyIdentity, with when the gateway signed the header (seconds since the epoch). */
export function verifyIdentityHeader(
  header: string,
  secret: string,
  now = Date.now(),
): { identity: Identity; issuedAt: number } {
  const payload = verifyPayload('identity', header, secret, now);
  const { userId, role, sessionId, iat } = payload;
  if (
    typeof userId !== 'string' ||
    !isRole(role) ||
    (sessionId !== undefined && typeof sessionId !== 'string')
  )
    throw new IdentityHeaderError('malformed identity header');
  return {
    identity: sessionId === undefined ? { userId, role } : { userId, role, sessionId },
    issuedAt: iat as number,
  };
}

/** Longest textual IPv6 address (with an IPv4 tail) is 45 characters; allow a zone id too. */
const MAX_ADDRESS_LENGTH = 64;

export function signClientAddress(address: string, secret: string, now = Date.now()): string {
  return signPayload('client-address', { address }, secret, now);
}

/** Returns the address in a header made by signClientAddress, or throws IdentityHeaderError. */
export function verifyClientAddress(header: string, secret: string, now = Date.now()): string {
  const { address } = verifyPayload('client-address', header, secret, now);
  if (typeof address !== 'string' || address === '' || address.length > MAX_ADDRESS_LENGTH)
    throw new IdentityHeaderError('malformed client-address header');
  return address;
}
