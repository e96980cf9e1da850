/**
 * Search freshness benchmark: how long after a product update commits in the catalog is the new
 * value visible in a search? The real path, each part in its own process as `npm start` runs
 * them: the catalog's write function (same transaction as the outbox row) -> outbox relay
 * (events/src/relay/main.ts) -> Kafka -> search indexer (workers/search-indexer/src/main.ts) ->
 * Elasticsearch with its production refresh interval (1 s).
 *
 * Latency of one update: from the moment its transaction committed to the first search that
 * finds the product under its new name (a `terms` query on the exact name, polled every
 * `pollMs` for all pending updates at once, so the poller itself does not load the engine).
 * Peak RSS is the relay's and the indexer's process trees together.
 *
 * Run: npx tsx bench/src/search-freshness-bench.ts  (FRESHNESS_UPDATES=200, FRESHNESS_RATE=20/s)
 * Uses its own databases and indices (prefix shopfresh) and the real catalog topics; its
 * consumer groups start at the topics' end, so earlier messages are not replayed.
 */
import { randomUUID } from 'node:crypto';
import { freePort } from '@shop/testing/free-port';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKafka } from '@shop/kafka';
import { TOPICS } from '@shop/events';
import { createCatalogPrisma } from '@shop/prisma/catalog';
import { databaseName, databaseUrl } from '@shop/prisma/databases';
import { migrateAll } from '@shop/prisma/migrate';
import { createSearchClient, productsAlias } from '@shop/search-client';
import { DEFAULT_SIZE, generateStore, loadStore } from '@shop/seed';
import { ensureStack } from '@shop/stack';
import { updateProductRow } from '../../subgraphs/catalog/src/data/writes.ts';
import { peakRss, start, stop, waitUntil, type Proc } from './processes.ts';
import { percentile } from './stats.ts';

export interface SearchFreshnessOptions {
  /** Product updates to time (default 200). */
  updates?: number;
  /** Updates per second, spread evenly (default 20). */
  ratePerSecond?: number;
  /** Interval of the visibility check (default 20 ms). */
  pollMs?: number;
  /** Database and index prefix (default shopfresh). */
  prefix?: string;
  /** Relay poll interval: the fallback behind LISTEN/NOTIFY (default: the relay's own, 1 s). */
  relayPollMs?: number;
  log?: (line: string) => void;
}

export interface SearchFreshnessResult {
  updates: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  peakRssMb: number;
}

const root = path.resolve(import.meta.dirname, '../..');

/**
 * Where the time goes, from the catalog database: commit -> claimed by the relay (its
 * transaction's now() is the claim, the publish follows), and commit -> the indexer's handler
 * transaction began (the inbox row). The rest up to "searchable" is the Elasticsearch write and
 * the index refresh (1 s interval).
 */
async function logStages(
  prisma: ReturnType<typeof createCatalogPrisma>,
  consumer: string,
  namePattern: string,
  log: (line: string) => void,
): Promise<void> {
  const rows = await prisma.$queryRaw<{ stage: string; p50: number; p99: number }[]>`
    SELECT 'commit -> relay claim' AS stage,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM o.sent_at - o.created_at) * 1000) AS p50,
      percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM o.sent_at - o.created_at) * 1000) AS p99
    FROM outbox_events o WHERE o.type = 'ProductUpdated' AND o.payload->>'name' LIKE ${namePattern}
    UNION ALL
    SELECT 'commit -> indexer handler',
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM i.processed_at - o.created_at) * 1000),
      percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM i.processed_at - o.created_at) * 1000)
    FROM outbox_events o JOIN inbox i ON i.event_id = o.id AND i.consumer = ${consumer}
    WHERE o.type = 'ProductUpdated' AND o.payload->>'name' LIKE ${namePattern}`;
  for (const r of rows)
    log(`  ${r.stage}: p50 ${Math.round(Number(r.p50))} ms, p99 ${Math.round(Number(r.p99))} ms`);
}

export async function runSearchFreshnessBench(
  opts: SearchFreshnessOptions = {},
): Promise<SearchFreshnessResult> {
  const updates = opts.updates ?? 200;
  const rate = opts.ratePerSecond ?? 20;
  const pollMs = opts.pollMs ?? 20;
  const prefix = opts.prefix ?? 'shopfresh';
  const log = opts.log ?? (() => undefined);
  const tag = randomUUID().slice(0, 8);

  const stack = await ensureStack({ verbose: false });
  await migrateAll({
    serverUrl: stack.postgres.url,
    prefix,
    services: ['catalog', 'user', 'cart'],
  });
  const catalogUrl = databaseUrl(stack.postgres.url, databaseName('catalog', prefix));
  const search = createSearchClient(stack.elasticsearch.url);
  const store = generateStore(DEFAULT_SIZE, 11);
  log(`seeding ${store.products.length} products into ${prefix}_catalog and its indices`);
  await loadStore(
    store,
    {
      catalogUrl,
      userUrl: databaseUrl(stack.postgres.url, databaseName('user', prefix)),
      search,
      indexPrefix: prefix,
    },
    { reset: true },
  );

  // The indexer's groups start at the end of the catalog topics (no replay of other runs).
  const indexerName = `freshness-bench-${tag}`;
  const kafka = createKafka({ clientId: indexerName, brokers: stack.kafka.brokers });
  const admin = kafka.admin();
  await admin.connect();
  for (const kind of ['products', 'sellers', 'reviews'] as const)
    await admin.resetOffsets({
      groupId: `${indexerName}-${kind}`,
      topic: TOPICS[kind].name,
      earliest: false,
    });
  await admin.disconnect();

  const common = {
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    KAFKA_BROKERS: stack.kafka.brokers.join(','),
  };
  const [relayPort, indexerPort] = [await freePort(), await freePort()];
  const procs: Proc[] = [];
  const prisma = createCatalogPrisma(catalogUrl);
  try {
    procs.push(
      start(
        'relay',
        'npx',
        ['tsx', 'events/src/relay/main.ts'],
        {
          ...common,
          PORT: String(relayPort),
          RELAY_NAME: `relay-${indexerName}`,
          DATABASE_URL: catalogUrl,
          ...(opts.relayPollMs ? { RELAY_POLL_INTERVAL_MS: String(opts.relayPollMs) } : {}),
        },
        root,
      ),
      start(
        'search-indexer',
        'npx',
        ['tsx', 'workers/search-indexer/src/main.ts'],
        {
          ...common,
          PORT: String(indexerPort),
          INDEXER_NAME: indexerName,
          CATALOG_DATABASE_URL: catalogUrl,
          ELASTICSEARCH_URL: stack.elasticsearch.url,
          SEARCH_INDEX_PREFIX: prefix,
        },
        root,
      ),
    );
    for (const [proc, port] of [
      [procs[0]!, relayPort],
      [procs[1]!, indexerPort],
    ] as const)
      await waitUntil(proc, async () => (await fetch(`http://127.0.0.1:${port}/ready`)).ok);
    const rss = procs.map((p) => peakRss(p.child.pid!));

    // A product per update: a later update of the same product cannot hide an unseen one.
    const products = store.products.slice(0, 1000).map((p) => p.id);
    const index = productsAlias(prefix);
    const visible = async (names: string[]) => {
      const response = await search.search({
        index,
        body: {
          size: names.length,
          _source: ['name'],
          query: { terms: { 'name.raw': names } },
        },
      });
      return new Set(
        (response.body as { hits: { hits: { _source: { name: string } }[] } }).hits.hits.map(
          (h) => h._source.name,
        ),
      );
    };

    // Warm-up: the consumers have joined and the path works end to end.
    const warm = `Freshness ${tag} warm-up`;
    await updateProductRow(prisma, products[0]!, { name: warm });
    const warmDeadline = Date.now() + 60_000;
    while (!(await visible([warm])).has(warm)) {
      if (Date.now() > warmDeadline) throw new Error('warm-up update never became searchable');
      await new Promise((r) => setTimeout(r, 100));
    }
    log(`pipeline warm; timing ${updates} updates at ${rate}/s`);

    const committed = new Map<string, number>();
    const latencies: number[] = [];
    let writing = true;
    const poller = (async () => {
      while (writing || committed.size > 0) {
        if (committed.size > 0) {
          const seen = await visible([...committed.keys()]);
          const now = performance.now();
          for (const name of seen) {
            const at = committed.get(name);
            if (at === undefined) continue;
            latencies.push(now - at);
            committed.delete(name);
          }
        }
        await new Promise((r) => setTimeout(r, pollMs));
      }
    })();
    const started = performance.now();
    const writes: Promise<void>[] = [];
    for (let i = 0; i < updates; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const name = `Freshness ${tag} update ${i}`;
      writes.push(
        updateProductRow(prisma, products[i % products.length]!, { name }).then(() => {
          committed.set(name, performance.now());
        }),
      );
    }
    // A write that never settles fails the run instead of hanging it.
    let writesTimer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(writes),
      new Promise((_, reject) => {
        writesTimer = setTimeout(
          () => reject(new Error(`product updates did not commit within 60 s`)),
          60_000,
        );
      }),
    ]).finally(() => {
      clearTimeout(writesTimer);
      writing = false;
    });
    const deadline = setTimeout(() => committed.clear(), 60_000);
    await poller;
    clearTimeout(deadline);
    if (latencies.length < updates)
      throw new Error(`${updates - latencies.length} updates never became searchable in 60 s`);

    const peak = rss.reduce((sum, done) => sum + done(), 0);
    await logStages(prisma, `${indexerName}-products`, `Freshness ${tag} update %`, log);
    const sorted = latencies.sort((a, b) => a - b);
    return {
      updates: sorted.length,
      p50Ms: Math.round(percentile(sorted, 50)),
      p99Ms: Math.round(percentile(sorted, 99)),
      maxMs: Math.round(sorted.at(-1)!),
      peakRssMb: Math.round(peak / 1024 / 1024),
    };
  } finally {
    await Promise.all(procs.map((p) => stop(p)));
    await prisma.$disconnect();
    await search.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await runSearchFreshnessBench({
    updates: Number(process.env.FRESHNESS_UPDATES ?? 200),
    ratePerSecond: Number(process.env.FRESHNESS_RATE ?? 20),
    log: (line) => console.log(line),
  });
  console.log(
    `updates ${result.updates}  commit -> searchable p50 ${result.p50Ms} ms  p99 ${result.p99Ms} ms  max ${result.maxMs} ms  peak RSS ${result.peakRssMb} MB (relay + indexer)`,
  );
  console.log(result.p99Ms < 2000 ? 'goal met (p99 < 2 s)' : 'goal MISSED (p99 < 2 s)');
  process.exit(0);
}
