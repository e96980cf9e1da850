import { expect, test, type WebSocket } from '@playwright/test';
import { addOneAndOpenCart, chooseAddressAndMethod, registerShopper } from './support.ts';

test('an access token that expires mid-session is renewed unnoticed; signing out ends live tracking', async ({
  page,
  context,
}) => {
  test.setTimeout(150_000);
  const sockets: WebSocket[] = [];
  page.on('websocket', (ws) => sockets.push(ws));
  await registerShopper(page);

  // An order to watch (the cart needs a line).
  await addOneAndOpenCart(page, '/?stock=1&sort=PRICE_ASC');
  await page.getByRole('link', { name: 'Check out' }).click();
  await chooseAddressAndMethod(page);
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page).toHaveURL(/\/orders\//);
  const orderUrl = page.url();
  await expect(page.getByTestId('order-status')).toHaveText('COMPLETED', { timeout: 30_000 });
  await expect(page.getByTestId('live-state')).toHaveAttribute('data-state', 'connected');

  // Access tokens live 30 s in this system: the gateway closes the socket when the token that
  // opened it expires; the page renews the token and subscribes again, on its own.
  await expect.poll(() => sockets.length, { timeout: 60_000 }).toBeGreaterThan(0);
  const first = sockets[0]!;
  await expect.poll(() => first.isClosed(), { timeout: 60_000 }).toBe(true);
  await expect.poll(() => sockets.length, { timeout: 30_000 }).toBeGreaterThan(1);
  await expect(page.getByTestId('live-state')).toHaveAttribute('data-state', 'connected');
  await expect(page.getByText('Live updates stopped')).toHaveCount(0);

  // Protected pages keep working with the renewed token, and two tabs renewing at the same
  // moment do not end the session (one refresh at a time across tabs).
  const second = await context.newPage();
  await Promise.all([second.goto('/account'), page.goto('/account')]);
  for (const tab of [page, second])
    await expect(tab.getByLabel('Name')).toHaveValue('Test Shopper');
  await second.close();

  // Sign out: the live socket closes, and protected pages send the visitor to sign-in.
  await page.goto(orderUrl);
  await expect(page.getByTestId('live-state')).toHaveAttribute('data-state', 'connected');
  const live = sockets[sockets.length - 1]!;
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect.poll(() => live.isClosed()).toBe(true);
  await page.goto(orderUrl);
  await expect(page).toHaveURL(/\/sign-in\?reason=required/);
  await expect(page.getByTestId('sign-in-reason')).toBeVisible();
  await page.goto('/account');
  await expect(page).toHaveURL(/\/sign-in/);
});
