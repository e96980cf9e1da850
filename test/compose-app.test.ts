import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_SUBGRAPH_PORTS, GATEWAY_NODE_OPTIONS, SUBGRAPH_NAMES } from '@shop/gateway';
import { gatewaySettings } from '../gateway/src/config.ts';
import { catalogSettings } from '../subgraphs/catalog/src/config.ts';
import { userSettings } from '../subgraphs/user/src/config.ts';
import { cartSettings } from '../subgraphs/cart/src/config.ts';
import { orderSettings } from '../subgraphs/order/src/config.ts';
import { searchSettings } from '../subgraphs/search/src/config.ts';
import { relaySettings } from '../events/src/relay/settings.ts';
import { sagaSettings } from '../workers/saga/src/settings.ts';
import { searchIndexerSettings } from '../workers/search-indexer/src/settings.ts';
import { analyticsWorkerSettings } from '../workers/analytics/src/settings.ts';
import { carrierSettings } from '../workers/carrier/src/settings.ts';
import { cartWorkerSettings } from '../workers/cart/src/settings.ts';
import { notificationsWorkerSettings } from '../workers/notifications/src/settings.ts';
import { storefrontSettings } from '../storefront/server/config.ts';
import type { StackEndpoints } from '@shop/stack';
import { preloadPath, tracingSettings } from '@shop/tracing';
import { workerEnv } from '@shop/worker-host/worker-env';
import { appServices, workerHost } from '../scripts/lib/app-services.ts';

const root = new URL('..', import.meta.url);
const compose = parse(readFileSync(new URL('docker-compose.yml', root), 'utf8'), {
  merge: true,
}) as {
  services: Record<
    string,
    { environment?: Record<string, string>; ports?: string[]; command?: string[] }
  >;
};
const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');
/**
 * Every service and worker reads its own settings and the tracing ones (@shop/tracing reads them
 * in the same process); compose sets the latter once, in x-tracing-env.
 */
const knows = (spec: Record<string, unknown>, key: string) => key in spec || key in tracingSettings;
/** The tracing preload as the image holds it (WORKDIR /app), where the build writes it. */
const imagePreload = `--import=/app/${path.relative(fileURLToPath(root), preloadPath('built'))}`;
// Where the stack runs does not matter here: only names, programs and ports are compared.
const stack = {
  postgres: { url: 'postgres://postgres@postgres:5432/postgres' },
  redis: { url: 'redis://redis:6379' },
  kafka: { brokers: ['kafka:19092'] },
  clickhouse: { url: 'http://clickhouse:8123' },
  elasticsearch: { url: 'http://elasticsearch:9200' },
  maildev: { host: 'maildev', smtpPort: 1025 },
  zipkin: { spansUrl: 'http://zipkin:9411/api/v2/spans' },
} as unknown as StackEndpoints;
const secrets = { internalAuthSecret: 'x'.repeat(32), jwtPrivateKey: 'unused' };
const settings: Record<string, Record<string, unknown>> = {
  gateway: gatewaySettings,
  catalog: catalogSettings,
  user: userSettings,
  cart: cartSettings,
  order: orderSettings,
  search: searchSettings,
};

describe('docker-compose application services', () => {
  it('runs the gateway and every subgraph on the ports npm start uses', () => {
    expect(compose.services.gateway?.ports).toEqual(['4000:4000']);
    // Node's options for the gateway as npm start passes them.
    expect(compose.services.gateway?.environment?.NODE_OPTIONS).toBe(GATEWAY_NODE_OPTIONS);
    for (const name of SUBGRAPH_NAMES) {
      const port = DEFAULT_SUBGRAPH_PORTS[name];
      expect(compose.services[name]?.ports, name).toEqual([`${port}:${port}`]);
      expect(compose.services[name]?.environment?.PORT, name).toBe(String(port));
    }
  });

  it('sets only settings the services know, and every required one', () => {
    for (const [name, spec] of Object.entries(settings)) {
      const env = compose.services[name]!.environment!;
      for (const key of Object.keys(env))
        expect(
          key === 'APP' || key === 'NODE_OPTIONS' || knows(spec, key),
          `${name}: unknown setting ${key}`,
        ).toBe(true);
      expect(env.INTERNAL_AUTH_SECRET, name).toBeTruthy();
      if ('DATABASE_URL' in spec)
        expect(env.DATABASE_URL, name).toMatch(new RegExp(`/shop_${name}$`));
    }
  });

  it('points the gateway at each subgraph by service name and port', () => {
    const env = compose.services.gateway!.environment!;
    for (const name of SUBGRAPH_NAMES) {
      expect(env[`${name.toUpperCase()}_URL`]).toBe(
        `http://${name}:${DEFAULT_SUBGRAPH_PORTS[name]}/graphql`,
      );
    }
  });

  it('names an entry point that exists for every APP', () => {
    for (const name of Object.keys(settings)) {
      const app = compose.services[name]!.environment!.APP!;
      expect(existsSync(new URL(`${app}/src/main.ts`, root)), app).toBe(true);
    }
  });

  it('runs every service npm start runs, as the same built program under node', () => {
    // app-services.ts is the one list of services; compose names each service alike and must
    // run exactly its production build (the image has no TypeScript loader).
    const { subgraphs, workers, gateway, storefront } = appServices(stack, secrets);
    for (const service of [...subgraphs, ...workers, gateway, storefront]) {
      const spec = compose.services[service.name];
      expect(spec, `compose service ${service.name}`).toBeDefined();
      const app = spec!.environment?.APP;
      const command =
        spec!.command ??
        (app ? ['node', '--enable-source-maps', imagePreload, `${app}/dist/main.js`] : []);
      // With tracing on, as npm start runs them, the supervisor loads the same preload.
      expect(command, service.name).toEqual(
        service.command ?? ['node', '--enable-source-maps', imagePreload, service.built],
      );
    }
    // The image's default command, which the services with APP use.
    expect(dockerfile).toContain(
      `CMD ["sh", "-c", "exec node --enable-source-maps ${imagePreload} \\"$APP/dist/main.js\\""]`,
    );
    expect(dockerfile).toMatch(/^WORKDIR \/app$/m);
  });

  it('traces every service and worker into the compose Zipkin, every trace kept unless set', () => {
    const { subgraphs, workers, gateway } = appServices(stack, secrets);
    for (const service of [...subgraphs, ...workers, gateway]) {
      const env = compose.services[service.name]!.environment!;
      // Compose's interpolation: the operator's value, or the default after `:-`.
      expect(env.TRACING_ENABLED, service.name).toBe('${TRACING_ENABLED:-true}');
      expect(env.TRACING_SAMPLE_RATIO, service.name).toBe('${TRACING_SAMPLE_RATIO:-1}');
      expect(env.ZIPKIN_URL, service.name).toBe('http://zipkin:9411/api/v2/spans');
      // npm start's system does the same with the stack's Zipkin.
      expect(service.env.TRACING_ENABLED, service.name).toBe('true');
    }
    expect(compose.services.zipkin?.ports).toEqual(['9411:9411']);
  });

  it('builds in a first stage and runs on production dependencies only', () => {
    const stages = [...dockerfile.matchAll(/^FROM \S+ AS (\w+)$/gm)].map((m) => m[1]);
    expect(stages).toEqual(['base', 'build', 'runtime']);
    const [build, runtime] = dockerfile.split(/^FROM base AS runtime$/m);
    expect(build).toMatch(/npm run generate[\s\\&]+npm run build[\s\\&]+.*stage-runtime\.ts/);
    expect(runtime).toMatch(/npm install --omit=dev/);
    expect(runtime).not.toMatch(/tsx|--include=dev/);
    expect(runtime).toContain('COPY --from=build /runtime/manifests/ ./');
    expect(runtime).toContain('COPY --from=build /runtime/app/ ./');
  });

  it('runs an outbox relay per event-writing database with settings the relay knows', () => {
    for (const db of ['order', 'catalog', 'user']) {
      const relay = compose.services[`relay-${db}`]!;
      for (const key of Object.keys(relay.environment!))
        expect(knows(relaySettings, key), `relay-${db}: ${key}`).toBe(true);
      expect(relay.environment!.DATABASE_URL).toMatch(new RegExp(`/shop_${db}$`));
    }
  });

  it('runs the storefront build on the port npm start uses, pointed at the gateway', () => {
    const storefront = compose.services.storefront!;
    expect(storefront.command).toEqual(['node', 'storefront/build/main.js']);
    expect(storefront.ports).toEqual(['3000:3000']);
    for (const key of Object.keys(storefront.environment!))
      expect(key in storefrontSettings, `storefront: ${key}`).toBe(true);
    expect(storefront.environment!.GATEWAY_URL).toBe('http://gateway:4000/graphql');
    expect(compose.services.gateway!.environment!.TRUSTED_PROXY_HOPS).toBe('1');
  });

  it('runs the saga worker with settings it knows', () => {
    const saga = compose.services.saga!;
    for (const key of Object.keys(saga.environment!))
      expect(knows(sagaSettings, key), `saga: ${key}`).toBe(true);
  });

  it('runs the search indexer with settings it knows', () => {
    const indexer = compose.services['search-indexer']!;
    for (const key of Object.keys(indexer.environment!))
      expect(knows(searchIndexerSettings, key), `search-indexer: ${key}`).toBe(true);
  });

  it('runs the cart worker on the cart database and the cache the cart subgraph uses', () => {
    const worker = compose.services['cart-worker']!;
    for (const key of Object.keys(worker.environment!))
      expect(knows(cartWorkerSettings, key), `cart-worker: ${key}`).toBe(true);
    const cart = compose.services.cart!.environment!;
    expect(worker.environment!.CART_DATABASE_URL).toBe(cart.DATABASE_URL);
    expect(worker.environment!.REDIS_URL).toBe(cart.REDIS_URL);
  });

  it('runs the analytics worker on the ClickHouse database the search subgraph reads', () => {
    const analytics = compose.services.analytics!;
    for (const key of Object.keys(analytics.environment!))
      expect(knows(analyticsWorkerSettings, key), `analytics: ${key}`).toBe(true);
    const search = compose.services.search!.environment!;
    expect(analytics.environment!.CLICKHOUSE_URL).toBe(search.CLICKHOUSE_URL);
    expect(analytics.environment!.CLICKHOUSE_DATABASE).toBe(search.CLICKHOUSE_DATABASE);
  });

  it('runs the notifications worker on its own database and the compose SMTP server', () => {
    const worker = compose.services.notifications!;
    for (const key of Object.keys(worker.environment!))
      expect(knows(notificationsWorkerSettings, key), `notifications: ${key}`).toBe(true);
    expect(worker.environment!.NOTIFICATIONS_DATABASE_URL).toMatch(/\/shop_notifications$/);
    expect(worker.environment!.SMTP_HOST).toBe('maildev');
    expect(worker.environment!.SMTP_PORT).toBe('1025');
    const { workers } = appServices(stack, secrets);
    const local = workers.find((w) => w.name === 'notifications')!;
    expect(local.env.SMTP_HOST).toBe('maildev');
    expect(local.env.SMTP_PORT).toBe('1025');
    expect(local.port).toBe(Number(worker.environment!.PORT));
  });

  it('runs the carrier on the order database the order subgraph uses', () => {
    const carrier = compose.services.carrier!;
    for (const key of Object.keys(carrier.environment!))
      expect(knows(carrierSettings, key), `carrier: ${key}`).toBe(true);
    expect(carrier.environment!.ORDER_DATABASE_URL).toBe(
      compose.services.saga!.environment!.ORDER_DATABASE_URL,
    );
    const { workers } = appServices(stack, secrets);
    expect(workers.find((w) => w.name === 'carrier')!.port).toBe(Number(carrier.environment!.PORT));
  });

  it('runs migrations and the seed as the builds of the scripts the local system runs', () => {
    // `npm run db:migrate` runs prisma's scripts/migrate.ts, `npm run seed` seed's src/cli.ts
    // (with tsx); compose runs their builds (each workspace's `build` bundles them).
    const scripts = (dir: string) =>
      JSON.parse(readFileSync(new URL(`${dir}/package.json`, root), 'utf8')).scripts as Record<
        string,
        string
      >;
    expect(scripts('prisma').migrate).toBe('tsx scripts/migrate.ts');
    expect(scripts('prisma').build).toContain('scripts/migrate.ts');
    expect(compose.services.migrate?.command).toEqual([
      'node',
      '--enable-source-maps',
      'prisma/dist/scripts/migrate.js',
    ]);
    expect(scripts('seed').seed).toBe('tsx src/cli.ts');
    expect(scripts('seed').build).toContain('src/cli.ts');
    expect(compose.services.seed?.command).toEqual([
      'node',
      '--enable-source-maps',
      'seed/dist/cli.js',
    ]);
  });

  it('runs the same workers in one process with the override file, each with its own settings', () => {
    const override = parse(readFileSync(new URL('docker-compose.one-process.yml', root), 'utf8'), {
      merge: true,
    }) as {
      services: Record<
        string,
        { environment?: Record<string, string>; command?: string[]; profiles?: string[] }
      >;
    };
    const { workers } = appServices(stack, secrets);
    const host = override.services.workers!;
    expect(host.command).toEqual([
      'node',
      '--enable-source-maps',
      imagePreload,
      workerHost(workers).built,
    ]);
    for (const key of Object.keys(tracingSettings))
      expect(host.environment![key], key).toBe(compose.services.saga!.environment![key]);
    expect(host.environment!.WORKERS!.split(',').sort()).toEqual(workers.map((w) => w.name).sort());
    const specOf = (name: string): Record<string, unknown> =>
      name.startsWith('relay-')
        ? relaySettings
        : ({
            saga: sagaSettings,
            'search-indexer': searchIndexerSettings,
            'cart-worker': cartWorkerSettings,
            analytics: analyticsWorkerSettings,
            notifications: notificationsWorkerSettings,
            carrier: carrierSettings,
          }[name] ?? {});
    for (const worker of workers) {
      // What the worker reads in the host is what it reads as its own service.
      const alone = compose.services[worker.name]!.environment!;
      const inHost = workerEnv(worker.name, host.environment!);
      for (const key of Object.keys(specOf(worker.name)))
        expect(inHost[key], `${worker.name}: ${key}`).toBe(alone[key]);
      expect(override.services[worker.name]?.profiles, worker.name).toEqual(['separate-workers']);
    }
  });
});
