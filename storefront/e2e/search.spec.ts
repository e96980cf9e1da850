import { expect, test } from '@playwright/test';
import { createProduct, unique, waitUntilSearchable } from './support.ts';

test('search: highlights escaped, a facet click narrows the results, and an empty state', async ({
  page,
}) => {
  // A seller names a product with markup: the page must show it as text, never run it.
  const word = unique('zebrafly').replace(/-/g, '');
  const markup = '<img src=x onerror=alert(document.domain)>';
  const name = `${markup} ${word} Spinning Reel`;
  const product = await createProduct({
    name,
    price: '42.00',
    stock: 5,
    description: `A ${word} reel for tests.`,
  });
  await waitUntilSearchable(word, product.id);

  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto('/');
  await page.getByRole('searchbox', { name: 'Search products' }).fill(word);
  await page.getByRole('searchbox', { name: 'Search products' }).press('Enter');
  await expect(page).toHaveURL(new RegExp(`/search\\?q=${word}`));
  const card = page.locator(`[data-product-id="${product.id}"]`);
  await expect(card).toBeVisible();
  await expect(card.getByRole('heading')).toHaveText(name);
  const highlight = card.getByTestId('highlight');
  await expect(highlight.locator('mark').first()).toHaveText(new RegExp(word, 'i'));
  await expect(highlight).toContainText('<img src=x');
  expect(await card.locator('img[src="x"]').count()).toBe(0);
  expect(
    await page.evaluate(() => (window as unknown as { __xss?: number }).__xss),
  ).toBeUndefined();

  // A broader query with facets: clicking a category facet narrows the results to its count
  // and keeps the query.
  await page.goto('/search?q=reel');
  const entry = page.locator('li', { has: page.getByTestId('facet-category') }).last();
  const [, facetName, count] = /^(.*) \((\d+)\)$/.exec((await entry.innerText()).trim()) ?? [];
  expect(facetName).toBeTruthy();
  await entry.getByTestId('facet-category').click();
  await expect(page).toHaveURL(/category=/);
  await expect(page).toHaveURL(/q=reel/);
  await expect(page.getByTestId('result-count')).toHaveText(
    `${count} product${count === '1' ? '' : 's'}`,
  );
  await expect(page.getByTestId('facet-category').filter({ hasText: facetName! })).toHaveAttribute(
    'aria-current',
    'true',
  );

  // A price facet narrows too.
  await page.getByTestId('facet-price').first().click();
  await expect(page).toHaveURL(/(min|max)=/);

  // Letters only: digits would match product sizes, and the search is fuzzy.
  await page.goto('/search?q=xyzzyplughfrobozz');
  await expect(page.getByTestId('search-empty')).toBeVisible();
});
