/**
 * The README's screenshots, taken from the real storefront: a whole system with its storefront
 * (ports 4800+, databases shopshots_*), driven by Chromium through a shopper's visit. Writes
 * docs/screenshots/*.png.
 *
 *   npm run screenshots
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './lib/chromium.ts';
import { startSystem } from './lib/system.ts';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'docs/screenshots');
mkdirSync(out, { recursive: true });
const log = (line: string) => console.log(`screenshots: ${line}`);

const system = await startSystem({
  prefix: 'shopshots',
  portBase: 4800,
  storefront: true,
  reset: true,
  log,
  env: { saga: { PAYMENT_LATENCY_MS: '300' } },
});
const base = system.storefrontUrl!;
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });

/**
 * The id of the trace in which the relay published the order's OrderPlaced (its Kafka key is the
 * order id), once Zipkin has it with the saga's spans (spans arrive in batches about a second
 * apart).
 */
async function waitForTrace(zipkinUrl: string, orderId: string): Promise<string> {
  const query = new URLSearchParams({
    annotationQuery: `messaging.kafka.message.key=${orderId}`,
    spanName: 'publish orderplaced',
    lookback: String(60 * 60 * 1000),
    limit: '5',
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await fetch(`${zipkinUrl}/api/v2/traces?${query}`);
    const traces = res.ok ? ((await res.json()) as { traceId: string; name?: string }[][]) : [];
    const complete = traces.find((spans) =>
      spans.some((s) => /handle orderplaced/i.test(s.name ?? '')),
    );
    if (complete) return complete[0]!.traceId;
    if (Date.now() > deadline) throw new Error(`no trace of order ${orderId} in Zipkin`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function shot(page: Page, name: string, fullPage = false) {
  await page.waitForSelector('html[data-hydrated]');
  await page.screenshot({ path: path.join(out, `${name}.png`), fullPage });
  log(`wrote docs/screenshots/${name}.png`);
}

try {
  const desktop = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  await desktop.goto(`${base}/?sort=RATING`);
  await shot(desktop, 'catalog');

  await desktop.goto(`${base}/search?q=spinning%20reel`);
  await desktop.getByTestId('search-results').waitFor();
  await shot(desktop, 'search');

  await desktop.getByTestId('product-card').first().getByRole('heading').getByRole('link').click();
  await desktop.getByTestId('product-page').waitFor();
  await shot(desktop, 'product');

  // A shopper's order, tracked live to COMPLETED.
  await desktop.goto(`${base}/sign-in`);
  await desktop.waitForSelector('html[data-hydrated]');
  await desktop.getByLabel('E-mail address').fill('customer2@tackle.shop');
  await desktop.getByLabel('Password').fill('tackle-demo-1');
  await desktop.getByRole('button', { name: 'Sign in' }).click();
  await desktop.getByRole('button', { name: 'Sign out' }).waitFor();
  await desktop.goto(`${base}/?stock=1&sort=PRICE_DESC`);
  await desktop.waitForSelector('html[data-hydrated]');
  for (const index of [0, 2]) {
    const card = desktop.getByTestId('product-card').nth(index);
    await card.getByRole('button', { name: /^Add to cart/ }).click();
    await card.getByText('Added to your cart').waitFor();
  }
  await desktop.goto(`${base}/cart`);
  await desktop.getByTestId('cart-line').first().waitFor();
  await shot(desktop, 'cart');
  // The checkout: an address added on the page (the seeded customers have none), a method and a
  // code; placeOrder needs the address and the method.
  await desktop.getByRole('link', { name: 'Check out' }).click();
  const form = desktop.getByRole('form', { name: 'Where should we ship it?' });
  await form.getByLabel('Country', { exact: true }).selectOption({ label: 'Germany' });
  for (const [label, value] of [
    ['Full name', 'Anna Angler'],
    ['Phone', '+49 30 1234567'],
    ['Street and number', 'Unter den Linden 5'],
    ['Postal code', '10117'],
    ['City', 'Berlin'],
  ] as const)
    await form.getByLabel(label, { exact: true }).fill(value);
  await form.getByRole('button', { name: 'Ship to this address' }).click();
  const method = desktop.getByRole('radio', { name: /^International Standard / });
  await method.check();
  await desktop.getByLabel('Discount code').fill('TACKLE5');
  await desktop.getByRole('button', { name: 'Apply' }).click();
  await desktop.getByTestId('discount-code').waitFor();
  await desktop.getByRole('button', { name: 'Place order', disabled: false }).waitFor();
  await shot(desktop, 'checkout', true);
  await desktop.getByRole('button', { name: 'Place order' }).click();
  await desktop
    .getByTestId('order-status')
    .filter({ hasText: 'COMPLETED' })
    .waitFor({ timeout: 30_000 });
  // The cart empties itself a moment after the order (a worker sees OrderPlaced); the header
  // catches up within a second or two.
  await desktop.getByRole('link', { name: 'Cart', exact: true }).waitFor({ timeout: 15_000 });
  await shot(desktop, 'order-tracking', true);
  // The simulated carrier takes the paid order through packing, shipment and delivery (its
  // default delays: about 12 s); the page follows it live.
  await desktop
    .locator('[data-testid="fulfillment-status"][data-status="DELIVERED"]')
    .waitFor({ timeout: 60_000 });
  await desktop.getByTestId('parcel').scrollIntoViewIfNeeded();
  await shot(desktop, 'parcel-tracking');

  // The same order's trace in the stack's Zipkin (npm start and this system trace every
  // request): the gateway, the order subgraph, the relays' publishes and the saga's handlers.
  const orderId = new URL(desktop.url()).pathname.split('/').at(-1)!;
  const zipkin = system.stack.zipkin;
  const traceId = await waitForTrace(zipkin.url, orderId);
  const tracePage = await browser.newPage({ viewport: { width: 1440, height: 1200 } });
  await tracePage.goto(`${zipkin.uiUrl}traces/${traceId}`);
  await tracePage.getByText('Total Spans').waitFor({ timeout: 30_000 });
  await tracePage.waitForLoadState('networkidle');
  await tracePage.screenshot({ path: path.join(out, 'order-trace.png') });
  log('wrote docs/screenshots/order-trace.png');
  await tracePage.close();

  await desktop.getByRole('button', { name: 'Sign out' }).click();
  await desktop.goto(`${base}/sign-in`);
  await desktop.waitForSelector('html[data-hydrated]');
  await desktop.getByLabel('E-mail address').fill('seller1@tackle.shop');
  await desktop.getByLabel('Password').fill('tackle-demo-1');
  await desktop.getByRole('button', { name: 'Sign in' }).click();
  await desktop.getByRole('button', { name: 'Sign out' }).waitFor();
  await desktop.goto(`${base}/seller`);
  await desktop.getByTestId('seller-products').waitFor();
  await shot(desktop, 'seller');

  // Order management: an administrator's list of every order, with the parcel and its actions.
  await desktop.getByRole('button', { name: 'Sign out' }).click();
  await desktop.goto(`${base}/sign-in`);
  await desktop.waitForSelector('html[data-hydrated]');
  await desktop.getByLabel('E-mail address').fill('admin@tackle.shop');
  await desktop.getByLabel('Password').fill('tackle-demo-1');
  await desktop.getByRole('button', { name: 'Sign in' }).click();
  await desktop.getByRole('button', { name: 'Sign out' }).waitFor();
  await desktop.goto(`${base}/manage/orders`);
  await desktop.getByTestId('managed-order').first().waitFor();
  await shot(desktop, 'order-management');

  const phone = await browser.newPage({
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
  });
  await phone.goto(`${base}/?sort=NAME`);
  await shot(phone, 'catalog-375px');
} finally {
  await browser.close();
  await system.close();
}
