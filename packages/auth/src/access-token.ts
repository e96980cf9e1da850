import { createHash } from 'node:crypto';
import {
  SignJWT,
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  exportJWK,
  exportPKCS8,
  generateKeyPair,
  importPKCS8,
  jwtVerify,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';
import { isRole, type Identity } from './identity.ts';

/**
 * Access tokens: short-lived ES256 JWTs signed by the user service with a private key only it
 * holds; the gateway verifies them against the public keys the user service publishes (JWKS).
 */
export const TOKEN_ISSUER = 'tackle-shop';
export const TOKEN_AUDIENCE = 'tackle-shop';
export const ACCESS_TOKEN_ALG = 'ES256';

export interface AccessTokenClaims extends Identity {
  /** Session (refresh-token family) id: logout revokes it, which refuses its access tokens too. */
  sessionId: string;
  /** Expiry, seconds since the epoch. */
  expiresAt: number;
}

export interface SigningKey {
  /** PKCS#8 PEM of the ES256 private key. */
  privateKeyPem: string;
  /** Key id published in the JWKS; derived from the public key so rotation needs no bookkeeping. */
  kid: string;
}

export async function generateSigningKeyPem(): Promise<string> {
  const { privateKey } = await generateKeyPair(ACCESS_TOKEN_ALG, { extractable: true });
  return exportPKCS8(privateKey);
}

export class AccessTokenSigner {
  private constructor(
    private readonly key: Awaited<ReturnType<typeof importPKCS8>>,
    readonly kid: string,
    readonly jwks: JSONWebKeySet,
  ) {}

  static async fromPem(privateKeyPem: string): Promise<AccessTokenSigner> {
    const key = await importPKCS8(privateKeyPem, ACCESS_TOKEN_ALG, { extractable: true });
    const { d: _private, ...publicJwk } = await exportJWK(key);
    const kid = createHash('sha256')
      .update(JSON.stringify([publicJwk.x, publicJwk.y]))
      .digest('base64url')
      .slice(0, 16);
    return new AccessTokenSigner(key, kid, {
      keys: [{ ...publicJwk, kid, alg: ACCESS_TOKEN_ALG, use: 'sig' }],
    });
  }

  /** Signs an access token valid for `ttlSeconds`. */
  sign(
    identity: Identity,
    sessionId: string,
    ttlSeconds: number,
    now = Date.now(),
  ): Promise<string> {
    const iat = Math.floor(now / 1000);
    return new SignJWT({ role: identity.role, sid: sessionId })
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, kid: this.kid, typ: 'at+jwt' })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setSubject(identity.userId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttlSeconds)
      .sign(this.key);
  }
}

const CLOCK_TOLERANCE_SECONDS = 5;

export type AccessTokenProblem = 'expired' | 'invalid';

export class AccessTokenError extends Error {
  constructor(
    readonly problem: AccessTokenProblem,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Verified tokens remembered (by their whole text) for at most this long: a client sends the
 * same token with every request until it expires, and an ES256 verification was 4.5 % of the
 * gateway's CPU at 100 offered orders/s (CPU profile, 2026-11-30). Short, so a key withdrawn
 * from the JWKS stops being honoured within it; revocation is checked per request anyway.
 */
export const VERIFIED_TOKEN_TTL_MS = 60_000;
const VERIFIED_TOKENS_KEPT = 10_000;

export class AccessTokenVerifier {
  /**
   * Only tokens that verified are kept (a forged token costs its verification every time), in
   * the order they were verified, the oldest dropped first. A plain Map: lru-cache's current
   * major cannot be bundled beside the old one the workspace root holds.
   */
  private readonly verified = new Map<string, { claims: AccessTokenClaims; until: number }>();

  private constructor(
    private readonly keys: JWTVerifyGetKey,
    private readonly now: () => number = Date.now,
  ) {}

  /** Keys fetched from the user service's JWKS endpoint, cached, refetched for an unknown kid. */
  static remote(jwksUrl: string): AccessTokenVerifier {
    return new AccessTokenVerifier(
      createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 600_000 }),
    );
  }

  /** `now` is the clock expiry is judged by (tests move it). */
  static local(jwks: JSONWebKeySet, now?: () => number): AccessTokenVerifier {
    return new AccessTokenVerifier(createLocalJWKSet(jwks), now);
  }

  async verify(token: string): Promise<AccessTokenClaims> {
    const now = this.now();
    const known = this.verified.get(token);
    if (known && now < known.until) return known.claims;
    if (known) this.verified.delete(token);
    const claims = await this.verifySignature(token);
    if (this.verified.size >= VERIFIED_TOKENS_KEPT)
      this.verified.delete(this.verified.keys().next().value!);
    // Kept until expiry as jwtVerify judges it (its clock tolerance included), or less.
    const expires = (claims.expiresAt + CLOCK_TOLERANCE_SECONDS) * 1000;
    this.verified.set(token, { claims, until: Math.min(expires, now + VERIFIED_TOKEN_TTL_MS) });
    return claims;
  }

  private async verifySignature(token: string): Promise<AccessTokenClaims> {
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        algorithms: [ACCESS_TOKEN_ALG],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        typ: 'at+jwt',
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: new Date(this.now()),
      });
      const role = payload.role;
      if (
        typeof payload.sub !== 'string' ||
        !isRole(role) ||
        typeof payload.sid !== 'string' ||
        typeof payload.exp !== 'number'
      )
        throw new AccessTokenError('invalid', 'access token is missing claims');
      return { userId: payload.sub, role, sessionId: payload.sid, expiresAt: payload.exp };
    } catch (error) {
      if (error instanceof AccessTokenError) throw error;
      if (error instanceof errors.JWTExpired)
        throw new AccessTokenError('expired', 'access token expired');
      throw new AccessTokenError('invalid', 'access token is not valid');
    }
  }
}
