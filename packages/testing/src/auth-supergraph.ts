import { randomUUID } from 'node:crypto';
import { AccessTokenSigner, generateSigningKeyPem } from '@shop/auth';
import { createLogger } from '@shop/logging';
import { startUserService, loadUserConfig } from '@shop/user';
import { startSupergraph, type RunningSupergraph } from './supergraph.ts';
import { TEST_INTERNAL_SECRET, TEST_PREFIX, type TestEnv } from './test-env.ts';

export interface AuthSupergraph extends RunningSupergraph {
  /** The Redis key prefix of this user service's rate limits (unique per start). */
  rateLimitKeyPrefix: string;
  /** The private key (PKCS#8 PEM) the user service signs access tokens with. */
  signingKeyPem: string;
}

/**
 * The supergraph with the gateway routed to a user service started with `userSettings` (for
 * example low rate limits or a cheap Argon2 cost), its own signing key, and rate-limit keys of
 * its own in Redis, so repeated or concurrent test runs never share a login bucket. `tokenFor`
 * signs with that service's key.
 */
export async function startAuthSupergraph(
  env: TestEnv,
  userSettings: Record<string, string> = {},
): Promise<AuthSupergraph> {
  const signingKeyPem = await generateSigningKeyPem();
  const signer = await AccessTokenSigner.fromPem(signingKeyPem);
  const rateLimitKeyPrefix = `${TEST_PREFIX}:rate-limit:${randomUUID()}:`;
  const user = await startUserService(
    loadUserConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      INTERNAL_AUTH_SECRET: TEST_INTERNAL_SECRET,
      LOG_LEVEL: 'silent',
      REDIS_URL: env.stack.redis.url,
      DATABASE_URL: env.databaseUrl('user'),
      JWT_PRIVATE_KEY: signingKeyPem,
      RATE_LIMIT_KEY_PREFIX: rateLimitKeyPrefix,
      ...userSettings,
    }),
    createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent').child({ service: 'user' }),
  );
  let base: RunningSupergraph;
  try {
    base = await startSupergraph(env, {
      gateway: { USER_URL: `${user.url}/graphql`, JWKS_URL: `${user.url}/.well-known/jwks.json` },
    });
  } catch (error) {
    await user.close();
    throw error;
  }
  const tokenFor: RunningSupergraph['tokenFor'] = (identity, options = {}) =>
    signer.sign(
      identity,
      options.sessionId ?? randomUUID(),
      options.ttlSeconds ?? 600,
      options.now,
    );
  return {
    ...base,
    subgraphUrls: { ...base.subgraphUrls, user: `${user.url}/graphql` },
    tokenFor,
    authAs: async (identity) => ({ authorization: `Bearer ${await tokenFor(identity)}` }),
    rateLimitKeyPrefix,
    signingKeyPem,
    async close() {
      await base.close();
      await user.close();
    },
  };
}
