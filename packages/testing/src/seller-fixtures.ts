/**
 * A seller of the test's own, owned by a given user, with one product in stock: what tests of
 * seller rights (fulfilment, order management, returns) start from. Written in SQL to the
 * catalog database, in the first category found (the fixture store has some).
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Identity } from '@shop/auth';

export interface SellerProductOptions {
  /** Shown in the seller's and the product's names (and their slugs' prefix). */
  label: string;
  /** Decimal string, for example "19.90". */
  price: string;
  stock?: number;
}

/** Creates the seller and its product; returns the product id. */
export async function sellerWithProduct(
  catalog: Pick<pg.Pool, 'query'>,
  owner: Identity,
  options: SellerProductOptions,
): Promise<string> {
  const sellerId = randomUUID();
  const productId = randomUUID();
  const slug = options.label.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  await catalog.query(
    `INSERT INTO sellers (id, slug, name, owner_user_id, updated_at) VALUES ($1, $2, $3, $4, now())`,
    [
      sellerId,
      `${slug}-${sellerId}`,
      `${options.label} seller ${sellerId.slice(0, 6)}`,
      owner.userId,
    ],
  );
  const { rows } = await catalog.query<{ category_id: string }>(
    `SELECT category_id FROM products LIMIT 1`,
  );
  await catalog.query(
    `INSERT INTO products (id, sku, name, price, stock, category_id, seller_id, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now())`,
    [
      productId,
      `${slug}-${productId}`,
      `${options.label} ${productId.slice(0, 6)}`,
      options.price,
      options.stock ?? 1000,
      rows[0]!.category_id,
      sellerId,
    ],
  );
  return productId;
}
