/// <reference lib="dom" />
// (Parts of this module run inside the page, through page.evaluate.)
/**
 * The storefront in a real browser (Debian's Chromium through playwright-core): how long a
 * catalog page takes to show its products, and how long an order status takes from its commit
 * to the tracking page, next to a bare graphql-ws client watching the same orders.
 */
import { createClient } from 'graphql-ws';
import pg from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
import WebSocket from 'ws';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../scripts/lib/chromium.ts';
import { graphqlData as gql } from '@shop/testing/graphql-client';
import { percentile } from '../stats.ts';

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });

export interface PageLoadFigures {
  loads: number;
  /** First contentful paint: the server's HTML, product grid included, on screen. */
  gridShownP50: number;
  gridShownP99: number;
  /** The page's scripts have hydrated it (buttons work). */
  interactiveP50: number;
  interactiveP99: number;
}

/** `loads` cold loads (a new browser context each: no cache) of one catalog page. */
export async function measureCatalogLoads(
  browser: Browser,
  url: string,
  loads: number,
): Promise<PageLoadFigures> {
  const shown: number[] = [];
  const interactive: number[] = [];
  for (let i = 0; i < loads; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForSelector('html[data-hydrated]');
    const timing = await page.evaluate(() => {
      const paint = performance.getEntriesByName('first-contentful-paint')[0];
      const grid = document.querySelector('[data-testid=product-grid]') !== null;
      const hydrated = performance.getEntriesByName('hydrated')[0];
      return { fcp: paint?.startTime ?? NaN, grid, hydrated: hydrated?.startTime ?? NaN };
    });
    if (!timing.grid) throw new Error('the catalog page has no product grid');
    shown.push(timing.fcp);
    interactive.push(timing.hydrated);
    await context.close();
  }
  return {
    loads,
    gridShownP50: percentile(shown, 50),
    gridShownP99: percentile(shown, 99),
    interactiveP50: percentile(interactive, 50),
    interactiveP99: percentile(interactive, 99),
  };
}

export interface TrackingFigures {
  orders: number;
  /** Orders whose COMPLETED both watchers saw arrive (not as their first event). */
  samples: number;
  pageP50: number;
  pageP99: number;
  bareP50: number;
  bareP99: number;
  /** The page's lag behind the bare client, paired per order. */
  addedP50: number;
  addedP99: number;
  /** Commit to the WebSocket frame reaching the browser (through the storefront's proxy). */
  frameP50: number;
  frameP99: number;
  /** That frame to the status in the page's DOM (graphql-ws, Apollo's cache, React). */
  renderP50: number;
  renderP99: number;
}

/**
 * Records, in the page, when each order status appears (with the status's updatedAt). Plain
 * text, not a function: the TypeScript loader would wrap a function with helpers the page does
 * not have.
 */
const RECORDER = `(() => {
  const log = [];
  window.__statusLog = log;
  const note = () => {
    const element = document.querySelector('[data-testid=order-status]');
    const status = element && element.textContent;
    const updatedAt = element && element.getAttribute('data-updated-at');
    if (!status || !updatedAt) return;
    const last = log[log.length - 1];
    if (!last || last.status !== status)
      log.push({ status, updatedAt, at: performance.timeOrigin + performance.now() });
  };
  new MutationObserver(note).observe(document, {
    subtree: true, childList: true, characterData: true, attributes: true,
  });
})();`;

async function signIn(page: Page, base: string, email: string, password: string) {
  await page.goto(`${base}/sign-in`);
  await page.waitForSelector('html[data-hydrated]');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/**
 * `orders` orders of one signed-in customer, each placed from the checkout page (the cart is
 * filled through the API), so the page moves on to the tracking page the way a shopper's does.
 * As soon as the order id is in the URL, a bare graphql-ws client on the gateway watches the
 * order too. The latency is from COMPLETED's commit (the order's updatedAt) to the page showing
 * it, or to the client receiving it.
 */
export async function measureTracking(options: {
  browser: Browser;
  storefrontUrl: string;
  gatewayUrl: string;
  catalogDbUrl: string;
  email: string;
  password: string;
  orders: number;
}): Promise<TrackingFigures> {
  const { gatewayUrl, storefrontUrl } = options;
  const { login } = await gql<{ login: { accessToken: string } }>(
    gatewayUrl,
    'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }',
    { e: options.email, p: options.password },
  );
  const token = login.accessToken;
  const catalog = new pg.Pool({ connectionString: options.catalogDbUrl, max: 1 });
  const { rows } = await catalog.query<{ id: string }>(
    'UPDATE products SET stock = 100000000 WHERE id = (SELECT id FROM products WHERE deleted_at IS NULL ORDER BY id LIMIT 1) RETURNING id',
  );
  await catalog.end();
  const productId = rows[0]!.id;
  // placeOrder needs the cart's shipping address and method: one address, chosen for each order.
  const { addAddress } = await gql<{ addAddress: { id: string } }>(
    gatewayUrl,
    'mutation ($input: AddressInput!) { addAddress(input: $input) { id } }',
    {
      input: {
        recipient: 'Bench Customer',
        phone: '+1 415 555 0100',
        line1: '1 Market Street',
        city: 'San Francisco',
        postalCode: '94105',
        country: 'US',
      },
    },
    token,
  );

  const context = await options.browser.newContext();
  await context.addInitScript({ content: RECORDER });
  const page = await context.newPage();
  // Where the page's time goes: when each WebSocket frame reached the browser (DevTools
  // protocol timestamps, mapped to wall time through the handshake's wallTime).
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  let wallOffset: number | undefined;
  const frames: { at: number; payload: string }[] = [];
  cdp.on('Network.webSocketWillSendHandshakeRequest', (e) => {
    wallOffset = e.wallTime - e.timestamp;
  });
  cdp.on('Network.webSocketFrameReceived', (e) => {
    if (wallOffset !== undefined)
      frames.push({ at: (e.timestamp + wallOffset) * 1000, payload: e.response.payloadData });
  });
  await signIn(page, storefrontUrl, options.email, options.password);
  const ws = createClient({
    url: gatewayUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
  });
  const pageSamples: number[] = [];
  const bareSamples: number[] = [];
  /** Per order: how much later the page showed COMPLETED than the bare client received it. */
  const addedSamples: number[] = [];
  /** Commit to the frame reaching the browser, and that frame to the status on screen. */
  const frameSamples: number[] = [];
  const renderSamples: number[] = [];
  try {
    for (let i = 0; i < options.orders; i++) {
      await gql(
        gatewayUrl,
        'mutation ($p: ID!) { addToCart(productId: $p, quantity: 1) { itemCount } }',
        { p: productId },
        token,
      );
      const { setCartShippingAddress: cart } = await gql<{
        setCartShippingAddress: { shippingOptions: { method: { id: string } }[] };
      }>(
        gatewayUrl,
        'mutation ($a: ID!) { setCartShippingAddress(addressId: $a) { shippingOptions { method { id } } } }',
        { a: addAddress.id },
        token,
      );
      await gql(
        gatewayUrl,
        'mutation ($m: ID!) { setCartShippingMethod(methodId: $m) { itemCount } }',
        { m: cart.shippingOptions[0]!.method.id },
        token,
      );
      await page.goto(`${storefrontUrl}/checkout`);
      await page.waitForSelector('html[data-hydrated]');
      await page.getByRole('button', { name: 'Place order' }).click();
      await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
      const id = page.url().split('/').pop()!;
      const bare: { status: string; updatedAt: string; at: number }[] = [];
      const bareDone = new Promise<void>((resolve, reject) => {
        ws.subscribe(
          {
            query:
              'subscription ($id: ID!) { orderUpdated(id: $id) { status updatedAt items { product { name } } } }',
            variables: { id },
          },
          {
            next: (result) => {
              const order = (
                result.data as { orderUpdated?: { status: string; updatedAt: string } } | undefined
              )?.orderUpdated;
              if (!order) return;
              bare.push({ ...order, at: Date.now() });
              if (order.status === 'COMPLETED' || order.status === 'CANCELLED') resolve();
            },
            error: reject,
            complete: () => resolve(),
          },
        );
      });
      await page
        .getByTestId('order-status')
        .filter({ hasText: /COMPLETED|CANCELLED/ })
        .waitFor({ timeout: 30_000 });
      await bareDone;
      const shown = await page.evaluate(
        () =>
          (
            window as unknown as {
              __statusLog: { status: string; updatedAt: string; at: number }[];
            }
          ).__statusLog,
      );
      // COMPLETED only: its updatedAt is written by the transaction that commits it. The
      // states before it can wait on the order's row lock, which the simulated payment holds
      // while it "calls the provider", so their updatedAt is not when they became visible.
      // A watcher's first event is the state it found, not a delivery.
      const latency = (log: { status: string; updatedAt: string; at: number }[]) => {
        const completed = log.slice(1).find((entry) => entry.status === 'COMPLETED');
        return completed ? completed.at - Date.parse(completed.updatedAt) : undefined;
      };
      const [onPage, onClient] = [latency(shown), latency(bare)];
      const completedShown = shown.slice(1).find((entry) => entry.status === 'COMPLETED');
      const frame = frames.find(
        (f) => f.payload.includes(id) && f.payload.includes('"status":"COMPLETED"'),
      );
      if (onPage !== undefined && onClient !== undefined) {
        pageSamples.push(onPage);
        bareSamples.push(onClient);
        addedSamples.push(onPage - onClient);
        if (frame && completedShown) {
          frameSamples.push(frame.at - Date.parse(completedShown.updatedAt));
          renderSamples.push(completedShown.at - frame.at);
        }
      }
      frames.length = 0;
    }
  } finally {
    await ws.dispose();
    await context.close();
  }
  return {
    orders: options.orders,
    samples: pageSamples.length,
    pageP50: percentile(pageSamples, 50),
    pageP99: percentile(pageSamples, 99),
    bareP50: percentile(bareSamples, 50),
    bareP99: percentile(bareSamples, 99),
    addedP50: percentile(addedSamples, 50),
    addedP99: percentile(addedSamples, 99),
    frameP50: percentile(frameSamples, 50),
    frameP99: percentile(frameSamples, 99),
    renderP50: percentile(renderSamples, 50),
    renderP99: percentile(renderSamples, 99),
  };
}
