import type pg from 'pg';
import type { CartState, CheckoutStore } from '../domain/checkout-choices.ts';
import {
  NO_CHOICES,
  sameChoices,
  type CheckoutChoices,
  type ShippingAddress,
} from '../domain/checkout.ts';
import { cartLinesOf, inCartTransaction, lockCart, type Db } from './cart-items.ts';

const text = (value: unknown, field: string): string => {
  if (typeof value !== 'string') throw new Error(`cart_checkouts.shipping_address.${field}`);
  return value;
};
const optionalText = (value: unknown, field: string): string | null =>
  value === null || value === undefined ? null : text(value, field);

/** The stored copy back as the domain's address (a malformed row is a bug, not the user's). */
function addressFrom(value: unknown): ShippingAddress | null {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value))
    throw new Error('cart_checkouts.shipping_address is not an object');
  const json = value as Record<string, unknown>;
  return {
    id: text(json.id, 'id'),
    recipient: text(json.recipient, 'recipient'),
    phone: text(json.phone, 'phone'),
    line1: text(json.line1, 'line1'),
    line2: optionalText(json.line2, 'line2'),
    city: text(json.city, 'city'),
    region: optionalText(json.region, 'region'),
    postalCode: text(json.postalCode, 'postalCode'),
    country: text(json.country, 'country'),
    isDefault: json.isDefault === true,
  };
}

/** The choices the user's cart holds (none when it holds none). */
export async function checkoutOf(db: Db, userId: string): Promise<CheckoutChoices> {
  const { rows } = await db.query<{
    shipping_address: unknown;
    shipping_method_id: string | null;
    discount_code: string | null;
  }>(
    `SELECT shipping_address, shipping_method_id, discount_code FROM cart_checkouts
      WHERE user_id = $1::uuid`,
    [userId],
  );
  const row = rows[0];
  if (!row) return NO_CHOICES;
  return {
    shippingAddress: addressFrom(row.shipping_address),
    shippingMethodId: row.shipping_method_id,
    discountCode: row.discount_code,
  };
}

/** The cart's lines and choices in its database: the store the checkout use cases work on. */
export function cartCheckoutStore(pool: pg.Pool): CheckoutStore {
  return {
    async read(userId) {
      const [lines, choices] = await Promise.all([
        cartLinesOf(pool, userId),
        checkoutOf(pool, userId),
      ]);
      return { lines, choices };
    },
    replaceIfUnchanged(userId, seen, next) {
      return inCartTransaction(pool, async (tx): Promise<CartState | null> => {
        await lockCart(tx, userId);
        const current = await checkoutOf(tx, userId);
        if (!sameChoices(current, seen)) return null;
        if (!sameChoices(current, next))
          await tx.query(
            `INSERT INTO cart_checkouts
               (user_id, shipping_address, shipping_method_id, discount_code, updated_at)
             VALUES ($1::uuid, $2::jsonb, $3::uuid, $4, now())
             ON CONFLICT (user_id) DO UPDATE SET shipping_address = EXCLUDED.shipping_address,
               shipping_method_id = EXCLUDED.shipping_method_id,
               discount_code = EXCLUDED.discount_code, updated_at = now()`,
            [
              userId,
              next.shippingAddress ? JSON.stringify(next.shippingAddress) : null,
              next.shippingMethodId,
              next.discountCode,
            ],
          );
        return { lines: await cartLinesOf(tx, userId), choices: next };
      });
    },
  };
}
