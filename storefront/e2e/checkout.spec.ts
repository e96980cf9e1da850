import { expect, test, type Page } from '@playwright/test';
import { chooseAddressAndMethod, recordStatuses, registerShopper } from './support.ts';

const ORDER = ['PENDING', 'STOCK_RESERVED', 'PAID', 'COMPLETED'];

/** Two different in-stock products of the first catalog page: one added from the list, one from its page. */
async function fillCart(page: Page): Promise<string[]> {
  await page.goto('/?stock=1&sort=NAME');
  const cards = page.getByTestId('product-card');
  await expect(cards.first()).toBeVisible();
  const first = cards.nth(0);
  const firstName = await first.getByRole('heading').innerText();
  await first.getByRole('button', { name: /^Add to cart: / }).click();
  await expect(first.getByText('Added to your cart')).toBeVisible();

  const second = cards.nth(1);
  const secondName = await second.getByRole('heading').innerText();
  await second.getByRole('heading').getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1, name: secondName })).toBeVisible();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByText(`Added ${secondName} to your`)).toBeVisible();
  return [firstName, secondName];
}

async function checkOut(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Cart/ }).click();
  await page.getByRole('link', { name: 'Check out' }).click();
  await chooseAddressAndMethod(page);
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
}

test('register, fill the cart, change a quantity, check out, and watch the order complete live', async ({
  page,
}) => {
  await registerShopper(page);
  const names = await fillCart(page);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Cart/ }).click();
  const lines = page.getByTestId('cart-line');
  await expect(lines).toHaveCount(2);
  const subtotalBefore = await page.getByTestId('cart-subtotal').innerText();
  const line = lines.filter({ hasText: names[0]! });
  await line.getByLabel('Quantity').fill('3');
  await line.getByRole('button', { name: 'Update' }).click();
  await expect(page.getByTestId('cart-subtotal')).not.toHaveText(subtotalBefore);
  await expect(line.getByLabel('Quantity')).toHaveValue('3');

  // Everything from here happens in this one document: no reload.
  await page.evaluate(
    () => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true),
  );
  const statuses = await recordStatuses(page);
  await checkOut(page);
  await expect(page.getByTestId('order-status')).toHaveText('COMPLETED', { timeout: 30_000 });

  const seen = await statuses();
  expect(seen[seen.length - 1]).toBe('COMPLETED');
  // At least one state before COMPLETED was shown live, and the states came in order.
  expect(seen.length).toBeGreaterThan(1);
  const positions = seen.map((s) => ORDER.indexOf(s));
  expect(positions.every((p) => p >= 0)).toBe(true);
  expect(positions).toEqual([...positions].sort((a, b) => a - b));

  const timeline = page.getByTestId('timeline-entry');
  await expect(timeline).toHaveText([
    /Order placed/,
    /Stock reserved/,
    /Payment authorized/,
    /Order completed/,
  ]);
  for (const name of names)
    await expect(page.getByTestId('order-line').filter({ hasText: name })).toBeVisible();
  expect(
    await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
  ).toBe(true);

  // The cart emptied itself after the order.
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cart', exact: true }),
  ).toBeVisible();

  // My orders lists it.
  await page.getByRole('link', { name: 'My orders' }).click();
  await expect(page.getByTestId('order-row').first()).toContainText('COMPLETED');
});

test('cancelling from the tracking page shows CANCELLED, the released stock and the refund', async ({
  page,
}) => {
  await registerShopper(page);
  await fillCart(page);
  await checkOut(page);
  // The simulated payment takes 3 s in this system: the order waits in STOCK_RESERVED, and the
  // payment that is under way when the customer cancels is refunded.
  await expect(page.getByTestId('order-status')).toHaveText('STOCK_RESERVED', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Cancel order' }).click();
  await expect(page.getByTestId('order-status')).toHaveText('CANCELLED', { timeout: 30_000 });
  await expect(page.getByTestId('cancel-reason')).toContainText('Cancelled by the customer');
  await expect(
    page.getByTestId('timeline-entry').filter({ hasText: 'Order cancelled' }),
  ).toBeVisible();
  await expect(
    page.getByTestId('timeline-entry').filter({ hasText: 'Stock released' }),
  ).toBeVisible();
  await expect(
    page
      .getByTestId('timeline-entry')
      .filter({ hasText: /Payment refunded — \d+\.\d{2} USD refunded/ }),
  ).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Cancel order' })).toHaveCount(0);
});
