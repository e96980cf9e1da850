import { describe, expect, it } from 'vitest';
import { signIdentity, verifyIdentity, IdentityHeaderError } from '../src/index.ts';

const secret = 'a'.repeat(32);
const identity = { userId: '6f1c2d4e-0000-4000-8000-000000000001', role: 'CUSTOMER' as const };

describe('internal identity header', () => {
  it('round-trips an identity signed with the shared secret', () => {
    expect(verifyIdentity(signIdentity(identity, secret), secret)).toEqual(identity);
  });

  it('refuses a header signed with another secret', () => {
    const header = signIdentity(identity, 'b'.repeat(32));
    expect(() => verifyIdentity(header, secret)).toThrow(IdentityHeaderError);
  });

  it('refuses a payload changed after signing (role escalation)', () => {
    const [, sig] = signIdentity(identity, secret).split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...identity, role: 'ADMIN', iat: Math.floor(Date.now() / 1000) }),
    ).toString('base64url');
    expect(() => verifyIdentity(`${forged}.${sig}`, secret)).toThrow(/signature/);
  });

  it('refuses a stale header', () => {
    const header = signIdentity(identity, secret, Date.now() - 10 * 60_000);
    expect(() => verifyIdentity(header, secret)).toThrow(/expired/);
  });

  it('refuses garbage', () => {
    expect(() => verifyIdentity('not-a-header', secret)).toThrow(IdentityHeaderError);
  });
});
