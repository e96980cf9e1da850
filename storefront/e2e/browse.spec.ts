import { expect, test } from '@playwright/test';
import { gql, gridNames } from './support.ts';

test('anonymous browsing: category, price filter, sort and next page live in the URL', async ({
  page,
  context,
}) => {
  await page.goto('/');
  await expect(page.getByTestId('product-grid')).toBeVisible();
  // A top category with sub-categories: its products include theirs.
  await page
    .getByRole('navigation', { name: 'Categories' })
    .getByRole('link', { name: 'Reels' })
    .click();
  await expect(page).toHaveURL(/category=/);
  await expect(page.getByRole('heading', { level: 1, name: 'Reels' })).toBeVisible();

  await page.getByLabel('From').fill('50');
  await page.getByLabel('to', { exact: true }).fill('400');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/min=50/);
  await expect(page).toHaveURL(/max=400/);

  await page.getByLabel('Sort by').selectOption('PRICE_ASC');
  await expect(page).toHaveURL(/sort=PRICE_ASC/);
  const prices = async () =>
    (await page.getByTestId('product-card').locator('.price').allInnerTexts()).map((p) =>
      Number(p.replace(/[^0-9.]/g, '')),
    );
  await expect
    .poll(async () => {
      const amounts = await prices();
      return amounts.length > 1 && amounts.every((a, i) => i === 0 || amounts[i - 1]! <= a);
    })
    .toBe(true);
  expect((await prices()).every((a) => a >= 50 && a <= 400)).toBe(true);
  const firstPage = await gridNames(page);

  await page.getByRole('link', { name: 'Next page →' }).click();
  await expect(page).toHaveURL(/after=/);
  await expect.poll(() => gridNames(page)).not.toEqual(firstPage);
  const secondPage = await gridNames(page);
  expect(secondPage.some((name) => firstPage.includes(name))).toBe(false);

  // The link alone gives the same list, rendered by the server in a fresh page.
  const shared = await context.newPage();
  await shared.goto(page.url());
  await expect(shared.getByTestId('product-grid')).toBeVisible();
  expect(await gridNames(shared)).toEqual(secondPage);
  await shared.close();

  // Back returns to the first page of the same list.
  await page.goBack();
  await expect(page).not.toHaveURL(/after=/);
  await expect.poll(() => gridNames(page)).toEqual(firstPage);
});

test('server-rendered catalog: the product grid is in the HTML before any script runs', async ({
  request,
}) => {
  const response = await request.get('/?sort=NAME');
  expect(response.status()).toBe(200);
  const html = await response.text();
  expect(html).toContain('data-testid="product-grid"');
  expect(html).toContain('window.__APOLLO_STATE__=');
  const csp = response.headers()['content-security-policy'] ?? '';
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(response.headers()['x-content-type-options']).toBe('nosniff');
});

test('a product page renders on the server, records one view per visit and unknown ids are 404', async ({
  page,
  request,
}) => {
  await page.goto('/?sort=NAME');
  const first = page.getByTestId('product-card').first();
  const href = await first.getByRole('heading').getByRole('link').getAttribute('href');
  expect(href).toMatch(/^\/products\//);
  const html = await (await request.get(href!)).text();
  expect(html).toContain('data-testid="product-page"');
  const id = href!.split('/').pop()!;
  const views = async () =>
    (
      await gql<{ product: { stats: { views: number } } }>(
        'query ($id: ID!) { product(id: $id) { stats { views } } }',
        { id },
      )
    ).product.stats.views;
  // The server render above is not a visit: views are counted by the page in the browser.
  const before = await views();
  await page.goto(href!);
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toBeVisible();
  await expect(page.getByTestId('product-stats')).toContainText('views');
  await expect.poll(views, { timeout: 30_000 }).toBe(before + 1);
  const missing = await request.get('/products/00000000-0000-4000-8000-000000000000');
  expect(missing.status()).toBe(404);
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});

test('a product opened from the catalog shows at once; statistics and reviews follow as deferred parts', async ({
  page,
}) => {
  await page.goto('/?sort=NAME');
  const card = page.getByTestId('product-card').first();
  const name = await card.getByRole('heading').innerText();
  const answer = page.waitForResponse(
    (r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('ProductPage'),
  );
  await card.getByRole('heading').getByRole('link').click();
  // The browser asked for the page's query and the gateway answered it in parts.
  const response = await answer;
  expect(response.headers()['content-type']).toMatch(/^multipart\/mixed;.*deferSpec=20220824/);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByTestId('product-stats')).toContainText('views');
  await expect(page.getByRole('heading', { name: /^Reviews \(\d+\)$/ })).toBeVisible();
});
