import { spawn } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';
import { testEnv, TEST_INTERNAL_SECRET, TEST_PREFIX } from '@shop/testing';

const env = testEnv(inject('stack'));
const tsx = new URL('../node_modules/.bin/tsx', import.meta.url).pathname;

interface Exit {
  code: number | null;
  stderr: string;
}

/** Starts a service's real entry point with exactly `vars` as its settings. */
function start(entry: string, vars: Record<string, string>): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, [new URL(`../${entry}`, import.meta.url).pathname], {
      env: { PATH: process.env.PATH ?? '', PORT: '0', ...vars },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr: stderr.trim() });
    });
  });
}

const secret = { INTERNAL_AUTH_SECRET: TEST_INTERNAL_SECRET };

function expectOneClearLine(exit: Exit, service: string, setting: string) {
  expect(exit.code).toBe(1);
  const lines = exit.stderr.split('\n');
  expect(lines, exit.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^${service}: .*${setting}`));
  expect(exit.stderr).not.toMatch(/\n\s+at /);
}

describe('a service started with a broken setting exits with one clear line naming it', () => {
  it('malformed database URL', async () => {
    const exit = await start('subgraphs/catalog/src/main.ts', {
      ...secret,
      DATABASE_URL: 'not a url',
    });
    expectOneClearLine(exit, 'catalog', 'DATABASE_URL must be a postgres:// URL');
  });

  it('database URL of a server that does not answer', async () => {
    const exit = await start('subgraphs/order/src/main.ts', {
      ...secret,
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/shop_order',
    });
    expectOneClearLine(
      exit,
      'order',
      "DATABASE_URL: cannot reach the order database \\(Can't reach database server at 127.0.0.1:1\\)",
    );
  });

  it('database that does not exist', async () => {
    const url = env.databaseUrl('cart').replace(`${TEST_PREFIX}_cart`, 'no_such_database');
    const exit = await start('subgraphs/cart/src/main.ts', { ...secret, DATABASE_URL: url });
    expectOneClearLine(
      exit,
      'cart',
      'DATABASE_URL: cannot reach the cart database \\(database "no_such_database" does not exist\\)',
    );
  });

  it('missing secret', async () => {
    const exit = await start('subgraphs/order/src/main.ts', {
      DATABASE_URL: env.databaseUrl('order'),
    });
    expectOneClearLine(exit, 'order', 'INTERNAL_AUTH_SECRET is required but not set');
  });

  it('signing key that is not a key', async () => {
    const exit = await start('subgraphs/user/src/main.ts', {
      ...secret,
      DATABASE_URL: env.databaseUrl('user'),
      JWT_PRIVATE_KEY:
        '-----BEGIN PRIVATE KEY-----\n' + 'A'.repeat(120) + '\n-----END PRIVATE KEY-----',
    });
    expectOneClearLine(exit, 'user', 'JWT_PRIVATE_KEY: is not a PKCS#8 PEM ES256');
  });

  it('secret too short', async () => {
    const exit = await start('gateway/src/main.ts', { INTERNAL_AUTH_SECRET: 'short' });
    expectOneClearLine(exit, 'gateway', 'INTERNAL_AUTH_SECRET must be at least 32 characters');
  });

  it('unreachable search engine', async () => {
    const exit = await start('subgraphs/search/src/main.ts', {
      ...secret,
      ELASTICSEARCH_URL: 'http://127.0.0.1:1',
    });
    expectOneClearLine(exit, 'search', 'ELASTICSEARCH_URL: cannot use Elasticsearch');
  });

  it('unreachable ClickHouse', async () => {
    const exit = await start('subgraphs/search/src/main.ts', {
      ...secret,
      ELASTICSEARCH_URL: env.stack.elasticsearch.url,
      SEARCH_INDEX_PREFIX: TEST_PREFIX,
      CLICKHOUSE_URL: 'http://127.0.0.1:1',
    });
    expectOneClearLine(exit, 'search', 'CLICKHOUSE_URL: cannot use ClickHouse');
  });

  it('analytics database name that is not an identifier', async () => {
    const exit = await start('workers/analytics/src/main.ts', {
      CLICKHOUSE_URL: env.stack.clickhouse.url,
      CLICKHOUSE_DATABASE: 'shop; DROP DATABASE shop',
    });
    expectOneClearLine(exit, 'analytics', 'CLICKHOUSE_DATABASE: invalid ClickHouse database name');
  });

  it('supergraph file that is not a supergraph', async () => {
    const exit = await start('gateway/src/main.ts', {
      ...secret,
      REDIS_URL: env.stack.redis.url,
      SUPERGRAPH_FILE: new URL('../subgraphs/catalog/schema.graphql', import.meta.url).pathname,
    });
    expectOneClearLine(
      exit,
      'gateway',
      'SUPERGRAPH_FILE: The schema is not a valid GraphQL schema.*Unknown directive',
    );
  });

  it('malformed port and subgraph URL, both named at once', async () => {
    const exit = await start('gateway/src/main.ts', {
      ...secret,
      PORT: 'eighty',
      CATALOG_URL: 'ftp://catalog',
    });
    expectOneClearLine(
      exit,
      'gateway',
      'PORT must be a whole number.*CATALOG_URL must be a http/https:// URL',
    );
  });
});
