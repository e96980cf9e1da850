import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';
import { graphqlData } from '@shop/testing/graphql-client';

/** The gateway the storefront uses (test fixtures are made through the same public API). */
export const GATEWAY_URL = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql';
export const SEEDED_PASSWORD = 'tackle-demo-1';
export const SELLER_EMAIL = 'seller1@tackle.shop';

export const gql = <T = any>(
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
) => graphqlData<T>(GATEWAY_URL, query, variables, token);

export async function tokenFor(email: string, password = SEEDED_PASSWORD): Promise<string> {
  const data = await gql<{ login: { accessToken: string } }>(
    'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }',
    { email, password },
  );
  return data.login.accessToken;
}

let counter = 0;
export const unique = (label: string) =>
  `${label}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

/** A product of the seeded seller, made through the API: a known name, price and stock. */
export async function createProduct(input: {
  name: string;
  price: string;
  stock: number;
  description?: string;
}) {
  const token = await tokenFor(SELLER_EMAIL);
  const { mySellers } = await gql<{ mySellers: { id: string }[] }>(
    '{ mySellers { id } }',
    {},
    token,
  );
  const { categories } = await gql<{ categories: { id: string; parent: { id: string } | null }[] }>(
    '{ categories { id parent { id } } }',
  );
  const leaf = categories.find((c) => c.parent !== null) ?? categories[0]!;
  const { createProduct: product } = await gql<{ createProduct: { id: string } }>(
    'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }',
    {
      input: {
        sellerId: mySellers[0]!.id,
        categoryId: leaf.id,
        description: input.description ?? 'Made for the browser tests.',
        name: input.name,
        price: input.price,
        stock: input.stock,
      },
    },
    token,
  );
  return { id: product.id, categoryId: leaf.id };
}

/** Waits until the search index answers `text` with the product (the indexer is asynchronous). */
export async function waitUntilSearchable(text: string, productId: string): Promise<void> {
  await expect
    .poll(
      async () => {
        const data = await gql<{ searchProducts: { hits: { product: { id: string } }[] } }>(
          'query ($q: String!) { searchProducts(query: $q, first: 20) { hits { product { id } } } }',
          { q: text },
        );
        return data.searchProducts.hits.some((hit) => hit.product.id === productId);
      },
      { timeout: 30_000 },
    )
    .toBe(true);
}

/** The password of the shoppers registerShopper makes. */
export const SHOPPER_PASSWORD = 'a-long-password-1';

/** Registers a new shopper through the page and waits until the header shows them signed in. */
export async function registerShopper(page: Page, name = 'Test Shopper'): Promise<string> {
  const email = `${unique('shopper')}@example.com`;
  await page.goto('/register');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(SHOPPER_PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  return email;
}

export async function signIn(page: Page, email: string, password = SEEDED_PASSWORD): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** Product names of the grid in order, as the shopper sees them. */
export const gridNames = (page: Page) =>
  page.getByTestId('product-card').getByRole('heading').allInnerTexts();

/**
 * Records every text the order status badge shows, from now on, in the page itself (a
 * MutationObserver), so no state is missed between two polls of the test.
 */
export async function recordStatuses(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __statuses: string[] }).__statuses = seen;
    const note = () => {
      const text = document.querySelector('[data-testid=order-status]')?.textContent ?? null;
      if (text && seen[seen.length - 1] !== text) seen.push(text);
    };
    new MutationObserver(note).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    });
    note();
  });
  return () => page.evaluate(() => [...(window as unknown as { __statuses: string[] }).__statuses]);
}

/** Adds the first in-stock product of a catalog list to the cart and opens the cart. */
export async function addOneAndOpenCart(page: Page, listing = '/?stock=1'): Promise<void> {
  await page.goto(listing);
  await page
    .getByTestId('product-card')
    .first()
    .getByRole('button', { name: /^Add to cart: / })
    .click();
  await expect(page.getByText('Added to your cart')).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Cart/ }).click();
}

export interface TestAddress {
  recipient: string;
  phone: string;
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode: string;
  /** The country's name as the select shows it. */
  country: string;
}

/** In the United States: no tax in this store; Standard is free above $75. */
export const US_ADDRESS: TestAddress = {
  recipient: 'Test Shopper',
  phone: '+1 415 555 0100',
  line1: '1 Market Street',
  city: 'San Francisco',
  region: 'CA',
  postalCode: '94105',
  country: 'United States',
};

/** In Germany: 19 % VAT on the standard tax class, the Europe zone's methods. */
export const DE_ADDRESS: TestAddress = {
  recipient: 'Anna Angler',
  phone: '+49 30 1234567',
  line1: 'Unter den Linden 5',
  line2: 'Hinterhaus',
  city: 'Berlin',
  postalCode: '10117',
  country: 'Germany',
};

/** Fills an address form (the address book's or the checkout's). */
export async function fillAddressForm(form: Locator, address: TestAddress): Promise<void> {
  await form.getByLabel('Country', { exact: true }).selectOption({ label: address.country });
  await form.getByLabel('Full name', { exact: true }).fill(address.recipient);
  await form.getByLabel('Phone', { exact: true }).fill(address.phone);
  await form.getByLabel('Street and number', { exact: true }).fill(address.line1);
  await form.getByLabel('Apartment, suite, etc.', { exact: true }).fill(address.line2 ?? '');
  await form.getByLabel('City', { exact: true }).fill(address.city);
  await form.getByLabel('State, province or region', { exact: true }).fill(address.region ?? '');
  await form.getByLabel('Postal code', { exact: true }).fill(address.postalCode);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * On the checkout page of a shopper with an empty address book: adds the address there (the
 * cart ships to it), then chooses the shipping method whose name starts the option.
 */
export async function chooseAddressAndMethod(
  page: Page,
  options: { address?: TestAddress; method?: string } = {},
): Promise<void> {
  const address = options.address ?? US_ADDRESS;
  const form = page.getByRole('form', { name: 'Where should we ship it?' });
  await fillAddressForm(form, address);
  await form.getByRole('button', { name: 'Ship to this address' }).click();
  await expect(
    page.getByRole('radio', { name: new RegExp(escapeRegExp(address.line1)) }),
  ).toBeChecked();
  const method = page.getByRole('radio', {
    name: new RegExp(`^${escapeRegExp(options.method ?? 'Standard')} `),
  });
  await method.check();
  await expect(method).toBeChecked();
  await expect(page.getByRole('button', { name: 'Place order' })).toBeEnabled();
}

export const ADMIN_EMAIL = 'admin@tackle.shop';

/**
 * An order of `quantity` units of one product for the customer whose token this is, placed
 * through the public API as the checkout does it: the product in the cart, a US address (no tax
 * in this store), its Standard method, placeOrder. Returns the order's id.
 */
export async function placeOrderFor(
  token: string,
  productId: string,
  quantity: number,
): Promise<string> {
  await gql(
    'mutation ($id: ID!, $quantity: Int!) { addToCart(productId: $id, quantity: $quantity) { itemCount } }',
    { id: productId, quantity },
    token,
  );
  const { addAddress } = await gql<{ addAddress: { id: string } }>(
    'mutation ($input: AddressInput!) { addAddress(input: $input) { id } }',
    {
      input: {
        recipient: US_ADDRESS.recipient,
        phone: US_ADDRESS.phone,
        line1: US_ADDRESS.line1,
        city: US_ADDRESS.city,
        region: US_ADDRESS.region,
        postalCode: US_ADDRESS.postalCode,
        country: 'US',
      },
    },
    token,
  );
  const { setCartShippingAddress: cart } = await gql<{
    setCartShippingAddress: { shippingOptions: { method: { id: string; name: string } }[] };
  }>(
    'mutation ($id: ID!) { setCartShippingAddress(addressId: $id) { shippingOptions { method { id name } } } }',
    { id: addAddress.id },
    token,
  );
  const method =
    cart.shippingOptions.find((option) => option.method.name === 'Standard') ??
    cart.shippingOptions[0]!;
  await gql(
    'mutation ($id: ID!) { setCartShippingMethod(methodId: $id) { itemCount } }',
    { id: method.method.id },
    token,
  );
  const { placeOrder } = await gql<{ placeOrder: { id: string } }>(
    'mutation ($key: String!) { placeOrder(idempotencyKey: $key) { id } }',
    { key: unique('e2e-order') },
    token,
  );
  return placeOrder.id;
}

/** Waits until the saga has finished the order (paid and confirmed). */
export async function waitUntilCompleted(token: string, orderId: string): Promise<void> {
  await expect
    .poll(
      async () => {
        const { order } = await gql<{ order: { status: string } | null }>(
          'query ($id: ID!) { order(id: $id) { status } }',
          { id: orderId },
          token,
        );
        return order?.status;
      },
      { timeout: 30_000 },
    )
    .toBe('COMPLETED');
}

/** Marks the current document, so a test can tell later that the page was never reloaded. */
export async function markDocument(page: Page): Promise<void> {
  await page.evaluate(
    () => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true),
  );
}

export async function isSameDocument(page: Page): Promise<boolean> {
  return page.evaluate(
    () => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true,
  );
}

/** Fails on any serious or critical WCAG 2.1 A/AA violation axe finds on the page as it is. */
export async function expectNoSeriousViolations(page: Page, label: string) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${label}: ${v.id} (${v.impact}) ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    );
  expect(serious).toEqual([]);
}
