/**
 * The production build, run the way the image runs it: `npm run build` (turbo, cached), the
 * runtime files staged by the code the Dockerfile uses (scripts/lib/runtime-files.ts) into a
 * temporary folder, and the built gateway and catalog subgraph started there with plain node,
 * against the real stack, queried through the gateway. Only node_modules comes from this
 * checkout (the image installs the same packages): a bundle that reaches for a file the image
 * does not hold, or for TypeScript sources, fails here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { freePort } from '@shop/testing/free-port';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  graphqlData,
  loadFixtureStore,
  testEnv,
  TEST_INTERNAL_SECRET,
  type TestEnv,
} from '@shop/testing';
import type { Store } from '@shop/seed';
import { appServices, workerHost } from '../scripts/lib/app-services.ts';
import { turboBuild } from '../scripts/lib/build.ts';
import { waitAnswers } from '../scripts/lib/supervisor.ts';
import { repoRoot, runtimeWorkspaces, stageRuntime } from '../scripts/lib/runtime-files.ts';

const env: TestEnv = testEnv(inject('stack'));
let staged: string;
let store: Store;
const running: ChildProcess[] = [];

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs a built program of the staged tree with exactly `vars` as its environment. */
function startBuilt(built: string, vars: Record<string, string>): Started {
  const child = spawn(process.execPath, ['--enable-source-maps', path.join(staged, built)], {
    // Not this checkout: a read relative to the working folder must not find the sources.
    cwd: staged,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...vars },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, output: () => output, exited };
}

/** Waits until `url` answers 200, failing with the program's output if it exits first. */
const answers = (url: string, started: Started) =>
  waitAnswers(url, started.exited, { label: url, detail: () => `output:\n${started.output()}` });

beforeAll(async () => {
  // The same build `npm start` and the image make; unchanged workspaces come from turbo's cache.
  await turboBuild({ quiet: true });
  staged = mkdtempSync(path.join(os.tmpdir(), 'shop-runtime-'));
  stageRuntime(staged);
  staged = path.join(staged, 'app');
  // The image installs its packages where npm puts them: at the root, and in a workspace's own
  // node_modules where it needs a version of its own (the gateway's jose, for one).
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(staged, 'node_modules'));
  for (const dir of runtimeWorkspaces())
    if (existsSync(path.join(repoRoot, dir, 'node_modules')))
      symlinkSync(path.join(repoRoot, dir, 'node_modules'), path.join(staged, dir, 'node_modules'));
  store = await loadFixtureStore(env);
});

afterAll(async () => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(
    running.map((child) =>
      child.exitCode === null ? new Promise((r) => child.once('close', r)) : undefined,
    ),
  );
  if (staged) rmSync(path.dirname(staged), { recursive: true, force: true });
});

describe('the production build', () => {
  it('stages no TypeScript source and no generated client: the bundles hold them', () => {
    const files = stageRuntime(path.join(path.dirname(staged), 'again')).app;
    expect(files.filter((f) => /\/src\/.*\.ts$/.test(f) && !f.startsWith('prisma/src/'))).toEqual(
      [],
    );
    expect(files.filter((f) => f.includes('/generated/'))).toEqual([]);
  });

  it('the built gateway and catalog subgraph run with node and answer through the gateway', async () => {
    const [gatewayPort, catalogPort, unused] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
    ]);
    const common = { HOST: '127.0.0.1', INTERNAL_AUTH_SECRET: TEST_INTERNAL_SECRET };
    const catalog = startBuilt('subgraphs/catalog/dist/main.js', {
      ...common,
      PORT: String(catalogPort),
      DATABASE_URL: env.databaseUrl('catalog'),
      LOG_LEVEL: 'warn',
    });
    await answers(`http://127.0.0.1:${catalogPort}/ready`, catalog);
    // Only the catalog runs: the other subgraphs point at a closed port, which this query
    // never reaches (the gateway composes its schema from the SDL files, not from them).
    const elsewhere = `http://127.0.0.1:${unused}/graphql`;
    const gateway = startBuilt('gateway/dist/main.js', {
      ...common,
      PORT: String(gatewayPort),
      REDIS_URL: env.stack.redis.url,
      RATE_LIMIT_PER_MINUTE: '0',
      CATALOG_URL: `http://127.0.0.1:${catalogPort}/graphql`,
      USER_URL: elsewhere,
      CART_URL: elsewhere,
      ORDER_URL: elsewhere,
      SEARCH_URL: elsewhere,
      JWKS_URL: `http://127.0.0.1:${unused}/.well-known/jwks.json`,
      LOG_LEVEL: 'warn',
    });
    await answers(`http://127.0.0.1:${gatewayPort}/health`, gateway);

    const product = store.products[0]!;
    const data = await graphqlData<{
      product: { id: string; name: string; price: { amount: string } } | null;
      products: { totalCount: number };
    }>(
      `http://127.0.0.1:${gatewayPort}/graphql`,
      `query ($id: ID!) { product(id: $id) { id name price { amount } } products { totalCount } }`,
      { id: product.id },
    );
    expect(data.product).toEqual({
      id: product.id,
      name: product.name,
      price: { amount: product.price },
    });
    expect(data.products.totalCount).toBe(store.products.length);
  });

  it('every service npm start runs loads from the staged tree and checks its settings', async () => {
    // A malformed PORT stops each service at its configuration check, which runs after every
    // static import of its bundle has loaded: a missing package or file fails before it.
    const { subgraphs, workers, gateway, storefront } = appServices(env.stack, {
      internalAuthSecret: TEST_INTERNAL_SECRET,
      jwtPrivateKey: 'unused',
    });
    for (const service of [...subgraphs, ...workers, gateway, storefront]) {
      const started = startBuilt(service.built, { PORT: 'not-a-port' });
      expect(await started.exited, `${service.name}: ${started.output()}`).toBe(1);
      expect(started.output(), service.name).toMatch(
        /^[\w-]+: invalid configuration: .*PORT must be a whole number/,
      );
    }
    // The worker host loads every worker's bundle code; the first one checks its own PORT.
    const host = startBuilt(workerHost(workers).built, { WORKERS: 'saga', PORT: 'not-a-port' });
    expect(await host.exited, host.output()).toBe(1);
    expect(host.output()).toMatch(/^worker-host: invalid configuration: .*PORT must be a whole/);
  });
});
