import { expect, test, type Browser, type Page } from '@playwright/test';
import {
  ADMIN_EMAIL,
  createProduct,
  expectNoSeriousViolations,
  gql,
  isSameDocument,
  markDocument,
  placeOrderFor,
  registerShopper,
  SELLER_EMAIL,
  SHOPPER_PASSWORD,
  signIn,
  tokenFor,
  unique,
  waitUntilCompleted,
} from './support.ts';

// The browser-test system's simulated carrier waits a day before each step
// (scripts/test-browser.ts): only the hands in these tests move the parcels.

/**
 * A shopper with a COMPLETED order of two units of a new $20.00 product (shipped to the US: no
 * tax; Standard shipping is charged below $75, and a partial return does not refund it).
 */
async function shopperWithOrder(page: Page) {
  const productName = `${unique('Parcel Spoon').replace(/-/g, ' ')} 7g`;
  const product = await createProduct({ name: productName, price: '20.00', stock: 20 });
  const email = await registerShopper(page);
  const token = await tokenFor(email, SHOPPER_PASSWORD);
  const orderId = await placeOrderFor(token, product.id, 2);
  await waitUntilCompleted(token, orderId);
  return { productName, email, token, orderId };
}

/** An admin in a browser context of their own, on the management page narrowed to one customer. */
async function adminManaging(browser: Browser, customerEmail: string, expected = 1) {
  const context = await browser.newContext();
  const admin = await context.newPage();
  await signIn(admin, ADMIN_EMAIL);
  await admin
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Manage orders' })
    .click();
  await expect(admin.getByRole('heading', { level: 1, name: 'Manage orders' })).toBeVisible();
  const filters = admin.getByRole('form', { name: 'Filter orders' });
  await filters.getByLabel('Customer e-mail').fill(customerEmail);
  await filters.getByRole('button', { name: 'Apply filters' }).click();
  await expect(admin).toHaveURL(/[?&]email=/);
  await expect(admin.getByTestId('manage-count')).toHaveText(
    expected === 1 ? '1 order matches the filters' : `${expected} orders match the filters`,
  );
  return { admin, context, filters };
}

const orderRow = (admin: Page, orderId: string) =>
  admin.getByRole('article', { name: `Order ${orderId.slice(0, 8)}` });

test('an admin packs, ships and delivers an order by hand while the shopper sees each step live', async ({
  browser,
  page,
}) => {
  const { productName, email, orderId } = await shopperWithOrder(page);
  await page.goto(`/orders/${orderId}`);
  await expect(page.getByTestId('order-status')).toHaveText('COMPLETED');
  const status = page.getByTestId('fulfillment-status');
  const currentStep = page.getByTestId('parcel-steps').locator('[aria-current="step"]');
  await expect(status).toHaveText('Unfulfilled');
  await expect(currentStep).toContainText('Unfulfilled');
  await expect(page.getByTestId('live-state')).toHaveAttribute('data-state', 'connected');
  // Order management is for admins and sellers: a shopper's header has no link to it.
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Manage orders' }),
  ).toHaveCount(0);
  // From here on the shopper's page is only watched: every step must arrive live.
  await markDocument(page);

  const { admin, context, filters } = await adminManaging(browser, email);
  const row = orderRow(admin, orderId);
  await expect(row).toContainText(`2 × ${productName}`);
  await expect(row.getByTestId('managed-fulfillment')).toHaveText('Unfulfilled');
  await expectNoSeriousViolations(admin, 'order management');

  await row.getByRole('button', { name: 'Mark packed' }).click();
  await expect(row.getByTestId('managed-fulfillment')).toHaveText('Packed');
  await expect(status).toHaveText('Packed');
  await expect(currentStep).toContainText('Packed');

  // The API refuses a blank carrier and says why, next to the field.
  await row.getByLabel('Carrier').fill('   ');
  await row.getByLabel('Tracking number').fill('X1');
  await row.getByRole('button', { name: 'Mark shipped' }).click();
  await expect(row.getByRole('alert')).toContainText('carrier must have 1 to 100 characters');
  await expect(row.getByLabel('Carrier')).toHaveAttribute('aria-invalid', 'true');
  await expect(row.getByTestId('managed-fulfillment')).toHaveText('Packed');

  const tracking = unique('TRK').toUpperCase();
  await row.getByLabel('Carrier').fill('Tackle Express');
  await row.getByLabel('Tracking number').fill(tracking);
  await row.getByRole('button', { name: 'Mark shipped' }).click();
  await expect(row.getByTestId('managed-fulfillment')).toHaveText('Shipped');
  await expect(row.getByRole('alert')).toHaveCount(0);
  await expect(status).toHaveText('Shipped');
  await expect(currentStep).toContainText('Shipped');
  await expect(page.getByTestId('shipment-carrier')).toHaveText('Tackle Express');
  await expect(page.getByTestId('shipment-tracking')).toHaveText(tracking);
  await expect(page.getByTestId('shipment-estimate')).toHaveText(/^[A-Z][a-z]{2} \d{1,2}, \d{4}$/);

  await row.getByRole('button', { name: 'Mark delivered' }).click();
  await expect(row.getByTestId('managed-fulfillment')).toHaveText('Delivered');
  await expect(status).toHaveText('Delivered');
  await expect(currentStep).toContainText('Delivered');
  await expect(row.getByRole('button', { name: /^Mark / })).toHaveCount(0);

  // Every step with who made it and when, oldest first.
  const events = page.getByTestId('fulfillment-event');
  await expect(events).toHaveText([
    /^Packed by an administrator/,
    new RegExp(
      `^Shipped by an administrator — Shipped with Tackle Express, tracking number ${tracking}`,
    ),
    /^Delivered by an administrator/,
  ]);
  for (const time of await events.locator('time').all())
    await expect(time).toHaveAttribute('datetime', /^\d{4}-\d{2}-\d{2}T/);
  await expect(page.getByTestId('parcel-steps').getByRole('listitem')).toHaveText([
    /^Unfulfilled \(done\)/,
    /^Packed \(done\)/,
    /^Shipped \(done\)/,
    /^Delivered \(now\)/,
  ]);
  // The delivered order can be sent back now.
  await expect(page.getByRole('form', { name: 'Return items' })).toBeVisible();
  expect(await isSameDocument(page)).toBe(true);
  await expectNoSeriousViolations(page, 'delivered order with the return form');

  // The filters narrow by the parcel's status too.
  await filters.getByLabel('Parcel status').selectOption({ label: 'Packed' });
  await filters.getByRole('button', { name: 'Apply filters' }).click();
  await expect(admin.getByTestId('manage-count')).toHaveText('0 orders match the filters');
  await filters.getByLabel('Parcel status').selectOption({ label: 'Delivered' });
  await filters.getByRole('button', { name: 'Apply filters' }).click();
  await expect(admin.getByTestId('manage-count')).toHaveText('1 order matches the filters');
  await expect(orderRow(admin, orderId)).toBeVisible();
  // And by the day it was placed (whole days in the viewer's time zone, both ends included).
  const day = (offset: number) =>
    admin.evaluate((days) => {
      const date = new Date();
      date.setDate(date.getDate() + days);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
    }, offset);
  await filters.getByLabel('Placed from').fill(await day(0));
  await filters.getByLabel('Placed until').fill(await day(0));
  await filters.getByRole('button', { name: 'Apply filters' }).click();
  await expect(admin).toHaveURL(/[?&]to=/);
  await expect(admin.getByTestId('manage-count')).toHaveText('1 order matches the filters');
  // A range that ends before it starts is refused on the form, next to the field.
  await filters.getByLabel('Placed until').fill(await day(-1));
  await filters.getByRole('button', { name: 'Apply filters' }).click();
  await expect(filters.getByRole('alert')).toHaveText(
    'Choose a last day on or after the first day.',
  );
  await expect(filters.getByLabel('Placed until')).toHaveAttribute('aria-invalid', 'true');
  await filters.getByLabel('Placed from').fill('');
  await filters.getByRole('button', { name: 'Apply filters' }).click();
  await expect(admin).not.toHaveURL(/[?&]from=/);
  await expect(admin.getByTestId('manage-count')).toHaveText('0 orders match the filters');
  await context.close();
});

test('a shopper returns one unit; the admin rejects, then approves and receives it; the refund arrives', async ({
  browser,
  page,
}) => {
  test.setTimeout(150_000);
  const { productName, email, orderId } = await shopperWithOrder(page);
  // The parcel reaches the shopper through the API, as an admin moves it.
  const adminToken = await tokenFor(ADMIN_EMAIL);
  await gql('mutation ($id: ID!) { markPacked(orderId: $id) { id } }', { id: orderId }, adminToken);
  await gql(
    'mutation ($id: ID!) { markShipped(orderId: $id, carrier: "Tackle Express", trackingNumber: "RET-1") { id } }',
    { id: orderId },
    adminToken,
  );
  await gql(
    'mutation ($id: ID!) { markDelivered(orderId: $id) { id } }',
    { id: orderId },
    adminToken,
  );

  await page.goto(`/orders/${orderId}`);
  const status = page.getByTestId('fulfillment-status');
  await expect(status).toHaveText('Delivered');
  await expect(page.getByTestId('live-state')).toHaveAttribute('data-state', 'connected');
  await markDocument(page);

  const form = page.getByRole('form', { name: 'Return items' });
  const units = form.getByLabel(`Units of ${productName} to return`);
  await expect(units).toHaveAttribute('max', '2');
  // Nothing chosen: the form says so and sends nothing.
  await form.getByLabel('Reason for the return').fill('Bought one too many.');
  await form.getByRole('button', { name: 'Request return' }).click();
  await expect(form.getByRole('alert')).toHaveText('Choose at least one unit to return.');
  await expect(page.getByTestId('return')).toHaveCount(0);

  await units.fill('1');
  await form.getByRole('button', { name: 'Request return' }).click();
  const shopperReturn = page.getByTestId('return');
  await expect(shopperReturn).toHaveCount(1);
  await expect(shopperReturn.getByTestId('return-status')).toHaveText('REQUESTED');
  await expect(shopperReturn).toContainText(`1 × ${productName}`);
  await expect(shopperReturn.getByTestId('return-refund')).toHaveText('Refund: $20.00');
  await expect(status).toHaveText('Return requested');
  await expect(form).toHaveCount(0);

  const { admin, context } = await adminManaging(browser, email);
  const row = orderRow(admin, orderId);
  await expect(row.getByTestId('managed-fulfillment')).toHaveText('Return requested');
  const adminReturn = row.getByTestId('return');
  await expect(adminReturn.getByTestId('return-status')).toHaveText('REQUESTED');
  await expect(adminReturn).toContainText('Bought one too many.');

  // Rejected first: the shopper sees why, and the order is theirs to return again.
  await row.getByLabel('Reason for rejecting').fill('Please add a photo of the spoon.');
  await row.getByRole('button', { name: 'Reject return' }).click();
  await expect(adminReturn.getByTestId('return-status')).toHaveText('REJECTED');
  await expect(row.getByTestId('managed-fulfillment')).toHaveText('Delivered');
  await expect(shopperReturn.getByTestId('return-status')).toHaveText('REJECTED');
  await expect(shopperReturn.getByTestId('return-rejection')).toHaveText(
    'Rejected: Please add a photo of the spoon.',
  );
  await expect(status).toHaveText('Delivered');

  await units.fill('1');
  await form.getByLabel('Reason for the return').fill('Bought one too many (photo attached).');
  await form.getByRole('button', { name: 'Request return' }).click();
  await expect(page.getByTestId('return')).toHaveCount(2);
  const second = page.getByTestId('return').last();
  await expect(second.getByTestId('return-status')).toHaveText('REQUESTED');
  await expect(status).toHaveText('Return requested');

  // The admin's list shows the new request on reading it again.
  await admin.reload();
  const open = row.getByTestId('return').last();
  await expect(open.getByTestId('return-status')).toHaveText('REQUESTED');
  await row.getByRole('button', { name: 'Approve return' }).click();
  await expect(open.getByTestId('return-status')).toHaveText('APPROVED');
  await expect(second.getByTestId('return-status')).toHaveText('APPROVED');
  await row.getByRole('button', { name: 'Mark return received' }).click();
  await expect(open.getByTestId('return-status')).toHaveText(/^(RECEIVED|REFUNDED)$/);
  await expect(row.getByTestId('managed-fulfillment')).toHaveText('Returned');

  // The refund comes from the payment provider through Kafka: the page shows it when it lands.
  await expect(second.getByTestId('return-status')).toHaveText('REFUNDED', { timeout: 45_000 });
  await expect(second.getByTestId('return-refund')).toHaveText('Refund: $20.00');
  await expect(status).toHaveText('Returned');
  await expect(page.getByTestId('parcel-steps').locator('[aria-current="step"]')).toContainText(
    'Returned',
  );
  expect(await isSameDocument(page)).toBe(true);
  await expectNoSeriousViolations(page, 'order with returns');
  await context.close();
});

test('a seller sees only their own lines of a mixed order and packs it; a shopper may not manage orders', async ({
  browser,
  page,
}) => {
  const productName = `${unique('Own Line Jig').replace(/-/g, ' ')} 10g`;
  const own = await createProduct({ name: productName, price: '9.00', stock: 20 });
  // A product of another seller, in stock, for the same order.
  const sellerToken = await tokenFor(SELLER_EMAIL);
  const { mySellers } = await gql<{ mySellers: { id: string }[] }>(
    '{ mySellers { id } }',
    {},
    sellerToken,
  );
  const { products } = await gql<{
    products: {
      edges: { node: { id: string; name: string; stock: number; seller: { id: string } } }[];
    };
  }>(
    '{ products(first: 50, filter: { inStock: true }) { edges { node { id name stock seller { id } } } } }',
  );
  const other = products.edges
    .map((edge) => edge.node)
    .find((product) => product.seller.id !== mySellers[0]!.id && product.stock > 5)!;
  const email = await registerShopper(page);
  const token = await tokenFor(email, SHOPPER_PASSWORD);
  await gql(
    'mutation ($id: ID!) { addToCart(productId: $id, quantity: 1) { itemCount } }',
    { id: other.id },
    token,
  );
  const orderId = await placeOrderFor(token, own.id, 1);
  await waitUntilCompleted(token, orderId);

  const context = await browser.newContext();
  const seller = await context.newPage();
  await signIn(seller, SELLER_EMAIL);
  await seller
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Manage orders' })
    .click();
  await expect(seller.getByText('You see the orders that hold your products')).toBeVisible();
  // Sellers cannot look customers up by e-mail: the form does not offer it.
  await expect(seller.getByLabel('Customer e-mail')).toHaveCount(0);
  // The newest order holding the seller's products is first.
  const row = orderRow(seller, orderId);
  await expect(row.getByRole('list', { name: /^Lines of order/ }).getByRole('listitem')).toHaveText(
    [`1 × ${productName} $9.00`],
  );
  await expect(row).not.toContainText(other.name);
  await row.getByRole('button', { name: 'Mark packed' }).click();
  await expect(row.getByTestId('managed-fulfillment')).toHaveText('Packed');
  await context.close();

  await page.goto(`/orders/${orderId}`);
  await expect(page.getByTestId('fulfillment-event')).toHaveText([/^Packed by the seller/]);
  // The page refuses a shopper in words.
  await page.goto('/manage/orders');
  await expect(page.getByRole('alert')).toHaveText('Your account is not allowed to do that.');
});

test('the management list pages through a customer’s orders ten at a time', async ({
  browser,
  page,
}) => {
  const product = await createProduct({
    name: `${unique('Pager Hook').replace(/-/g, ' ')} #4`,
    price: '2.00',
    stock: 50,
  });
  const email = await registerShopper(page);
  const token = await tokenFor(email, SHOPPER_PASSWORD);
  const placed: string[] = [];
  for (let i = 0; i < 11; i++) {
    placed.push(await placeOrderFor(token, product.id, 1));
    // The cart empties itself after an order (asynchronously): the next order starts from an
    // empty cart.
    await expect
      .poll(
        async () =>
          (await gql<{ cart: { itemCount: number } }>('{ cart { itemCount } }', {}, token)).cart
            .itemCount,
      )
      .toBe(0);
  }
  const { admin, context } = await adminManaging(browser, email, 11);
  const rows = admin.getByTestId('managed-order');
  const ids = (list: typeof rows) =>
    list.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-order-id')));
  await expect(rows).toHaveCount(10);
  const first = await ids(rows);
  // Newest first.
  expect(first).toEqual([...placed].reverse().slice(0, 10));
  await admin.getByRole('link', { name: 'Next page →' }).click();
  await expect(admin).toHaveURL(/[?&]after=/);
  await expect(rows).toHaveCount(1);
  expect(await ids(rows)).toEqual([placed[0]]);
  await expect(admin.getByRole('link', { name: 'Next page →' })).toHaveCount(0);
  await admin.getByRole('link', { name: '← First page' }).click();
  await expect(rows).toHaveCount(10);
  expect(await ids(rows)).toEqual(first);
  await context.close();
});
