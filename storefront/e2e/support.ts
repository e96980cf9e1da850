import { expect, type Page } from '@playwright/test';
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

/** Registers a new shopper through the page and waits until the header shows them signed in. */
export async function registerShopper(page: Page, name = 'Test Shopper'): Promise<string> {
  const email = `${unique('shopper')}@example.com`;
  await page.goto('/register');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill('a-long-password-1');
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
