/**
 * The storefront's benchmarks, one run (`npm run bench:storefront`):
 * - the production bundle: JS of the first page and of each route, gzipped;
 * - server rendering under load: the catalog and product pages rendered by the storefront's
 *   server, next to the gateway queries they make, alone, in the same run;
 * - in Chromium: catalog page load to the product grid shown, and an order's COMPLETED from its
 *   commit to the tracking page showing it, next to a bare graphql-ws client.
 * A whole system with its storefront runs on ports 4700+ (databases shopbench_sf_*).
 *
 *   BENCH_SECONDS (10), BENCH_CONNECTIONS (16), BENCH_LOADS (20), BENCH_ORDERS (20);
 *   STOREFRONT_BENCH=bundle,ssr,browser picks parts.
 */
import path from 'node:path';
import { print } from 'graphql';
import pg from 'pg';
import {
  CatalogPageDocument,
  CategoryTreeDocument,
  ProductPageDocument,
} from '../../storefront/app/graphql/generated.ts';
import { runLoad, type LoadResult } from './load.ts';
import { measureBundle } from './storefront/bundle-size.ts';
import {
  launchChromium,
  measureCatalogLoads,
  measureTracking,
} from './storefront/browser-timings.ts';
import { runPageLoad } from './storefront/page-load.ts';
import { startBenchSystem } from './system.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const loads = Number(process.env.BENCH_LOADS ?? 20);
const orders = Number(process.env.BENCH_ORDERS ?? 20);
const log = (line: string) => console.error(`bench: ${line}`);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : '—');
const storefrontDir = path.resolve(import.meta.dirname, '../../storefront');
const only = process.env.STOREFRONT_BENCH?.split(',');
const wanted = (part: 'bundle' | 'ssr' | 'browser') => !only || only.includes(part);

const system = await startBenchSystem({
  prefix: 'shopbench_sf',
  // What is measured is what `npm start` and the image run: the production build.
  runtime: 'built',
  portBase: 4700,
  storefront: true,
  log,
  env: {
    // One load generator on one address: the per-client limit would measure the limiter.
    gateway: { RATE_LIMIT_PER_MINUTE: '0' },
    // Orders wait 2 s for payment: the tracking page is live before they complete.
    saga: { PAYMENT_LATENCY_MS: '2000' },
  },
});

try {
  if (wanted('bundle')) await printBundle();
  if (wanted('ssr')) await printServerRendering();
  if (wanted('browser')) await printBrowser();
} finally {
  await system.close();
}

async function printBundle() {
  log('bundle sizes');
  const bundle = await measureBundle(storefrontDir);
  console.log(`\n## Production bundle (gzip)

First page (catalog): ${kb(bundle.firstPageJsGzipBytes)} of JS (${kb(bundle.firstPageJsBytes)} minified) in ${bundle.firstPageFiles.length} files, ${kb(bundle.firstPageCssGzipBytes)} of CSS. Goal: under 150 KB.

| file | gzip |
|---|---:|
${bundle.firstPageFiles.map((f) => `| ${f.file} | ${kb(f.gzipBytes)} |`).join('\n')}

| route | its chunk | loaded beyond the first page |
|---|---:|---:|
${bundle.routes.map((r) => `| ${r.route} | ${kb(r.chunkGzipBytes)} | ${kb(r.beyondFirstPageGzipBytes)} |`).join('\n')}
`);
}

/** Pages and the gateway queries behind them. */
async function printServerRendering() {
  const catalogDb = new pg.Pool({ connectionString: system.dbUrl('catalog'), max: 1 });
  const { rows } = await catalogDb.query<{ id: string }>(
    `SELECT p.id FROM products p JOIN reviews r ON r.product_id = p.id
     WHERE p.deleted_at IS NULL GROUP BY p.id ORDER BY count(*) DESC, p.id LIMIT 1`,
  );
  await catalogDb.end();
  const productId = rows[0]!.id;
  const storefrontUrl = system.storefrontUrl!;
  const query = (document: Parameters<typeof print>[0], variables: Record<string, unknown>) =>
    JSON.stringify({ query: print(document), variables });
  const cases: { name: string; run: () => Promise<LoadResult>; process: string }[] = [
    {
      name: 'catalog page (SSR)',
      process: 'storefront',
      run: () =>
        runPageLoad(`${storefrontUrl}/?sort=NAME`, { connections, durationSeconds: seconds }),
    },
    {
      name: 'its queries alone: CatalogPage + CategoryTree',
      process: 'gateway',
      run: () =>
        runLoad(
          system.gatewayUrl,
          [
            {
              body: query(CatalogPageDocument, {
                filter: null,
                sort: 'NAME',
                first: 24,
                after: null,
              }),
            },
            { body: query(CategoryTreeDocument, {}) },
          ],
          { connections, durationSeconds: seconds },
        ),
    },
    {
      name: 'product page (SSR)',
      process: 'storefront',
      run: () =>
        runPageLoad(`${storefrontUrl}/products/${productId}`, {
          connections,
          durationSeconds: seconds,
        }),
    },
    {
      name: 'its query alone: ProductPage',
      process: 'gateway',
      run: () =>
        runLoad(
          system.gatewayUrl,
          [
            {
              body: query(ProductPageDocument, {
                id: productId,
                reviewsFirst: 5,
                reviewsAfter: null,
              }),
            },
          ],
          { connections, durationSeconds: seconds },
        ),
    },
  ];
  const rowsOut: string[] = [];
  for (const c of cases) {
    log(c.name);
    const before = system.cpuSeconds();
    const result = await c.run();
    const after = system.cpuSeconds();
    const cpuMs = (name: string) =>
      result.total ? ((after[name]! - before[name]!) * 1000) / result.total : NaN;
    rowsOut.push(
      `| ${c.name} | ${result.requestsPerSecond.toFixed(0)} | ${ms(result.p50)} | ${ms(result.p99)} | ${result.errors + result.non2xx} | ${cpuMs('storefront').toFixed(2)} | ${cpuMs('gateway').toFixed(2)} |`,
    );
  }
  const storefrontRss = system.rss(['storefront']);
  console.log(`## Server rendering under load (${connections} connections, ${seconds} s each, one after the other)

| target | req/s | p50 ms | p99 ms | errors | storefront CPU ms/req | gateway CPU ms/req |
|---|---:|---:|---:|---:|---:|---:|
${rowsOut.join('\n')}

The gateway queries alternate between the two (one request each); a catalog page makes both. Storefront resident memory after the load: ${(storefrontRss / 1024 / 1024).toFixed(0)} MB.
`);
}

async function printBrowser() {
  const storefrontUrl = system.storefrontUrl!;
  log('browser: catalog page loads');
  const browser = await launchChromium();
  try {
    const pageLoads = await measureCatalogLoads(browser, `${storefrontUrl}/?sort=NAME`, loads);
    log('browser: order tracking');
    const tracking = await measureTracking({
      browser,
      storefrontUrl,
      gatewayUrl: system.gatewayUrl,
      catalogDbUrl: system.dbUrl('catalog'),
      email: 'customer1@tackle.shop',
      password: 'tackle-demo-1',
      orders,
    });
    console.log(`## In Chromium

| measure | p50 ms | p99 ms |
|---|---:|---:|
| catalog page: product grid shown (first contentful paint, cold load; ${pageLoads.loads} loads) | ${ms(pageLoads.gridShownP50)} | ${ms(pageLoads.gridShownP99)} |
| catalog page: interactive (hydrated) | ${ms(pageLoads.interactiveP50)} | ${ms(pageLoads.interactiveP99)} |
| COMPLETED commit → shown on the tracking page (${tracking.samples} of ${tracking.orders} orders) | ${ms(tracking.pageP50)} | ${ms(tracking.pageP99)} |
| COMPLETED commit → received by a bare graphql-ws client on the gateway, same orders | ${ms(tracking.bareP50)} | ${ms(tracking.bareP99)} |
| what the page adds, per order (page − bare client) | ${ms(tracking.addedP50)} | ${ms(tracking.addedP99)} |
| of the page's time: commit → frame in the browser (via the storefront's proxy) | ${ms(tracking.frameP50)} | ${ms(tracking.frameP99)} |
| of the page's time: frame → status in the DOM (graphql-ws, Apollo cache, React) | ${ms(tracking.renderP50)} | ${ms(tracking.renderP99)} |

Goal: the page adds under 50 ms at p99.
`);
  } finally {
    await browser.close();
  }
}
