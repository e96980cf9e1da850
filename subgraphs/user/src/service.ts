import { AccessTokenSigner } from '@shop/auth';
import { StartupError } from '@shop/config';
import type { Logger } from '@shop/logging';
import { createUserPrisma } from '@shop/prisma/user';
import { connectDatabase } from '@shop/prisma/reachable';
import { connectRedis } from '@shop/redis';
import { readSchema, startSubgraph, type RunningSubgraph } from '@shop/subgraph-kit';
import type { UserConfig } from './config.ts';
import type { UserContext } from './context.ts';
import { createUserLoader } from './data/loaders.ts';
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
  return startSubgraph<UserContext>({
    name: 'user',
    typeDefs: userTypeDefs,
    resolvers,
    config,
    logger,
    probes: { postgres: () => prisma.$queryRaw`SELECT 1`, redis: () => redis.ping() },
    context: (base) => ({
      ...base,
      prisma,
      redis,
      signer,
      config,
      users: createUserLoader(prisma),
    }),
    routes: { [JWKS_PATH]: jwksRoute(signer) },
    onShutdown: async () => {
      await prisma.$disconnect();
      redis.disconnect();
    },
  });
}
