/**
 * ClickHouse analytics benchmark.
 * - Ingestion, end to end through the worker path: a backlog of ProductViewed and order events on
 *   Kafka, drained by the analytics sink (kafkajs eachBatch -> contract validation -> batched
 *   JSONEachRow inserts -> offset commits) into ClickHouse. Events/s from the first message read
 *   to the last batch written and committed. Goal: 20,000 events/s.
 * - Queries: 1M views (plus re-delivered copies in their own parts) and ~400k order lines,
 *   then popularProducts by views and by sales timed repeatedly (p50/p99), reading through
 *   duplicates with FINAL (the default) and with uniqExact / one row per order line; and
 *   revenueByDay over 30 days of the same 200k orders' totals.
 * Run: tsx bench/src/clickhouse-bench.ts  (CLICKHOUSE_BENCH_EVENTS, CLICKHOUSE_BENCH_VIEWS,
 * CLICKHOUSE_BENCH_RUNS; uses the ClickHouse database shopbench_analytics and private topics)
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import {
  DEFAULT_DEDUP,
  applyAnalyticsSchema,
  checkDayRange,
  connectAnalytics,
  dropAnalyticsDatabase,
  formatDay,
  popularProducts,
  revenueByDay,
  windowStart,
  type AnalyticsStore,
  type Dedup,
  type PopularityMetric,
} from '@shop/analytics';
import { startAnalyticsSink } from '@shop/analytics-worker';
import {
  OrderCompleted,
  OrderPlaced,
  ProductViewed,
  createEvent,
  encodeEvent,
  type AnyEvent,
} from '@shop/events';
import { createKafka, ensureTopics, type Kafka } from '@shop/kafka';
import { ensureStack } from '@shop/stack';
import { percentile } from './stats.ts';

export interface ClickhouseBenchOptions {
  /** Events drained through the worker (default 200,000; ~90 % views, the rest orders). */
  events?: number;
  /** View rows loaded for the query timings (default 1,000,000). */
  viewRows?: number;
  /** Timed runs of each query (default 50, after 3 warm-up runs). */
  queryRuns?: number;
  batchRows?: number;
  batchMs?: number;
  database?: string;
  log?: (line: string) => void;
}

export interface Latency {
  p50: number;
  p99: number;
}

export interface ClickhouseBenchResult {
  ingestEventsPerSec: number;
  popularByViewsMs: Latency;
  popularBySalesMs: Latency;
  /** The same queries read through duplicates the other way (DEFAULT_DEDUP picks the faster). */
  otherByViewsMs: Latency;
  otherBySalesMs: Latency;
  /** revenueByDay over the last 30 days (DEFAULT_DEDUP), on `rows / 5` orders. */
  revenueByDayMs: Latency;
  /** View rows the query timings ran over (without the re-delivered copies). */
  rows: number;
  peakRssMb: number;
  ingestedEvents: number;
  ingestBatches: number;
  /** Share of the drain time spent waiting for ClickHouse inserts (the rest: Kafka, decoding, validation). */
  ingestInsertShare: number;
}

const PRODUCTS = 10_000;
const money = { amount: '19.90', currency: 'EUR' };
const eur = (cents: number) => ({
  amount: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`,
  currency: 'EUR',
});

function percentiles(samples: number[]): Latency {
  return { p50: round(percentile(samples, 50)), p99: round(percentile(samples, 99)) };
}
const round = (n: number) => Math.round(n * 10) / 10;

/** The events of the ingestion run: views of a few thousand products, orders placed and completed. */
function backlog(n: number, productIds: string[]): AnyEvent[] {
  const events: AnyEvent[] = [];
  const product = () => productIds[Math.floor(Math.random() ** 2 * productIds.length)]!;
  while (events.length < n) {
    if (events.length % 20 === 19 && events.length + 2 <= n) {
      const orderId = randomUUID();
      const userId = randomUUID();
      // As the checkout writes it: a NET line with 19 % tax and 4.99 shipping.
      const quantity = 1 + (events.length % 3);
      const line = 1990 * quantity;
      const tax = Math.round(line * 0.19);
      const total = eur(line + 499 + tax);
      events.push(
        createEvent(OrderPlaced, orderId, {
          orderId,
          userId,
          items: [
            { productId: product(), quantity, unitPrice: money, discount: eur(0), tax: eur(tax) },
          ],
          total,
          totals: {
            subtotal: eur(line),
            discount: eur(0),
            shipping: eur(499),
            tax: eur(tax),
            priceMode: 'NET',
          },
          discountCode: null,
          shippingCountry: 'DE',
        }),
        createEvent(OrderCompleted, orderId, { orderId, userId, total }),
      );
    } else {
      const productId = product();
      events.push(createEvent(ProductViewed, productId, { productId, userId: null }));
    }
  }
  return events;
}

async function produce(
  kafka: Kafka,
  topics: { productViews: string; orders: string },
  events: AnyEvent[],
) {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let i = 0; i < events.length; i += 5000) {
      const slice = events.slice(i, i + 5000);
      await producer.sendBatch({
        acks: -1,
        topicMessages: [
          {
            topic: topics.productViews,
            messages: slice.filter((e) => e.type === 'ProductViewed').map((e) => encodeEvent(e)),
          },
          {
            topic: topics.orders,
            messages: slice.filter((e) => e.type !== 'ProductViewed').map((e) => encodeEvent(e)),
          },
        ],
      });
    }
  } finally {
    await producer.disconnect();
  }
}

/** A product id ClickHouse can compute from a number (bench data only). */
const productUuidSql = (n: string) =>
  `toUUID(concat('00000000-0000-4000-8000-', toString(100000000000 + ${n})))`;

/** Loads the query data in ClickHouse itself: far faster than pushing 1M rows through HTTP. */
async function loadQueryData(store: AnalyticsStore, viewRows: number): Promise<void> {
  const db = store.database;
  const skewed = `toUInt32(pow(rand() / 4294967295, 3) * ${PRODUCTS})`;
  const within7Days = `now() - (rand(1) % ${7 * 86_400})`;
  const run = (query: string) => store.client.command({ query });
  // In 200k-row inserts, as the worker would write them (in bigger batches than its own).
  for (let done = 0; done < viewRows; done += 200_000)
    await run(`INSERT INTO ${db}.product_views
      SELECT generateUUIDv4(), ${productUuidSql(skewed)}, NULL, ${within7Days}
      FROM numbers(${Math.min(200_000, viewRows - done)})`);
  // 5 % re-delivered copies, each insert its own part.
  for (let i = 0; i < 5; i++)
    await run(`INSERT INTO ${db}.product_views
      SELECT * FROM ${db}.product_views LIMIT ${Math.floor(viewRows / 100)} OFFSET ${i * 1000}`);
  const orders = Math.floor(viewRows / 5);
  const orderUuid = `toUUID(concat('00000000-0000-4000-9000-', toString(100000000000 + number)))`;
  // Lines of 19.90 a unit, every tenth order 10 % off, 19 % tax added.
  await run(`INSERT INTO ${db}.order_items (event_id, order_id, line, product_id, quantity,
      placed_at, currency, discount, revenue, revenue_ex_tax)
    SELECT generateUUIDv4(), ${orderUuid}, line, product, qty, at, 'EUR', off,
      toInt64(round((qty * 1990 - off) * 1.19)), toInt64(qty * 1990 - off)
    FROM (
      SELECT number, line, ${productUuidSql(skewed)} AS product, ${within7Days} AS at,
        toUInt32(1 + rand(2) % 4) AS qty, toInt64(if(number % 10 = 0, qty * 199, 0)) AS off
      FROM numbers(${orders}) ARRAY JOIN range(1 + number % 3) AS line
    )`);
  // The orders' totals, placed over 30 days (revenueByDay).
  await run(`INSERT INTO ${db}.order_totals
    SELECT generateUUIDv4(), ${orderUuid}, at, 'EUR', sub, off, 499, tax, sub - off + 499 + tax,
      if(off > 0, 'WELCOME10', ''), 'DE'
    FROM (
      SELECT number, now() - (rand(3) % ${30 * 86_400}) AS at,
        toInt64(1990 * (1 + rand(4) % 8)) AS sub, if(number % 10 = 0, intDiv(sub, 10), 0) AS off,
        toInt64(round((sub - off + 499) * 0.19)) AS tax
      FROM numbers(${orders})
    )`);
  // 80 % completed, 10 % cancelled, 10 % still open.
  await run(`INSERT INTO ${db}.order_outcomes
    SELECT generateUUIDv4(), ${orderUuid},
      if(number % 10 < 8, 'completed', 'cancelled'), ${within7Days}
    FROM numbers(${orders}) WHERE number % 10 < 9`);
  await run(`INSERT INTO ${db}.order_outcomes
    SELECT * FROM ${db}.order_outcomes LIMIT ${Math.floor(orders / 20)}`);
}

/**
 * Times popularProducts with both ways of reading through duplicates, alternating run by run so
 * that load from anything else on the machine weighs on both alike.
 */
async function timeQuery(
  store: AnalyticsStore,
  by: PopularityMetric,
  runs: number,
): Promise<Record<Dedup, Latency>> {
  const since = windowStart('LAST_7_DAYS');
  const samples: Record<Dedup, number[]> = { final: [], distinct: [] };
  const order: Dedup[][] = [
    ['final', 'distinct'],
    ['distinct', 'final'],
  ];
  for (let i = 0; i < runs + 3; i++)
    for (const dedup of order[i % 2]!) {
      const t = performance.now();
      await popularProducts(store, { by, since, limit: 10, dedup });
      if (i >= 3) samples[dedup].push(performance.now() - t);
    }
  return { final: percentiles(samples.final), distinct: percentiles(samples.distinct) };
}

/** revenueByDay over the last 30 days, the admin's usual chart. */
async function timeRevenueByDay(store: AnalyticsStore, runs: number): Promise<Latency> {
  const range = checkDayRange(
    formatDay(new Date(Date.now() - 29 * 86_400_000)),
    formatDay(new Date()),
  );
  if (!range.ok) throw new Error(range.message);
  const samples: number[] = [];
  for (let i = 0; i < runs + 3; i++) {
    const t = performance.now();
    await revenueByDay(store, range);
    if (i >= 3) samples.push(performance.now() - t);
  }
  return percentiles(samples);
}

export async function runClickhouseBench(
  opts: ClickhouseBenchOptions = {},
): Promise<ClickhouseBenchResult> {
  const log = opts.log ?? (() => undefined);
  const events = opts.events ?? 200_000;
  const viewRows = opts.viewRows ?? 1_000_000;
  const runs = opts.queryRuns ?? 50;
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const stack = await ensureStack({ verbose: false });
  const store = connectAnalytics({
    url: stack.clickhouse.url,
    database: opts.database ?? 'shopbench_analytics',
  });
  const kafka = createKafka({ clientId: 'clickhouse-bench', brokers: stack.kafka.brokers });
  try {
    await dropAnalyticsDatabase(store);
    const tag = randomUUID().slice(0, 8);
    const topics = { productViews: `bench-an-views-${tag}`, orders: `bench-an-orders-${tag}` };
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [
      { name: topics.productViews, partitions: 3 },
      { name: topics.orders, partitions: 3 },
      { name: `bench-an-dlq-${tag}`, partitions: 1 },
    ]);
    await admin.disconnect();

    const productIds = Array.from({ length: 2000 }, () => randomUUID());
    const all = backlog(events, productIds);
    log(`producing ${events} events to Kafka`);
    await produce(kafka, topics, all);

    log('draining them through the analytics sink');
    const sink = await startAnalyticsSink({
      kafka,
      store,
      topics,
      name: `clickhouse-bench-${tag}`,
      maxRows: opts.batchRows,
      maxWaitMs: opts.batchMs,
      deadLetterTopic: `bench-an-dlq-${tag}`,
    });
    const stats = sink.consumer.stats;
    // From the group join: the backlog is there, so fetching starts at once.
    await sink.consumer.joined;
    const start = performance.now();
    while (stats.events < events || stats.pendingRows > 0 || stats.rows < events)
      await new Promise((r) => setTimeout(r, 2));
    const seconds = (performance.now() - start) / 1000;
    const batches = stats.batches;
    const insertShare = stats.writeMs / 1000 / seconds;
    await sink.stop();
    if (stats.deadLettered > 0) throw new Error(`${stats.deadLettered} events dead-lettered`);
    const stored = await store.client.query({
      query: `SELECT (SELECT uniqExact(event_id) FROM ${store.database}.product_views)
        + (SELECT uniqExact(event_id) FROM ${store.database}.order_items)
        + (SELECT uniqExact(event_id) FROM ${store.database}.order_outcomes) AS n`,
      format: 'JSONEachRow',
    });
    const n = Number((await stored.json<{ n: string }>())[0]?.n);
    if (n !== events) throw new Error(`ClickHouse holds ${n} events, expected ${events}`);

    log(`loading ${viewRows} views for the query timings`);
    await dropAnalyticsDatabase(store);
    await applyAnalyticsSchema(store);
    await loadQueryData(store, viewRows);

    log('timing popularProducts and revenueByDay');
    const views = await timeQuery(store, 'views', runs);
    const sales = await timeQuery(store, 'sales', runs);
    const revenue = await timeRevenueByDay(store, runs);
    const other: Dedup = DEFAULT_DEDUP === 'final' ? 'distinct' : 'final';
    const result: ClickhouseBenchResult = {
      ingestEventsPerSec: Math.round(events / seconds),
      popularByViewsMs: views[DEFAULT_DEDUP],
      popularBySalesMs: sales[DEFAULT_DEDUP],
      otherByViewsMs: views[other],
      otherBySalesMs: sales[other],
      revenueByDayMs: revenue,
      rows: viewRows,
      peakRssMb: 0,
      ingestedEvents: events,
      ingestBatches: batches,
      ingestInsertShare: Math.round(insertShare * 100) / 100,
    };
    result.peakRssMb = Math.round(peakRss / 1024 / 1024);
    return result;
  } finally {
    clearInterval(sampler);
    await store.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await runClickhouseBench({
    events: Number(process.env.CLICKHOUSE_BENCH_EVENTS ?? 200_000),
    viewRows: Number(process.env.CLICKHOUSE_BENCH_VIEWS ?? 1_000_000),
    queryRuns: Number(process.env.CLICKHOUSE_BENCH_RUNS ?? 50),
    log: (line) => console.log(`\u25b8 ${line}`),
  });
  const lat = (l: Latency) => `p50 ${l.p50} ms, p99 ${l.p99} ms`;
  const rows: [string, string, string][] = [
    [
      'ingestion Kafka -> worker -> ClickHouse',
      `${r.ingestEventsPerSec} events/s`,
      `${r.ingestedEvents} events, ${r.ingestBatches} batches, ${Math.round(r.ingestInsertShare * 100)} % of it in inserts; goal >= 20,000 events/s`,
    ],
    [
      'popularProducts by views',
      lat(r.popularByViewsMs),
      `${r.rows} views (+5 % copies), ${DEFAULT_DEDUP}`,
    ],
    ['popularProducts by sales', lat(r.popularBySalesMs), `${r.rows / 5} orders, ${DEFAULT_DEDUP}`],
    [
      '  by views, the other way',
      lat(r.otherByViewsMs),
      'final = FINAL, distinct = uniqExact(event_id)',
    ],
    ['  by sales, the other way', lat(r.otherBySalesMs), 'distinct = one row per order line'],
    ['revenueByDay, 30 days', lat(r.revenueByDayMs), `${r.rows / 5} orders, ${DEFAULT_DEDUP}`],
    ['peak RSS', `${r.peakRssMb} MB`, 'bench process (worker + producer)'],
  ];
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) console.log(row.map((c, i) => c.padEnd(w[i]!)).join('  |  '));
  console.log(r.ingestEventsPerSec >= 20_000 ? 'goal met' : 'goal MISSED');
  process.exit(0);
}
