import { describe, expect, it } from 'vitest';
import {
  IdentityHeaderError,
  signClientAddress,
  signIdentity,
  verifyClientAddress,
  verifyIdentity,
} from '../src/index.ts';

const secret = 'a'.repeat(32);
const identity = { userId: '6f1c2d4e-0000-4000-8000-000000000001', role: 'CUSTOMER' as const };

describe('identity header with a session', () => {
  it('carries the session id when the identity has one', () => {
    const sessionId = '7a000000-0000-4000-8000-000000000001';
    expect(verifyIdentity(signIdentity({ ...identity, sessionId }, secret), secret)).toEqual({
      ...identity,
      sessionId,
    });
  });

  it('has no session id for a service-made identity', () => {
    expect(verifyIdentity(signIdentity(identity, secret), secret)).not.toHaveProperty('sessionId');
  });
});

describe('client address header', () => {
  it('round-trips an address', () => {
    expect(verifyClientAddress(signClientAddress('203.0.113.7', secret), secret)).toBe(
      '203.0.113.7',
    );
  });

  it('refuses another secret, a stale header and garbage', () => {
    expect(() => verifyClientAddress(signClientAddress('::1', 'b'.repeat(32)), secret)).toThrow(
      IdentityHeaderError,
    );
    expect(() =>
      verifyClientAddress(signClientAddress('::1', secret, Date.now() - 600_000), secret),
    ).toThrow(/expired/);
    expect(() => verifyClientAddress('x.y', secret)).toThrow(IdentityHeaderError);
  });

  it('cannot be replayed as an identity header, nor the other way round', () => {
    const address = signClientAddress('10.0.0.1', secret);
    expect(() => verifyIdentity(address, secret)).toThrow(/signature/);
    expect(() => verifyClientAddress(signIdentity(identity, secret), secret)).toThrow(/signature/);
  });
});
