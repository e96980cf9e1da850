import { DEFAULT_SUBGRAPH_PORTS, SUBGRAPH_NAMES, type SubgraphName } from '@shop/gateway';
import { databaseName, databaseUrl } from '@shop/prisma/databases';
import type { StackEndpoints } from '@shop/stack';

export interface AppService {
  name: string;
  entry: string;
  port: number;
  env: Record<string, string>;
}

const DATABASE_OF: Partial<Record<SubgraphName, 'catalog' | 'user' | 'cart' | 'order'>> = {
  catalog: 'catalog',
  user: 'user',
  cart: 'cart',
  order: 'order',
};

/** The application processes and their settings, derived from where the stack runs. */
export function appServices(
  stack: StackEndpoints,
  secrets: { internalAuthSecret: string; jwtPrivateKey: string },
  prefix = 'shop',
): { subgraphs: AppService[]; workers: AppService[]; gateway: AppService } {
  const common = {
    INTERNAL_AUTH_SECRET: secrets.internalAuthSecret,
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    REDIS_URL: stack.redis.url,
  };
  const portOf = (name: SubgraphName) =>
    Number(process.env[`${name.toUpperCase()}_PORT`] ?? DEFAULT_SUBGRAPH_PORTS[name]);
  const urlOf = (name: SubgraphName) => `http://127.0.0.1:${portOf(name)}/graphql`;
  const subgraphs = SUBGRAPH_NAMES.map((name): AppService => {
    const db = DATABASE_OF[name];
    const port = portOf(name);
    return {
      name,
      entry: `subgraphs/${name}/src/main.ts`,
      port,
      env: {
        ...common,
        PORT: String(port),
        ...(db ? { DATABASE_URL: databaseUrl(stack.postgres.url, databaseName(db, prefix)) } : {}),
        ...(name === 'user' ? { JWT_PRIVATE_KEY: secrets.jwtPrivateKey } : {}),
        ...(name === 'cart' || name === 'order' ? { CATALOG_URL: urlOf('catalog') } : {}),
        ...(name === 'order' ? { CART_URL: urlOf('cart') } : {}),
        ...(name === 'search'
          ? { ELASTICSEARCH_URL: stack.elasticsearch.url, SEARCH_INDEX_PREFIX: prefix }
          : {}),
      },
    };
  });
  const gatewayPort = Number(process.env.GATEWAY_PORT ?? 4000);
  const gateway: AppService = {
    name: 'gateway',
    entry: 'gateway/src/main.ts',
    port: gatewayPort,
    env: {
      ...common,
      PORT: String(gatewayPort),
      JWKS_URL: `http://127.0.0.1:${subgraphs.find((s) => s.name === 'user')!.port}/.well-known/jwks.json`,
      ...Object.fromEntries(
        subgraphs.map((s) => [`${s.name.toUpperCase()}_URL`, `http://127.0.0.1:${s.port}/graphql`]),
      ),
    },
  };
  // One outbox relay per database that writes events (see events/src/relay).
  const workers = (['order', 'catalog'] as const).map((db, i): AppService => ({
    name: `relay-${db}`,
    entry: 'events/src/relay/main.ts',
    port: 4010 + i,
    env: {
      ...common,
      PORT: String(4010 + i),
      RELAY_NAME: `relay-${db}`,
      DATABASE_URL: databaseUrl(stack.postgres.url, databaseName(db, prefix)),
      KAFKA_BROKERS: stack.kafka.brokers.join(','),
    },
  }));
  workers.push({
    name: 'saga',
    entry: 'workers/saga/src/main.ts',
    port: 4012,
    env: {
      ...common,
      PORT: '4012',
      ORDER_DATABASE_URL: databaseUrl(stack.postgres.url, databaseName('order', prefix)),
      CATALOG_DATABASE_URL: databaseUrl(stack.postgres.url, databaseName('catalog', prefix)),
      KAFKA_BROKERS: stack.kafka.brokers.join(','),
    },
  });
  workers.push({
    name: 'search-indexer',
    entry: 'workers/search-indexer/src/main.ts',
    port: 4013,
    env: {
      ...common,
      PORT: '4013',
      CATALOG_DATABASE_URL: databaseUrl(stack.postgres.url, databaseName('catalog', prefix)),
      CART_DATABASE_URL: databaseUrl(stack.postgres.url, databaseName('cart', prefix)),
      ELASTICSEARCH_URL: stack.elasticsearch.url,
      SEARCH_INDEX_PREFIX: prefix,
      KAFKA_BROKERS: stack.kafka.brokers.join(','),
    },
  });
  return { subgraphs, workers, gateway };
}
