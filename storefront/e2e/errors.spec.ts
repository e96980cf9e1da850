import { expect, test } from '@playwright/test';
import { createProduct, registerShopper, unique } from './support.ts';

test('out of stock: the error shows next to the line that caused it', async ({ page }) => {
  const name = `Last One ${unique('lure')}`;
  const product = await createProduct({ name, price: '9.50', stock: 1 });
  await registerShopper(page);
  await page.goto(`/products/${product.id}`);
  await page.getByLabel('Quantity').fill('2');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.locator('[data-code=OUT_OF_STOCK]')).toBeVisible();

  await page.getByLabel('Quantity').fill('1');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByText(`Added ${name} to your`)).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Cart/ }).click();
  const line = page.getByTestId('cart-line').filter({ hasText: name });
  await line.getByLabel('Quantity').fill('5');
  await line.getByRole('button', { name: 'Update' }).click();
  await expect(line.locator('[data-code=OUT_OF_STOCK]')).toBeVisible();
  await expect(line.getByLabel('Quantity')).toHaveValue('1');
  // A quantity beyond the limit is refused before it is sent.
  await line.getByLabel('Quantity').fill('120');
  await line.getByRole('button', { name: 'Update' }).click();
  await expect(line.getByRole('alert')).toContainText('1 to 99');
});

test('a wrong password says so and keeps the visitor signed out', async ({ page }) => {
  const email = await registerShopper(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto('/sign-in');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText(/e-mail|password/i);
  await expect(page.locator('[data-code=UNAUTHENTICATED]')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
});

test('network down: a banner says so, and the page recovers when the network is back', async ({
  page,
  context,
}) => {
  await page.goto('/?sort=NAME');
  await expect(page.getByTestId('product-grid')).toBeVisible();
  await context.setOffline(true);
  await page.getByRole('link', { name: 'Next page →' }).click();
  await expect(page.getByTestId('network-banner')).toBeVisible();
  await expect(page.getByRole('alert').first()).toBeVisible();
  // Never a blank page: the site's frame stays.
  await expect(page.getByRole('link', { name: 'Tackle Shop' })).toBeVisible();
  await context.setOffline(false);
  await page.getByRole('link', { name: 'Catalog' }).click();
  await expect(page.getByTestId('product-grid')).toBeVisible();
  await expect(page.getByTestId('network-banner')).toHaveCount(0);
});

test('a second review of the same product is refused with the reason shown inline', async ({
  page,
}) => {
  await registerShopper(page);
  await page.goto('/?sort=NAME');
  await page.getByTestId('product-card').nth(3).getByRole('heading').getByRole('link').click();
  await expect(page.getByTestId('product-page')).toBeVisible();
  const write = async () => {
    await page.getByLabel('Rating').selectOption('4');
    await page.getByLabel('Your review').fill('Casts well, the drag is smooth.');
    await page.getByRole('button', { name: 'Publish review' }).click();
  };
  await write();
  await expect(page.getByText('Thank you for your review.')).toBeVisible();
  await expect(
    page.locator('.review').filter({ hasText: 'Casts well, the drag is smooth.' }),
  ).toBeVisible();
  await page.reload();
  await write();
  await expect(page.locator('[data-code=CONFLICT]')).toContainText('already reviewed');
});
