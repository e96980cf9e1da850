/**
 * Gateway benchmark: the storefront query mix at fixed concurrency against this gateway, the stock
 * @apollo/gateway, Hive Gateway (all on the same supergraph and the same subgraph processes), and
 * the catalog subgraph directly as the floor. One target runs at a time; figures from one run.
 *
 * Then tracing's cost: the gateway and the five subgraphs restarted with tracing off, on with
 * every trace kept (exported to the stack's Zipkin), and on at 1 %, the same mix side by side.
 *
 *   npm run bench            (BENCH_SECONDS=10 BENCH_CONNECTIONS=16 by default)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  AccessTokenSigner,
  generateSigningKeyPem,
  IDENTITY_HEADER,
  signIdentity,
} from '@shop/auth';
import {
  composeSupergraph,
  GATEWAY_NODE_OPTIONS,
  SUBGRAPH_NAMES,
  type SubgraphName,
} from '@shop/gateway';
import { createCartPrisma } from '@shop/prisma/cart';
import { createCatalogPrisma } from '@shop/prisma/catalog';
import { databaseName, databaseUrl } from '@shop/prisma/databases';
import { generateAll } from '@shop/prisma/generate';
import { migrateAll } from '@shop/prisma/migrate';
import { createUserPrisma } from '@shop/prisma/user';
import { createSearchClient } from '@shop/search-client';
import { DEFAULT_SIZE, generateStore, loadStore } from '@shop/seed';
import { ensureStack } from '@shop/stack';
import { postMultipart } from '@shop/testing/multipart';
import { tracingNodeArgs } from '@shop/tracing';
import { runLoad, type LoadRequest, type LoadResult } from './load.ts';
import { profileEnv, restartProfiles } from './cpu-profile.ts';
import { peakRss, start, stop, treeCpuSeconds, waitUntil, type Proc } from './processes.ts';
import {
  CART,
  PRODUCT_LIST,
  PRODUCT_PAGE,
  PRODUCT_PAGE_DEFERRED,
  PRODUCT_PAGE_WHOLE,
  SEARCH,
} from './queries.ts';
import { percentile } from './stats.ts';
import { startHiveGateway } from './targets/hive-gateway.ts';

const root = path.resolve(import.meta.dirname, '../..');
const PREFIX = 'shopbench';
const SECRET = 'bench-internal-secret-0123456789abcdef';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const GATEWAY_PORT = 4200;
const SUBGRAPH_PORTS: Record<SubgraphName, number> = {
  catalog: 4201,
  user: 4202,
  cart: 4203,
  order: 4204,
  search: 4205,
};
const subgraphUrl = (name: SubgraphName) => `http://127.0.0.1:${SUBGRAPH_PORTS[name]}/graphql`;
const log = (line: string) => console.error(`bench: ${line}`);
/** Runs of each tracing setting (TRACING_ROUNDS, default 2), their order alternating. */
const TRACING_ROUNDS = Number(process.env.TRACING_ROUNDS ?? 2);
/** GATEWAY_BENCH=targets,cache,tracing,defer runs only those sections (default: all). */
const only = process.env.GATEWAY_BENCH?.split(',');
const runs = (section: 'targets' | 'cache' | 'tracing' | 'defer') =>
  !only || only.includes(section);
/** Product pages asked one after another in the @defer section, per form of the query. */
const DEFER_REQUESTS = Number(process.env.DEFER_REQUESTS ?? 300);

async function prepareData(stackUrls: { postgres: string; elasticsearch: string }) {
  await generateAll();
  await migrateAll({ serverUrl: stackUrls.postgres, prefix: PREFIX });
  const url = (s: 'catalog' | 'user' | 'cart') =>
    databaseUrl(stackUrls.postgres, databaseName(s, PREFIX));
  const search = createSearchClient(stackUrls.elasticsearch);
  await loadStore(
    generateStore(DEFAULT_SIZE),
    { catalogUrl: url('catalog'), userUrl: url('user'), search, indexPrefix: PREFIX },
    { log },
  );
  await search.close();
  const catalog = createCatalogPrisma(url('catalog'));
  const users = createUserPrisma(url('user'));
  const carts = createCartPrisma(url('cart'));
  try {
    const product = await catalog.product.findFirstOrThrow({
      where: { ratingCount: { gte: 5 } },
      orderBy: { id: 'asc' },
    });
    const inCart = await catalog.product.findMany({
      where: { stock: { gt: 10 } },
      take: 3,
      orderBy: { id: 'asc' },
    });
    const customer = await users.user.findFirstOrThrow({
      where: { role: 'CUSTOMER' },
      orderBy: { email: 'asc' },
    });
    await carts.cartItem.deleteMany({ where: { userId: customer.id } });
    await carts.cartItem.createMany({
      data: inCart.map((p) => ({ userId: customer.id, productId: p.id, quantity: 2 })),
    });
    return {
      productId: product.id,
      searchTerm: product.name.split(' ')[1]!,
      customerId: customer.id,
    };
  } finally {
    await Promise.all([catalog.$disconnect(), users.$disconnect(), carts.$disconnect()]);
  }
}

async function graphqlOk(url: string, request: LoadRequest): Promise<boolean> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...request.headers },
    body: request.body,
  });
  const body = (await res.json()) as { data?: unknown; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`${url}: ${body.errors[0]!.message}`);
  return res.ok && body.data != null;
}

interface Row {
  target: string;
  scenario: string;
  result: LoadResult;
  peakRssBytes: number;
  /** Node.js CPU per request over the timed run: the gateway's, and the subgraphs' summed. */
  cpuMsPerRequest?: { gateway: number; subgraphs: number };
}

interface Scenario {
  requests: LoadRequest[];
  connections: number;
}

async function measure(
  target: string,
  proc: Proc | null,
  url: string,
  scenarios: Record<string, Scenario>,
  subgraphs: Proc[] = [],
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [scenario, { requests, connections }] of Object.entries(scenarios)) {
    for (const request of requests) await graphqlOk(url, request); // correct answers before timing them
    await runLoad(url, requests, { connections, durationSeconds: 3 }); // warm-up: JIT, plan caches, pools
    const pid = proc?.child.pid;
    const memory = pid ? peakRss(pid) : () => 0;
    const cpu = () => ({
      gateway: pid ? treeCpuSeconds(pid) : 0,
      subgraphs: subgraphs.reduce((sum, p) => sum + treeCpuSeconds(p.child.pid!), 0),
    });
    restartProfiles(
      [...(proc ? [proc] : []), ...subgraphs].map((p) => ({ name: p.name, pid: p.child.pid })),
    );
    const before = cpu();
    const result = await runLoad(url, requests, { connections, durationSeconds: SECONDS });
    const after = cpu();
    const perRequest = (seconds: number) => (seconds * 1000) / Math.max(1, result.total);
    rows.push({
      target,
      scenario,
      result,
      peakRssBytes: memory(),
      cpuMsPerRequest: {
        gateway: perRequest(after.gateway - before.gateway),
        subgraphs: perRequest(after.subgraphs - before.subgraphs),
      },
    });
    log(
      `${target} ${scenario}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms`,
    );
  }
  return rows;
}

/** One row of means (req/s, p50, p99, CPU per request) over runs of the same setting. */
function meanRow(runs: Row[]): Row | undefined {
  const first = runs[0];
  if (!first) return undefined;
  const mean = (of: (r: Row) => number) => runs.reduce((sum, r) => sum + of(r), 0) / runs.length;
  return {
    ...first,
    result: {
      ...first.result,
      requestsPerSecond: mean((r) => r.result.requestsPerSecond),
      p50: Math.round(mean((r) => r.result.p50)),
      p99: Math.round(mean((r) => r.result.p99)),
    },
    peakRssBytes: Math.max(...runs.map((r) => r.peakRssBytes)),
    cpuMsPerRequest: {
      gateway: mean((r) => r.cpuMsPerRequest?.gateway ?? 0),
      subgraphs: mean((r) => r.cpuMsPerRequest?.subgraphs ?? 0),
    },
  };
}

function table(rows: Row[]): string {
  const ours = new Map(rows.filter((r) => r.target === 'this gateway').map((r) => [r.scenario, r]));
  const lines = [
    '| target | scenario | req/s | p50 ms | p99 ms | peak RSS MB | errors | req/s vs this gateway |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const base = ours.get(r.scenario);
    const ratio = base
      ? (r.result.requestsPerSecond / base.result.requestsPerSecond).toFixed(2)
      : '-';
    lines.push(
      `| ${r.target} | ${r.scenario} | ${r.result.requestsPerSecond.toFixed(0)} | ${r.result.p50} | ${r.result.p99} | ${r.peakRssBytes ? (r.peakRssBytes / 2 ** 20).toFixed(0) : '-'} | ${r.result.errors + r.result.non2xx} | ${ratio} |`,
    );
  }
  return lines.join('\n');
}

const procs: Proc[] = [];
async function main() {
  const stack = await ensureStack({ verbose: false });
  log('preparing data');
  const ids = await prepareData({
    postgres: stack.postgres.url,
    elasticsearch: stack.elasticsearch.url,
  });
  const privateKeyPem = await generateSigningKeyPem();
  const signer = await AccessTokenSigner.fromPem(privateKeyPem);
  // Tracing is off for every target but the tracing section's own runs (`tracing` below).
  let tracing: Record<string, string> = { TRACING_ENABLED: 'false' };
  // BENCH_PROFILE=gateway,order writes V8 CPU profiles of those processes to .stack/profiles.
  const node = (entry: string, env: Record<string, string>, name: string) => {
    const withTracing = {
      ...env,
      ...tracing,
      ...profileEnv(name, name === 'gateway' ? GATEWAY_NODE_OPTIONS : ''),
    };
    return start(
      name,
      process.execPath,
      ['--import', 'tsx', ...tracingNodeArgs(withTracing, 'source'), entry],
      withTracing,
      root,
    );
  };

  const common = {
    HOST: '127.0.0.1',
    INTERNAL_AUTH_SECRET: SECRET,
    LOG_LEVEL: 'warn',
    REDIS_URL: stack.redis.url,
  };
  const startSubgraphs = async () => {
    log('starting subgraphs');
    for (const name of SUBGRAPH_NAMES) {
      const db: Record<string, string> =
        name === 'search'
          ? {}
          : { DATABASE_URL: databaseUrl(stack.postgres.url, databaseName(name, PREFIX)) };
      const extra: Record<string, string> = {
        user: { JWT_PRIVATE_KEY: privateKeyPem },
        search: { ELASTICSEARCH_URL: stack.elasticsearch.url, SEARCH_INDEX_PREFIX: PREFIX },
        cart: {
          CATALOG_URL: subgraphUrl('catalog'),
          USER_URL: subgraphUrl('user'),
          ORDER_URL: subgraphUrl('order'),
        },
        order: {
          CATALOG_URL: subgraphUrl('catalog'),
          CART_URL: subgraphUrl('cart'),
          USER_URL: subgraphUrl('user'),
        },
        catalog: {},
      }[name];
      const proc = node(
        `subgraphs/${name}/src/main.ts`,
        { ...common, ...db, ...extra, PORT: String(SUBGRAPH_PORTS[name]) },
        name,
      );
      procs.push(proc);
    }
    for (const proc of procs) {
      const port = SUBGRAPH_PORTS[proc.name as SubgraphName];
      await waitUntil(proc, async () => (await fetch(`http://127.0.0.1:${port}/ready`)).ok);
    }
  };
  await startSubgraphs();
  const supergraphPath = path.join(root, 'bench/results/supergraph.graphql');
  mkdirSync(path.dirname(supergraphPath), { recursive: true });
  writeFileSync(
    supergraphPath,
    composeSupergraph(
      Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, subgraphUrl(n)])) as Record<
        SubgraphName,
        string
      >,
    ),
  );

  const body = (query: string, variables: Record<string, unknown> = {}) =>
    JSON.stringify({ query, variables });
  const mix = (auth: Record<string, string>): LoadRequest[] => [
    { body: body(PRODUCT_LIST) },
    { body: body(PRODUCT_PAGE, { id: ids.productId }) },
    { body: body(SEARCH, { q: ids.searchTerm }) },
    { body: body(CART), headers: auth },
  ];
  const gatewayUrl = `http://127.0.0.1:${GATEWAY_PORT}/graphql`;
  const ready = async () =>
    (
      await fetch(gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: body('{ __typename }'),
      })
    ).ok;
  const passThroughIdentity = () => ({
    [IDENTITY_HEADER]: signIdentity({ userId: ids.customerId, role: 'CUSTOMER' }, SECRET),
  });

  const ourGateway = (deduplicate: boolean, extra: Record<string, string> = {}) => ({
    name: deduplicate ? 'this gateway' : 'this gateway, sharing off',
    launch: () =>
      node(
        'gateway/src/main.ts',
        {
          ...common,
          PORT: String(GATEWAY_PORT),
          JWKS_URL: `http://127.0.0.1:${SUBGRAPH_PORTS.user}/.well-known/jwks.json`,
          // The limiter stays on (its Redis call is part of the measured path), set high enough
          // that one benchmark client is never refused.
          RATE_LIMIT_PER_MINUTE: '1000000',
          SUBGRAPH_DEDUPLICATION: String(deduplicate),
          ...Object.fromEntries(
            SUBGRAPH_NAMES.map((n) => [`${n.toUpperCase()}_URL`, subgraphUrl(n)]),
          ),
          ...extra,
        },
        'gateway',
      ),
    auth: async () => ({
      authorization: `Bearer ${await signer.sign({ userId: ids.customerId, role: 'CUSTOMER' }, randomUUID(), 3600)}`,
    }),
  });
  const targets: {
    name: string;
    launch: () => Proc;
    auth: () => Promise<Record<string, string>>;
  }[] = [
    ourGateway(true),
    ourGateway(false),
    {
      name: 'stock @apollo/gateway',
      launch: () =>
        node(
          'bench/src/targets/stock-apollo-gateway.ts',
          { PORT: String(GATEWAY_PORT), SUPERGRAPH_PATH: supergraphPath },
          'stock',
        ),
      auth: async () => passThroughIdentity(),
    },
    ...[false, true].map((rust) => ({
      name: rust ? 'Hive Gateway, Rust query planner' : 'Hive Gateway',
      launch: () =>
        startHiveGateway({
          root,
          supergraphPath,
          port: GATEWAY_PORT,
          rust,
          configPath: path.join(root, 'bench/hive/gateway.config.ts'),
        }),
      auth: async () => passThroughIdentity(),
    })),
  ];

  const rows: Row[] = [];
  for (const target of runs('targets') ? targets : []) {
    log(`starting ${target.name}`);
    const proc = target.launch();
    try {
      await waitUntil(proc, ready);
      rows.push(
        ...(await measure(target.name, proc, gatewayUrl, {
          list: { requests: [{ body: body(PRODUCT_LIST) }], connections: CONNECTIONS },
          mix: { requests: mix(await target.auth()), connections: CONNECTIONS },
          'list, 1 connection': { requests: [{ body: body(PRODUCT_LIST) }], connections: 1 },
        })),
      );
    } finally {
      await stop(proc);
    }
  }
  const cacheRows = runs('cache') ? await measureResponseCache() : [];
  const deferRows = runs('defer') ? await measureDefer() : [];
  const catalogProc = procs.find((p) => p.name === 'catalog')!;
  if (runs('targets'))
    rows.push(
      ...(await measure('catalog subgraph (floor)', catalogProc, subgraphUrl('catalog'), {
        list: { requests: [{ body: body(PRODUCT_LIST) }], connections: CONNECTIONS },
        'list, 1 connection': { requests: [{ body: body(PRODUCT_LIST) }], connections: 1 },
      })),
    );

  /** The ids of the catalog's first 50 products (asked of the catalog subgraph directly). */
  async function firstProductIds(): Promise<string[]> {
    const { data } = (await (
      await fetch(subgraphUrl('catalog'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: body('{ products(first: 50) { edges { node { id } } } }'),
      })
    ).json()) as { data: { products: { edges: { node: { id: string } }[] } } };
    return data.products.edges.map((e) => e.node.id);
  }

  /**
   * Anonymous catalog traffic (product list, the pages of 50 products, a search), with the
   * response cache off and on; the hit rate is read from the gateway's own counters. No catalog
   * event arrives during the run (no relay runs), so this is the cache at its best.
   */
  async function measureResponseCache(): Promise<(Row & { hitRate?: number })[]> {
    const anonymous: LoadRequest[] = [
      { body: body(PRODUCT_LIST) },
      { body: body(SEARCH, { q: ids.searchTerm }) },
      ...(await firstProductIds()).map((id) => ({ body: body(PRODUCT_PAGE, { id }) })),
    ];
    const out: (Row & { hitRate?: number })[] = [];
    for (const on of [false, true]) {
      const target = ourGateway(true, {
        RESPONSE_CACHE: String(on),
        RESPONSE_CACHE_KEY_PREFIX: `response-cache:bench-${randomUUID()}:`,
        RESPONSE_CACHE_GROUP: `bench-gateway-response-cache-${randomUUID()}`,
        KAFKA_BROKERS: stack.kafka.brokers.join(','),
      });
      const name = on ? 'this gateway, response cache on' : 'this gateway, response cache off';
      log(`starting ${name}`);
      const proc = target.launch();
      try {
        await waitUntil(proc, ready);
        const [row] = await measure(name, proc, gatewayUrl, {
          'anonymous catalog': { requests: anonymous, connections: CONNECTIONS },
        });
        const metrics = await (await fetch(`http://127.0.0.1:${GATEWAY_PORT}/metrics`)).text();
        const count = (result: string) =>
          Number(
            new RegExp(
              `gateway_response_cache_lookups_total\\{[^}]*result="${result}"[^}]*\\} (\\d+)`,
            ).exec(metrics)?.[1] ?? 0,
          );
        const hits = count('hit');
        const lookups = hits + count('miss');
        out.push({ ...row!, hitRate: lookups ? hits / lookups : undefined });
      } finally {
        await stop(proc);
      }
    }
    return out;
  }

  /**
   * The storefront's product page with its statistics and reviews deferred, next to the same
   * query in one answer: when the first part and the last part arrive. One request at a time
   * (no queueing), over the pages of 50 products in turn.
   */
  async function measureDefer() {
    const productIds = await firstProductIds();
    const target = ourGateway(false);
    log('starting this gateway for @defer');
    const proc = target.launch();
    const out: { query: string; first: number[]; last: number[] }[] = [];
    try {
      await waitUntil(proc, ready);
      for (const [name, query] of [
        ['product page, one answer', PRODUCT_PAGE_WHOLE],
        ['product page, statistics and reviews deferred', PRODUCT_PAGE_DEFERRED],
      ] as const) {
        const row = { query: name, first: [] as number[], last: [] as number[] };
        // Warm-up: plans and connections.
        for (const id of productIds.slice(0, 10))
          await postMultipart(gatewayUrl, { query, variables: { id } });
        for (let i = 0; i < DEFER_REQUESTS; i++) {
          const answer = await postMultipart(gatewayUrl, {
            query,
            variables: { id: productIds[i % productIds.length] },
          });
          if (answer.status !== 200) throw new Error(`${name}: status ${answer.status}`);
          row.first.push(answer.parts[0]!.at);
          row.last.push(answer.parts.at(-1)!.at);
        }
        out.push(row);
      }
    } finally {
      await stop(proc);
    }
    return out;
  }

  // Tracing's cost, on the whole path: the subgraphs restart with each setting too.
  const tracingModes: [string, Record<string, string>][] = [
    ['tracing off', { TRACING_ENABLED: 'false' }],
    ['tracing on, 100 % sampled', tracingOn(1)],
    ['tracing on, 1 % sampled', tracingOn(0.01)],
  ];
  function tracingOn(ratio: number): Record<string, string> {
    return {
      TRACING_ENABLED: 'true',
      TRACING_SAMPLE_RATIO: String(ratio),
      ZIPKIN_URL: stack.zipkin.spansUrl,
    };
  }
  const tracingRuns: Row[] = [];
  for (let round = 0; round < (runs('tracing') ? TRACING_ROUNDS : 0); round++) {
    // Every other round in the opposite order: a system's first minutes (caches, JIT, the
    // machine's other load) favour no setting.
    for (const [mode, settings] of round % 2 ? [...tracingModes].reverse() : tracingModes) {
      tracing = settings;
      await Promise.all(procs.splice(0).map(stop));
      await startSubgraphs();
      const target = ourGateway(true);
      log(`starting this gateway, ${mode} (round ${round + 1} of ${TRACING_ROUNDS})`);
      const proc = target.launch();
      try {
        await waitUntil(proc, ready);
        tracingRuns.push(
          ...(await measure(
            mode,
            proc,
            gatewayUrl,
            { mix: { requests: mix(await target.auth()), connections: CONNECTIONS } },
            procs,
          )),
        );
      } finally {
        await stop(proc);
      }
    }
  }
  const tracingRows = tracingModes
    .map(([mode]) => meanRow(tracingRuns.filter((r) => r.target === mode)))
    .filter((r): r is Row => r !== undefined);
  const offRps = tracingRows[0]?.result.requestsPerSecond ?? 0;
  const cpuTotal = (r: Row) =>
    (r.cpuMsPerRequest?.gateway ?? 0) + (r.cpuMsPerRequest?.subgraphs ?? 0);
  const offCpu = tracingRows[0] ? cpuTotal(tracingRows[0]) : 0;

  // Added latency is read at one connection: no queueing, and no sharing of identical requests.
  const ours = rows.find((r) => r.target === 'this gateway' && r.scenario === 'list, 1 connection');
  const floor = rows.find(
    (r) => r.target.startsWith('catalog') && r.scenario === 'list, 1 connection',
  );
  const report = [
    `Gateway benchmark: ${CONNECTIONS} connections unless noted, ${SECONDS} s per scenario, ${new Date().toISOString()}`,
    `list = product list of 20 with category, seller, rating, stock; mix = list + product page with reviews/authors + search + cart read`,
    '',
    table(rows),
    '',
    ours && floor
      ? `At one connection, this gateway adds ${(ours.result.p50 - floor.result.p50).toFixed(1)} ms at p50 ` +
        `(${(ours.result.mean - floor.result.mean).toFixed(2)} ms on the mean) over the catalog subgraph on the list query.`
      : '',
    '',
    `Tracing's cost (this gateway and the five subgraphs restarted with each setting, the mix, ${CONNECTIONS} connections; spans exported to the stack's Zipkin):`,
    '| setting | req/s | p50 ms | p99 ms | gateway peak RSS MB | CPU ms/request: gateway + subgraphs | req/s vs off | CPU vs off |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...tracingRows.map((r) => {
      const cpu = cpuTotal(r);
      return `| ${r.target} | ${r.result.requestsPerSecond.toFixed(0)} | ${r.result.p50} | ${r.result.p99} | ${(r.peakRssBytes / 2 ** 20).toFixed(0)} | ${r.cpuMsPerRequest!.gateway.toFixed(2)} + ${r.cpuMsPerRequest!.subgraphs.toFixed(2)} = ${cpu.toFixed(2)} | ${((r.result.requestsPerSecond / offRps - 1) * 100).toFixed(1)} % | ${((cpu / offCpu - 1) * 100).toFixed(1)} % |`;
    }),
    `Means of ${TRACING_ROUNDS} runs per setting, in alternating order; each run's req/s and CPU ms/request: ${tracingRuns.map((r) => `${r.target} ${r.result.requestsPerSecond.toFixed(0)}, ${cpuTotal(r).toFixed(2)}`).join('; ')}.`,
    'Goal: under 5 % throughput cost at 1 % sampling.',
    '',
    `Response cache (anonymous catalog traffic: the product list, the pages of 50 products and a search, ${CONNECTIONS} connections, no catalog event during the run):`,
    '| setting | req/s | p50 ms | p99 ms | gateway peak RSS MB | hit rate | req/s vs off |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...cacheRows.map(
      (r) =>
        `| ${r.target} | ${r.result.requestsPerSecond.toFixed(0)} | ${r.result.p50} | ${r.result.p99} | ${(r.peakRssBytes / 2 ** 20).toFixed(0)} | ${r.hitRate === undefined ? '-' : `${(r.hitRate * 100).toFixed(1)} %`} | ${(r.result.requestsPerSecond / cacheRows[0]!.result.requestsPerSecond).toFixed(2)}x |`,
    ),
    '',
    `@defer (the product page, ${DEFER_REQUESTS} requests one at a time, this gateway with sharing off): milliseconds from the request to the first and the last part`,
    '| query | first part p50 | first part p99 | last part p50 | last part p99 |',
    '|---|---:|---:|---:|---:|',
    ...deferRows.map(
      (r) =>
        `| ${r.query} | ${percentile(r.first, 50).toFixed(1)} | ${percentile(r.first, 99).toFixed(1)} | ${percentile(r.last, 50).toFixed(1)} | ${percentile(r.last, 99).toFixed(1)} |`,
    ),
  ].join('\n');
  console.log(report);
  writeFileSync(
    path.join(root, `bench/results/gateway-${Date.now()}.json`),
    JSON.stringify(rows, null, 2),
  );
}

try {
  await main();
} finally {
  await Promise.all(procs.map(stop));
}
