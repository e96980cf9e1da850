import { expect, test } from '@playwright/test';
import { DE_ADDRESS, fillAddressForm, registerShopper, US_ADDRESS } from './support.ts';

test('the address book: add with inline errors, edit, make another the default, remove', async ({
  page,
}) => {
  await registerShopper(page);
  await page.goto('/account');
  await page.getByRole('link', { name: 'Your addresses' }).click();
  await expect(page).toHaveURL(/\/account\/addresses$/);

  // An empty book opens on the form; the country select holds the countries the store ships to.
  const first = page.getByRole('form', { name: 'Add your first address' });
  await expect(first.getByLabel('Country').locator('option')).toHaveCount(22);
  await first.getByLabel('Country').selectOption({ label: 'Netherlands' });
  await expect(first.getByText('For example 1012 AB.')).toBeVisible();

  // Every wrong field is marked at once, and focus goes to the first.
  await first.getByRole('button', { name: 'Add address' }).click();
  await expect(first.getByText('Full name is required')).toBeVisible();
  await expect(first.getByText('Phone is required')).toBeVisible();
  await expect(first.getByLabel('Full name')).toBeFocused();
  await expect(first.getByLabel('Full name')).toHaveAttribute('aria-invalid', 'true');
  await fillAddressForm(first, { ...US_ADDRESS, phone: 'call me' });
  await first.getByRole('button', { name: 'Add address' }).click();
  await expect(first.getByLabel('Phone')).toBeFocused();
  await expect(first.getByRole('alert')).toContainText('Phone may hold only digits');
  await first.getByLabel('Phone').fill(US_ADDRESS.phone);
  await first.getByRole('button', { name: 'Add address' }).click();

  const cards = page.getByTestId('address-card');
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText('1 Market Street');
  await expect(cards.first().getByTestId('default-address')).toBeVisible();
  await expect(page.getByTestId('address-status')).toHaveText('The address was added.');

  // A second one, typed loosely: the store keeps the canonical postal code.
  await page.getByRole('button', { name: 'Add an address' }).click();
  const second = page.getByRole('form', { name: 'Add an address' });
  await fillAddressForm(second, { ...DE_ADDRESS, postalCode: 'D-10117' });
  await second.getByRole('button', { name: 'Add address' }).click();
  await expect(cards).toHaveCount(2);
  const berlin = cards.filter({ hasText: 'Unter den Linden 5' });
  await expect(berlin).toContainText('10117 Berlin');
  await expect(berlin.getByTestId('default-address')).toHaveCount(0);

  // Make it the default: the default moves (and the book lists the default first).
  await berlin.getByRole('button', { name: /^Make default/ }).click();
  await expect(berlin.getByTestId('default-address')).toBeVisible();
  await expect(cards.first()).toContainText('Unter den Linden 5');
  await expect(
    cards.filter({ hasText: '1 Market Street' }).getByTestId('default-address'),
  ).toHaveCount(0);

  // Edit the first address.
  const market = cards.filter({ hasText: '1 Market Street' });
  await market.getByRole('button', { name: /^Edit/ }).click();
  const edit = page.getByRole('form', { name: 'Edit the address' });
  await expect(edit.getByLabel('Street and number')).toHaveValue('1 Market Street');
  await edit.getByLabel('Street and number').fill('2 Market Street');
  await edit.getByRole('button', { name: 'Save address' }).click();
  await expect(page.getByTestId('address-status')).toHaveText('The address was saved.');
  await expect(cards.filter({ hasText: '2 Market Street' })).toHaveCount(1);

  // Remove the default: the other one becomes the default.
  await berlin.getByRole('button', { name: /^Remove/ }).click();
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText('2 Market Street');
  await expect(cards.first().getByTestId('default-address')).toBeVisible();
});
