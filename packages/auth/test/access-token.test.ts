import { describe, expect, it } from 'vitest';
import {
  AccessTokenSigner,
  AccessTokenVerifier,
  VERIFIED_TOKEN_TTL_MS,
  generateSigningKeyPem,
} from '../src/access-token.ts';

const identity = { userId: 'b5c6d0a4-9f5e-4d43-a3a4-0d3c1f1f6b10', role: 'CUSTOMER' as const };

describe('access token verification', () => {
  it('never honours a remembered token past its expiry, nor a token altered from it', async () => {
    const signer = await AccessTokenSigner.fromPem(await generateSigningKeyPem());
    let now = Date.now();
    const verifier = AccessTokenVerifier.local(signer.jwks, () => now);
    const token = await signer.sign(identity, 'session-1', 30, now);

    const first = await verifier.verify(token);
    expect(first).toMatchObject({ userId: identity.userId, sessionId: 'session-1' });
    // Remembered: the same claims again.
    expect(await verifier.verify(token)).toEqual(first);

    // One character of the signature changed: verified afresh, refused.
    const [head, body, signature] = token.split('.') as [string, string, string];
    const flipped = `${head}.${body}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    await expect(verifier.verify(flipped)).rejects.toMatchObject({ problem: 'invalid' });

    // Within the remembered time but past expiry and the clock tolerance: refused as expired.
    expect(30_000 + 6_000).toBeLessThan(VERIFIED_TOKEN_TTL_MS);
    now += 36_000;
    await expect(verifier.verify(token)).rejects.toMatchObject({ problem: 'expired' });
  });
});
