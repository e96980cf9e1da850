import {
  DEFAULT_SUBGRAPH_PORTS,
  GATEWAY_NODE_OPTIONS,
  SUBGRAPH_NAMES,
  type SubgraphName,
} from '@shop/gateway';
import { databaseName, databaseUrl } from '@shop/prisma/databases';
import type { StackEndpoints } from '@shop/stack';
import { hostEnv } from '@shop/worker-host/worker-env';

export interface AppService {
  name: string;
  /** The TypeScript entry: the test harness runs it with tsx (scripts/lib/system.ts). */
  entry: string;
  /** The entry's production build (`npm run build`): `npm start` runs it with node. */
  built: string;
  /** Program and arguments to run instead (the storefront's production build). */
  command?: string[];
  port: number;
  /** Every port that must answer /ready (a worker host serves one per worker); default `port`. */
  readyPorts?: number[];
  env: Record<string, string>;
}

/**
 * Where `npm run build` (shop-build, packages/build) puts an entry's bundle:
 * `gateway/src/main.ts` -> `gateway/dist/main.js`, `events/src/relay/main.ts` ->
 * `events/dist/relay/main.js`.
 */
export function builtEntry(entry: string): string {
  const built = entry.replace(/^((?:[^/]+\/)*?)src\//, '$1dist/').replace(/\.ts$/, '.js');
  if (built === entry) throw new Error(`${entry}: not a src/ entry`);
  return built;
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
  /** Where the gateway listens; every other port keeps its distance from 4000 (benchmarks run a second system beside the dev one). */
  portBase = 4000,
): { subgraphs: AppService[]; workers: AppService[]; gateway: AppService; storefront: AppService } {
  const shift = portBase - 4000;
  const common = {
    INTERNAL_AUTH_SECRET: secrets.internalAuthSecret,
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    REDIS_URL: stack.redis.url,
    // Tracing (@shop/tracing): on, every trace kept, to the stack's Zipkin, unless the caller's
    // environment says otherwise (benchmarks compare off, 100 % and 1 %). The supervisor adds
    // the tracing preload to a service's command when it is on.
    TRACING_ENABLED: process.env.TRACING_ENABLED ?? 'true',
    TRACING_SAMPLE_RATIO: process.env.TRACING_SAMPLE_RATIO ?? '1',
    ZIPKIN_URL: process.env.ZIPKIN_URL ?? stack.zipkin.spansUrl,
  };
  const portOf = (name: SubgraphName) =>
    Number(process.env[`${name.toUpperCase()}_PORT`] ?? DEFAULT_SUBGRAPH_PORTS[name]) + shift;
  const urlOf = (name: SubgraphName) => `http://127.0.0.1:${portOf(name)}/graphql`;
  const subgraphs = SUBGRAPH_NAMES.map((name): AppService => {
    const db = DATABASE_OF[name];
    const port = portOf(name);
    return {
      name,
      entry: `subgraphs/${name}/src/main.ts`,
      built: `subgraphs/${name}/dist/main.js`,
      port,
      env: {
        ...common,
        PORT: String(port),
        ...(db ? { DATABASE_URL: databaseUrl(stack.postgres.url, databaseName(db, prefix)) } : {}),
        ...(name === 'user' ? { JWT_PRIVATE_KEY: secrets.jwtPrivateKey } : {}),
        ...(name === 'cart' || name === 'order' ? { CATALOG_URL: urlOf('catalog') } : {}),
        ...(name === 'order' ? { CART_URL: urlOf('cart'), USER_URL: urlOf('user') } : {}),
        ...(name === 'cart' ? { USER_URL: urlOf('user'), ORDER_URL: urlOf('order') } : {}),
        ...(name === 'search'
          ? {
              ELASTICSEARCH_URL: stack.elasticsearch.url,
              SEARCH_INDEX_PREFIX: prefix,
              CLICKHOUSE_URL: stack.clickhouse.url,
              CLICKHOUSE_DATABASE: prefix,
            }
          : {}),
      },
    };
  });
  const gatewayPort = Number(process.env.GATEWAY_PORT ?? 4000) + shift;
  const gateway: AppService = {
    name: 'gateway',
    entry: 'gateway/src/main.ts',
    built: 'gateway/dist/main.js',
    port: gatewayPort,
    env: {
      ...common,
      PORT: String(gatewayPort),
      NODE_OPTIONS: GATEWAY_NODE_OPTIONS,
      // Browsers reach the gateway through the storefront's server, which appends their address
      // to X-Forwarded-For (per-client limits count browsers, not the storefront).
      TRUSTED_PROXY_HOPS: '1',
      // Public answers cached in Redis, purged by the catalog's events.
      RESPONSE_CACHE: 'true',
      KAFKA_BROKERS: stack.kafka.brokers.join(','),
      JWKS_URL: `http://127.0.0.1:${subgraphs.find((s) => s.name === 'user')!.port}/.well-known/jwks.json`,
      ...Object.fromEntries(
        subgraphs.map((s) => [`${s.name.toUpperCase()}_URL`, `http://127.0.0.1:${s.port}/graphql`]),
      ),
    },
  };
  const dbUrl = (db: 'catalog' | 'user' | 'cart' | 'order' | 'notifications') =>
    databaseUrl(stack.postgres.url, databaseName(db, prefix));
  const worker = (name: string, entry: string, port: number, env: Record<string, string>) => ({
    name,
    entry,
    built: builtEntry(entry),
    port: port + shift,
    env: {
      ...common,
      PORT: String(port + shift),
      KAFKA_BROKERS: stack.kafka.brokers.join(','),
      ...env,
    },
  });
  // One outbox relay per database that writes events (see events/src/relay).
  const relay = (db: 'catalog' | 'user' | 'order', port: number) =>
    worker(`relay-${db}`, 'events/src/relay/main.ts', port, {
      RELAY_NAME: `relay-${db}`,
      DATABASE_URL: dbUrl(db),
    });
  const workers: AppService[] = [
    relay('order', 4010),
    relay('catalog', 4011),
    worker('saga', 'workers/saga/src/main.ts', 4012, {
      ORDER_DATABASE_URL: dbUrl('order'),
      CATALOG_DATABASE_URL: dbUrl('catalog'),
    }),
    worker('search-indexer', 'workers/search-indexer/src/main.ts', 4013, {
      CATALOG_DATABASE_URL: dbUrl('catalog'),
      ELASTICSEARCH_URL: stack.elasticsearch.url,
      SEARCH_INDEX_PREFIX: prefix,
    }),
    worker('analytics', 'workers/analytics/src/main.ts', 4014, {
      CLICKHOUSE_URL: stack.clickhouse.url,
      CLICKHOUSE_DATABASE: prefix,
    }),
    // The user database's relay came after the workers above; it keeps its own port.
    relay('user', 4015),
    worker('cart-worker', 'workers/cart/src/main.ts', 4016, {
      CART_DATABASE_URL: dbUrl('cart'),
    }),
    // Customer emails through the stack's SMTP server (maildev; its inbox shows them).
    worker('notifications', 'workers/notifications/src/main.ts', 4017, {
      NOTIFICATIONS_DATABASE_URL: dbUrl('notifications'),
      SMTP_HOST: stack.maildev.host,
      SMTP_PORT: String(stack.maildev.smtpPort),
      SHOP_URL: `http://127.0.0.1:${Number(process.env.STOREFRONT_PORT ?? 3000) + shift}`,
    }),
    // The simulated carrier: completed orders packed, shipped and delivered (its own delays).
    worker('carrier', 'workers/carrier/src/main.ts', 4018, {
      ORDER_DATABASE_URL: dbUrl('order'),
    }),
  ];
  const storefrontPort = Number(process.env.STOREFRONT_PORT ?? 3000) + shift;
  const storefront: AppService = {
    name: 'storefront',
    entry: 'storefront/build/main.js',
    built: 'storefront/build/main.js',
    command: ['node', 'storefront/build/main.js'],
    port: storefrontPort,
    env: {
      HOST: '127.0.0.1',
      LOG_LEVEL: common.LOG_LEVEL,
      PORT: String(storefrontPort),
      GATEWAY_URL: `http://127.0.0.1:${gatewayPort}/graphql`,
      NODE_ENV: 'production',
    },
  };
  return { subgraphs, workers, gateway, storefront };
}

/**
 * The workers as one process (workers/host) instead of one each: `WORKERS_IN_ONE_PROCESS=true`
 * for small deployments. Each keeps its settings, its port and its probes.
 */
export function workerHost(workers: AppService[]): AppService {
  if (workers.length === 0) throw new Error('a worker host needs workers');
  return {
    name: 'workers',
    entry: 'workers/host/src/main.ts',
    built: 'workers/host/dist/main.js',
    port: workers[0]!.port,
    readyPorts: workers.map((w) => w.port),
    env: hostEnv(workers.map((w) => ({ id: w.name, env: w.env }))),
  };
}
