import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_SUBGRAPH_PORTS, SUBGRAPH_NAMES } from '@shop/gateway';
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
import { cartWorkerSettings } from '../workers/cart/src/settings.ts';
import { storefrontSettings } from '../storefront/server/config.ts';

const root = new URL('..', import.meta.url);
const compose = parse(readFileSync(new URL('docker-compose.yml', root), 'utf8'), {
  merge: true,
}) as {
  services: Record<
    string,
    { environment?: Record<string, string>; ports?: string[]; command?: string[] }
  >;
};
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
    for (const name of SUBGRAPH_NAMES) {
      const port = DEFAULT_SUBGRAPH_PORTS[name];
      expect(compose.services[name]?.ports, name).toEqual([`${port}:${port}`]);
      expect(compose.services[name]?.environment?.PORT, name).toBe(String(port));
    }
  });

  it('sets only settings the services know, and every required one', () => {
    for (const [name, spec] of Object.entries(settings)) {
      const env = compose.services[name]!.environment!;
      const known = new Set([...Object.keys(spec), 'APP']);
      for (const key of Object.keys(env))
        expect(known.has(key), `${name}: unknown setting ${key}`).toBe(true);
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
    const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');
    expect(dockerfile).toMatch(/tsx \\"\$APP\/src\/main\.ts\\"/);
  });

  it('runs an outbox relay per event-writing database with settings the relay knows', () => {
    for (const db of ['order', 'catalog', 'user']) {
      const relay = compose.services[`relay-${db}`]!;
      expect(relay.command).toEqual(['node_modules/.bin/tsx', 'events/src/relay/main.ts']);
      for (const key of Object.keys(relay.environment!))
        expect(key in relaySettings, `relay-${db}: ${key}`).toBe(true);
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
    const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');
    expect(dockerfile).toContain('npm run build -w storefront');
  });

  it('runs the saga worker with settings it knows', () => {
    const saga = compose.services.saga!;
    expect(saga.command).toEqual(['node_modules/.bin/tsx', 'workers/saga/src/main.ts']);
    for (const key of Object.keys(saga.environment!))
      expect(key in sagaSettings, `saga: ${key}`).toBe(true);
  });

  it('runs the search indexer with settings it knows', () => {
    const indexer = compose.services['search-indexer']!;
    expect(indexer.command).toEqual([
      'node_modules/.bin/tsx',
      'workers/search-indexer/src/main.ts',
    ]);
    for (const key of Object.keys(indexer.environment!))
      expect(key in searchIndexerSettings, `search-indexer: ${key}`).toBe(true);
  });

  it('runs the cart worker on the cart database and the cache the cart subgraph uses', () => {
    const worker = compose.services['cart-worker']!;
    expect(worker.command).toEqual(['node_modules/.bin/tsx', 'workers/cart/src/main.ts']);
    for (const key of Object.keys(worker.environment!))
      expect(key in cartWorkerSettings, `cart-worker: ${key}`).toBe(true);
    const cart = compose.services.cart!.environment!;
    expect(worker.environment!.CART_DATABASE_URL).toBe(cart.DATABASE_URL);
    expect(worker.environment!.REDIS_URL).toBe(cart.REDIS_URL);
  });

  it('runs the analytics worker on the ClickHouse database the search subgraph reads', () => {
    const analytics = compose.services.analytics!;
    expect(analytics.command).toEqual(['node_modules/.bin/tsx', 'workers/analytics/src/main.ts']);
    for (const key of Object.keys(analytics.environment!))
      expect(key in analyticsWorkerSettings, `analytics: ${key}`).toBe(true);
    const search = compose.services.search!.environment!;
    expect(analytics.environment!.CLICKHOUSE_URL).toBe(search.CLICKHOUSE_URL);
    expect(analytics.environment!.CLICKHOUSE_DATABASE).toBe(search.CLICKHOUSE_DATABASE);
  });

  it('runs migrations and the seed through the same npm scripts as the local system', () => {
    const scripts = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'))
      .scripts as Record<string, string>;
    expect(compose.services.migrate?.command).toEqual(['npm', 'run', 'db:migrate']);
    expect(compose.services.seed?.command).toEqual(['npm', 'run', 'seed']);
    expect(scripts['db:migrate']).toBeDefined();
    expect(scripts.seed).toBeDefined();
  });
});
