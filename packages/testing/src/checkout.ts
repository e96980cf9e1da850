/**
 * Gets a customer's cart ready for placeOrder through the public API, as a shopper does: an
 * address in the address book, chosen for the cart, and a shipping method (by default the
 * seeded US standard one, seed/src/checkout-setup.ts).
 */
import pg from 'pg';
import { SEEDED_METHODS } from '@shop/seed';
import { graphqlData } from './graphql-client.ts';

/**
 * Tests sign tokens for made-up user ids; an address book belongs to an account, so the
 * customer's account row is written first (a no-op when it exists).
 */
export async function ensureAccount(userDbUrl: string, userId: string): Promise<void> {
  const client = new pg.Client({ connectionString: userDbUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO users (id, email, password_hash, name, updated_at)
       VALUES ($1, $2, 'not-a-password-hash', 'Test Shopper', now()) ON CONFLICT (id) DO NOTHING`,
      [userId, `shopper-${userId}@test.tackle.shop`],
    );
  } finally {
    await client.end();
  }
}

/** A valid address per country the tests use. */
export const TEST_ADDRESSES = {
  US: {
    recipient: 'Sam Angler',
    phone: '+1 555 0100',
    line1: '1 Lake Rd',
    city: 'Springfield',
    region: 'IL',
    postalCode: '62701',
    country: 'US',
  },
  DE: {
    recipient: 'Uta Angler',
    phone: '+49 30 1234567',
    line1: 'Seestraße 1',
    city: 'Berlin',
    postalCode: '10115',
    country: 'DE',
  },
  GB: {
    recipient: 'Ann Angler',
    phone: '+44 20 7946 0000',
    line1: '1 River Walk',
    city: 'London',
    postalCode: 'SW1A 1AA',
    country: 'GB',
  },
  JP: {
    recipient: 'Ken Angler',
    phone: '+81 3 1234 5678',
    line1: '1-1 Chiyoda',
    city: 'Tokyo',
    postalCode: '100-0001',
    country: 'JP',
  },
} as const;

/** The method each test country's address is served by, from the seeded setup. */
export const TEST_METHODS = {
  US: SEEDED_METHODS.usStandard,
  DE: SEEDED_METHODS.euStandard,
  GB: SEEDED_METHODS.euStandard,
  JP: SEEDED_METHODS.worldStandard,
} as const;

export async function prepareCheckout(
  target: { gatewayUrl: string; userDbUrl: string },
  customer: { userId: string; token: string },
  options: { country?: keyof typeof TEST_ADDRESSES; methodId?: string; discountCode?: string } = {},
): Promise<{ addressId: string }> {
  const { gatewayUrl, userDbUrl } = target;
  const { token } = customer;
  await ensureAccount(userDbUrl, customer.userId);
  const country = options.country ?? 'US';
  const { addAddress } = await graphqlData<{ addAddress: { id: string } }>(
    gatewayUrl,
    `mutation ($input: AddressInput!) { addAddress(input: $input) { id } }`,
    { input: TEST_ADDRESSES[country] },
    token,
  );
  await graphqlData(
    gatewayUrl,
    `mutation ($id: ID!) { setCartShippingAddress(addressId: $id) { itemCount } }`,
    { id: addAddress.id },
    token,
  );
  await graphqlData(
    gatewayUrl,
    `mutation ($id: ID!) { setCartShippingMethod(methodId: $id) { itemCount } }`,
    { id: options.methodId ?? TEST_METHODS[country] },
    token,
  );
  if (options.discountCode)
    await graphqlData(
      gatewayUrl,
      `mutation ($code: String!) { applyDiscountCode(code: $code) { itemCount } }`,
      { code: options.discountCode },
      token,
    );
  return { addressId: addAddress.id };
}
