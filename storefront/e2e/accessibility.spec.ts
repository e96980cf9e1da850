import { expect, test, type Page } from '@playwright/test';
import {
  addOneAndOpenCart,
  chooseAddressAndMethod,
  expectNoSeriousViolations,
  registerShopper,
  SELLER_EMAIL,
  signIn,
} from './support.ts';

test('public pages have no serious or critical accessibility violations', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('product-grid')).toBeVisible();
  await expectNoSeriousViolations(page, 'catalog');
  await page.goto('/search?q=reel');
  await expect(page.getByTestId('search-results')).toBeVisible();
  await expectNoSeriousViolations(page, 'search');
  await page.getByTestId('product-card').first().getByRole('heading').getByRole('link').click();
  await expect(page.getByTestId('product-page')).toBeVisible();
  await expectNoSeriousViolations(page, 'product');
  await page.goto('/sign-in');
  await expectNoSeriousViolations(page, 'sign-in');
  await page.goto('/register');
  await expectNoSeriousViolations(page, 'register');
});

test('signed-in pages have no serious or critical accessibility violations', async ({ page }) => {
  await registerShopper(page);
  await addOneAndOpenCart(page);
  await expect(page.getByTestId('cart-line')).toHaveCount(1);
  await expectNoSeriousViolations(page, 'cart');
  await page.getByRole('link', { name: 'Check out' }).click();
  await expect(page.getByRole('button', { name: 'Place order' })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Where should we ship it?' })).toBeVisible();
  await expectNoSeriousViolations(page, 'checkout without an address');
  // A refused address marks its fields.
  await page.getByRole('button', { name: 'Ship to this address' }).click();
  await expect(page.getByText('Full name is required')).toBeVisible();
  await expectNoSeriousViolations(page, 'checkout address errors');
  await chooseAddressAndMethod(page);
  await expectNoSeriousViolations(page, 'checkout with an address and a method');
  await page.getByLabel('Discount code').fill('NO-SUCH-CODE');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.locator('#checkout-code').getByRole('alert')).toBeVisible();
  await expectNoSeriousViolations(page, 'checkout with a refused code');
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page.getByTestId('order-status')).toHaveText('COMPLETED', { timeout: 30_000 });
  await expectNoSeriousViolations(page, 'order tracking');
  await page.getByRole('link', { name: 'My orders' }).click();
  await expect(page.getByTestId('order-row')).toHaveCount(1);
  await expectNoSeriousViolations(page, 'my orders');
  await page.goto('/account');
  await expect(page.getByLabel('Name')).toBeVisible();
  await expectNoSeriousViolations(page, 'account');
  await page.getByRole('link', { name: 'Your addresses' }).click();
  await expect(page.getByTestId('address-card')).toHaveCount(1);
  await expectNoSeriousViolations(page, 'address book');
  await page.getByRole('button', { name: 'Add an address' }).click();
  await page.getByRole('button', { name: 'Add address' }).click();
  await expect(page.getByText('Street and number is required')).toBeVisible();
  await expectNoSeriousViolations(page, 'address form with errors');

  // The address book and the checkout at 375 px: no sideways scrolling.
  await page.setViewportSize({ width: 375, height: 800 });
  await expectNoOverflow(page, 'address book with its form');
  await addOneAndOpenCart(page);
  await expectNoOverflow(page, 'cart');
  await page.getByRole('link', { name: 'Check out' }).click();
  await expect(page.getByRole('radio', { name: /^Standard / })).toBeVisible();
  await expectNoOverflow(page, 'checkout');
});

async function expectNoOverflow(page: Page, label: string) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  expect(overflow, label).toBeLessThanOrEqual(0);
}

test('seller pages have no serious or critical accessibility violations', async ({ page }) => {
  await signIn(page, SELLER_EMAIL);
  await page.goto('/seller');
  await expect(page.getByTestId('seller-products')).toBeVisible();
  await expectNoSeriousViolations(page, 'seller area');
  await page.goto('/seller/products/new');
  await expect(page.getByLabel('Name', { exact: true })).toBeVisible();
  await expectNoSeriousViolations(page, 'new product');
});

test('usable at 375 px: no sideways scrolling, and the keyboard reaches the main actions', async ({
  page,
}) => {
  await page.setViewportSize({ width: 375, height: 800 });
  for (const path of ['/', '/search?q=reel', '/sign-in']) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
  await page.goto('/');
  // The first Tab stop is the skip link, and it moves focus to the content.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#main')).toBeFocused();
  // Sorting by keyboard alone.
  await page.getByLabel('Sort by').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page).toHaveURL(/sort=/);
});
