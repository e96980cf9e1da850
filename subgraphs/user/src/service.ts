import { AccessTokenSigner } from '@shop/auth';
import { StartupError } from '@shop/config';
import type { Logger } from '@shop/logging';
import { createUserPrisma } from '@shop/prisma/user';
import { connectDatabase } from '@shop/prisma/reachable';
import { connectRedis } from '@shop/redis';
import { readSchema, startSubgraph, type RunningSubgraph } from '@shop/subgraph-kit';
import { clientAddressFromRequest } from './client-address.ts';
import type { UserConfig } from './config.ts';
import type { UserContext } from './context.ts';
import { PrismaAddressStore, createAddressLoader } from './data/addresses.ts';
import { RedisAttemptLimits } from './data/limits.ts';
import { createUserLoader } from './data/loaders.ts';
import { PrismaRefreshTokenStore } from './data/refresh-tokens.ts';
import { RedisSessionRevoker } from './data/sessions.ts';
import { PrismaUserStore } from './data/users.ts';
import { Accounts } from './domain/accounts.ts';
import { AddressBook } from './domain/addresses.ts';
import { PasswordHasher } from './domain/passwords.ts';
import { jwksRoute } from './jwks-route.ts';
import { resolvers } from './resolvers/index.ts';

export const userTypeDefs = readSchema(new URL('../schema.graphql', import.meta.url));

export const JWKS_PATH = '/.well-known/jwks.json';

async function loadSigner(pem: string): Promise<AccessTokenSigner> {
  try {
    return await AccessTokenSigner.fromPem(pem);
  } catch {
    throw new StartupError('JWT_PRIVATE_KEY', 'is not a PKCS#8 PEM ES256 (P-256) private key');
  }
}

export async function startUserService(
  config: UserConfig,
  logger: Logger,
): Promise<RunningSubgraph> {
  const signer = await loadSigner(config.JWT_PRIVATE_KEY);
  const prisma = await connectDatabase(createUserPrisma(config.DATABASE_URL), 'user');
  const redis = await connectRedis(config.REDIS_URL, 'REDIS_URL');
  const ttlSeconds = config.ACCESS_TOKEN_TTL_SECONDS;
  const accounts = new Accounts({
    users: new PrismaUserStore(prisma),
    refreshTokens: new PrismaRefreshTokenStore(prisma),
    sessions: new RedisSessionRevoker(redis, ttlSeconds),
    accessTokens: {
      ttlSeconds,
      sign: (identity, sessionId) => signer.sign(identity, sessionId, ttlSeconds),
    },
    limits: new RedisAttemptLimits(redis, config),
    passwords: new PasswordHasher({
      memoryKib: config.ARGON2_MEMORY_KIB,
      timeCost: config.ARGON2_TIME_COST,
      parallelism: config.ARGON2_PARALLELISM,
    }),
    refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
  });
  const addressStore = new PrismaAddressStore(prisma);
  const addressBook = new AddressBook(addressStore);
  return startSubgraph<UserContext>({
    name: 'user',
    typeDefs: userTypeDefs,
    resolvers,
    config,
    logger,
    probes: { postgres: () => prisma.$queryRaw`SELECT 1`, redis: () => redis.ping() },
    context: (base, req) => ({
      ...base,
      prisma,
      accounts,
      users: createUserLoader(prisma),
      addressBook,
      addresses: createAddressLoader(addressStore),
      clientAddress: clientAddressFromRequest(req, config.INTERNAL_AUTH_SECRET, logger),
    }),
    routes: { [JWKS_PATH]: jwksRoute(signer) },
    onShutdown: async () => {
      await prisma.$disconnect();
      redis.disconnect();
    },
  });
}
