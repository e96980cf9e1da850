import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { SEEDED_METHODS } from '@shop/seed';
import type { BenchSystem } from './system.ts';

export interface BenchCustomer {
  userId: string;
  token: string;
}

/**
 * `count` new customers, each with a signed access token and one unit of a product in the cart,
 * spread over 20 products whose stock is made endless: an order can always be placed, and a
 * benchmark measures the saga, not stock running out. Each cart also holds the checkout's
 * choices placeOrder needs, as setCartShippingAddress and setCartShippingMethod leave them: a
 * copy of a US address and the seeded US standard method (written straight into the cart
 * database, one statement for all). And the email worker knows each customer's address, as it
 * learns it from UserRegistered (written straight into its customers table): without it every
 * order's emails wait for an address that never comes, retried with backoff, and that retrying
 * was most of the email worker's CPU in the benchmark, work a real shop never does.
 */
export async function customersWithCarts(
  system: BenchSystem,
  count: number,
): Promise<BenchCustomer[]> {
  const catalog = new pg.Pool({ connectionString: system.dbUrl('catalog'), max: 1 });
  const cart = new pg.Pool({ connectionString: system.dbUrl('cart'), max: 1 });
  const notifications = new pg.Pool({ connectionString: system.dbUrl('notifications'), max: 1 });
  try {
    const { rows: products } = await catalog.query<{ id: string }>(
      `UPDATE products SET stock = 100000000
       WHERE id IN (SELECT id FROM products ORDER BY id LIMIT 20) RETURNING id`,
    );
    const customers = await Promise.all(
      Array.from({ length: count }, async () => {
        const userId = randomUUID();
        return { userId, token: await system.tokenFor({ userId, role: 'CUSTOMER' }) };
      }),
    );
    await cart.query(
      `INSERT INTO cart_items (user_id, product_id, quantity, updated_at)
       SELECT u, p, 1, now() FROM unnest($1::uuid[], $2::uuid[]) AS t(u, p)`,
      [customers.map((c) => c.userId), customers.map((_, i) => products[i % products.length]!.id)],
    );
    await cart.query(
      `INSERT INTO cart_checkouts (user_id, shipping_address, shipping_method_id, updated_at)
       SELECT u, jsonb_build_object('id', gen_random_uuid(), 'recipient', 'Bench customer',
           'phone', '+15035550100', 'line1', '1 Harbour Street', 'line2', null,
           'city', 'Portland', 'region', 'OR', 'postalCode', '97201', 'country', 'US',
           'isDefault', true),
         $2::uuid, now()
         FROM unnest($1::uuid[]) AS u`,
      [customers.map((c) => c.userId), SEEDED_METHODS.usStandard],
    );
    await notifications.query(
      `INSERT INTO customers (user_id, email, name, changed_at)
       SELECT u, 'bench-' || u || '@example.com', 'Bench customer', now()
         FROM unnest($1::uuid[]) AS u`,
      [customers.map((c) => c.userId)],
    );
    return customers;
  } finally {
    await Promise.all([catalog.end(), cart.end(), notifications.end()]);
  }
}
