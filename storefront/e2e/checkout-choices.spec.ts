import { expect, test, type Page } from '@playwright/test';
import { formatMoney, toMinorUnits } from '../app/lib/money.ts';
import {
  chooseAddressAndMethod,
  createProduct,
  DE_ADDRESS,
  fillAddressForm,
  gql,
  registerShopper,
  SHOPPER_PASSWORD,
  tokenFor,
  unique,
  US_ADDRESS,
} from './support.ts';

const ROWS = ['subtotal', 'discount', 'shipping', 'tax', 'total'] as const;
type Row = (typeof ROWS)[number];

/** The breakdown's figures as the page shows them (`cart-subtotal`, `checkout-total`, ...). */
async function shownTotals(page: Page, prefix: string): Promise<Record<Row, string>> {
  const shown = {} as Record<Row, string>;
  for (const row of ROWS)
    shown[row] = (await page.getByTestId(`${prefix}-${row}`).innerText()).trim();
  return shown;
}

/** "$1,234.50" or "−$8.00" in cents. */
function cents(text: string): bigint {
  const amount = text.replace(/[−-]/, '').replace(/[^0-9.]/g, '');
  const value = toMinorUnits(amount);
  if (value === null) throw new Error(`not an amount: ${text}`);
  return value;
}

/** A product of known price in the cart, from its page. */
async function cartWith(page: Page, price: string, quantity: number): Promise<string> {
  const name = `Checkout Reel ${unique('reel')}`;
  const product = await createProduct({ name, price, stock: 50 });
  await page.goto(`/products/${product.id}`);
  await page.getByLabel('Quantity').fill(String(quantity));
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByText(`Added ${name} to your`)).toBeVisible();
  return name;
}

test('the full checkout: an address, a method and a code; the page shows the totals the order keeps', async ({
  page,
}) => {
  const email = await registerShopper(page);
  await cartWith(page, '40.00', 2);

  // The cart: a subtotal, and shipping and tax to be worked out at checkout.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Cart/ }).click();
  await expect(page.getByTestId('cart-subtotal')).toHaveText('$80.00');
  await expect(page.getByTestId('cart-shipping')).toHaveText('At checkout');
  await expect(page.getByTestId('cart-tax')).toHaveText('At checkout');

  await page.getByRole('link', { name: 'Check out' }).click();
  // Germany: the Europe zone's methods, 19 % VAT.
  await chooseAddressAndMethod(page, { address: DE_ADDRESS, method: 'Express' });
  await expect(page.getByTestId('checkout-shipping')).toHaveText('$29.99');
  const taxBefore = await page.getByTestId('checkout-tax').innerText();
  expect(cents(taxBefore)).toBeGreaterThan(0n);

  await page.getByLabel('Discount code').fill('welcome10');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('discount-code')).toHaveText('WELCOME10');
  await expect(page.getByTestId('checkout-discount')).toHaveText('−$8.00');
  // The discount lowers the taxed amount.
  await expect(page.getByTestId('checkout-tax')).not.toHaveText(taxBefore);

  const checkout = await shownTotals(page, 'checkout');
  expect(cents(checkout.total)).toBe(
    cents(checkout.subtotal) -
      cents(checkout.discount) +
      cents(checkout.shipping) +
      cents(checkout.tax),
  );
  // Each line shows its share of the discount and its tax.
  await expect(page.getByTestId('checkout-line')).toContainText('−$8.00 discount');

  // The cart shows the same breakdown.
  await page.getByRole('link', { name: 'Back to cart' }).click();
  await expect(page.getByTestId('cart-total')).toHaveText(checkout.total);
  expect(await shownTotals(page, 'cart')).toEqual(checkout);

  await page.getByRole('link', { name: 'Check out' }).click();
  await expect(page.getByRole('radio', { name: /^Express / })).toBeChecked();
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  const orderId = page.url().split('/').pop()!;

  // The order page shows what the order kept.
  await expect(page.getByTestId('order-address')).toContainText('Unter den Linden 5');
  await expect(page.getByTestId('order-address')).toContainText('Germany');
  await expect(page.getByTestId('order-method')).toContainText('Express (DHL Express)');
  await expect(page.getByTestId('order-method')).toContainText('$29.99');
  await expect(page.getByTestId('order-method')).toContainText('2–4 days');
  await expect(page.getByTestId('order-code')).toContainText('WELCOME10');
  expect(await shownTotals(page, 'order')).toEqual(checkout);

  // And the API says the same, to the cent.
  const token = await tokenFor(email, SHOPPER_PASSWORD);
  const { order } = await gql<{
    order: {
      discountCode: string;
      totals: Record<Row, { amount: string; currency: string }>;
      shippingAddress: { city: string; country: string };
    };
  }>(
    `query ($id: ID!) { order(id: $id) { discountCode shippingAddress { city country }
       totals { subtotal { amount currency } discount { amount currency } shipping { amount currency }
                tax { amount currency } total { amount currency } } } }`,
    { id: orderId },
    token,
  );
  expect(order.discountCode).toBe('WELCOME10');
  expect(order.shippingAddress).toEqual({ city: 'Berlin', country: 'DE' });
  for (const row of ROWS) {
    const money = formatMoney(order.totals[row]);
    expect(checkout[row], row).toBe(row === 'discount' ? `−${money}` : money);
  }
  await expect(page.getByTestId('order-status')).toHaveText('COMPLETED', { timeout: 30_000 });
});

test('placing without a method says so at the methods; refused codes say why', async ({ page }) => {
  await registerShopper(page);
  await cartWith(page, '9.50', 1);
  await page.goto('/checkout');

  // The address (added here) but no method: the order is not placed, the methods say why.
  const form = page.getByRole('form', { name: 'Where should we ship it?' });
  await fillAddressForm(form, { ...US_ADDRESS, postalCode: '9410' });
  await form.getByRole('button', { name: 'Ship to this address' }).click();
  await expect(form.getByRole('alert')).toContainText(
    'Postal code is not a valid postal code for United States (for example 94105)',
  );
  await expect(form.getByLabel('Postal code')).toBeFocused();
  await form.getByLabel('Postal code').fill('94105');
  await form.getByRole('button', { name: 'Ship to this address' }).click();
  await expect(page.getByRole('radio', { name: /1 Market Street/ })).toBeChecked();
  await expect(page.getByTestId('checkout-shipping')).toHaveText('Choose a method');

  await page.getByRole('button', { name: 'Place order' }).click();
  const methods = page.locator('#checkout-method');
  await expect(methods.getByRole('alert')).toHaveText('Choose a shipping method.');
  await expect(methods).toBeFocused();
  await expect(page).toHaveURL(/\/checkout$/);

  // Choosing one clears the message; both US methods show a price and an estimate.
  await expect(page.getByTestId('shipping-option')).toHaveCount(2);
  await expect(page.getByRole('radio', { name: /^Express / })).toHaveAccessibleName(
    /\$14\.99 1–2 days/,
  );
  await page.getByRole('radio', { name: /^Standard / }).check();
  await expect(methods.getByRole('alert')).toHaveCount(0);

  // An unknown code, then a code the cart is below the minimum of: each says why.
  const code = page.locator('#checkout-code');
  await page.getByLabel('Discount code').fill('NO-SUCH-CODE');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(code.getByRole('alert')).toBeVisible();
  const unknown = await code.getByRole('alert').innerText();
  expect(unknown.length).toBeGreaterThan(5);
  await expect(page.getByLabel('Discount code')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Discount code').fill('TACKLE5');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(code.getByRole('alert')).not.toHaveText(unknown);
  await expect(code.getByRole('alert')).toContainText(/50/);
  await expect(page.getByTestId('checkout-discount')).toHaveCount(0);

  // With the method chosen the order goes through.
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('order-method')).toContainText('Standard (USPS)');
});
