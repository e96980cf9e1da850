import { expect, test } from '@playwright/test';
import { gql, SELLER_EMAIL, signIn, unique } from './support.ts';

test('a seller lists a product with inline validation, edits it, and finds it through search', async ({
  page,
}) => {
  await signIn(page, SELLER_EMAIL);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Seller', exact: true })
    .click();
  await expect(page.getByTestId('seller-products')).toBeVisible();
  await expect(page.getByRole('heading', { name: /products$/ })).toBeVisible();

  await page.getByRole('link', { name: 'New product' }).click();
  const word = unique('musky').replace(/-/g, '');
  const name = `${word} Glide Bait 8in`;
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Description').fill('A slow-sinking glide bait for big predators.');
  await page.getByLabel('Price (USD)').fill('12.345');
  await page.getByLabel('Units in stock').fill('7');
  await page.getByLabel('Category').selectOption({ index: 2 });
  await page.getByRole('button', { name: 'List the product' }).click();
  // The form's own check, next to the field.
  await expect(page.getByText('Enter a price like 24.99')).toBeVisible();
  await expect(page.getByLabel('Price (USD)')).toHaveAttribute('aria-invalid', 'true');

  // The API's own check (a SKU in use) lands on its field too.
  const { products } = await gql<{ products: { edges: { node: { sku: string } }[] } }>(
    '{ products(first: 1) { edges { node { sku } } } }',
  );
  const takenSku = products.edges[0]!.node.sku;
  await page.getByLabel('Price (USD)').fill('34.50');
  await page.getByLabel('SKU (optional)').fill(takenSku);
  await page.getByPlaceholder('Name').first().fill('Length');
  await page.getByPlaceholder('Value').first().fill('8 in');
  await page.getByRole('button', { name: 'List the product' }).click();
  await expect(page.getByText(`A product with SKU "${takenSku}" already exists`)).toBeVisible();
  await expect(page.getByLabel('SKU (optional)')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('SKU (optional)').fill('');
  await page.getByRole('button', { name: 'List the product' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByText('$34.50')).toBeVisible();
  await expect(page.getByText('8 in')).toBeVisible();
  const productUrl = page.url();

  await page.goto(`/seller/products/${productUrl.split('/').pop()}`);
  await page.getByLabel('Price (USD)').fill('2000000');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('A price is at most 1,000,000.00.')).toBeVisible();
  await page.getByLabel('Price (USD)').fill('29.90');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();

  // Search finds it once the indexer has seen the event (asynchronous: try until it does).
  await expect(async () => {
    await page.goto(`/search?q=${word}`);
    await expect(page.getByTestId('product-card').filter({ hasText: name })).toBeVisible({
      timeout: 2000,
    });
  }).toPass({ timeout: 45_000 });
  await expect(page.getByTestId('product-card').filter({ hasText: name })).toContainText('$29.90');
});
