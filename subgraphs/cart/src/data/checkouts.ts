import { Prisma, type PrismaClient } from '@shop/prisma/cart';
import type { CartState, CheckoutStore } from '../domain/checkout-choices.ts';
import {
  NO_CHOICES,
  sameChoices,
  type CheckoutChoices,
  type ShippingAddress,
} from '../domain/checkout.ts';
import { cartLinesOf, lockCart, type Tx } from './cart-items.ts';

const text = (value: unknown, field: string): string => {
  if (typeof value !== 'string') throw new Error(`cart_checkouts.shipping_address.${field}`);
  return value;
};
const optionalText = (value: unknown, field: string): string | null =>
  value === null || value === undefined ? null : text(value, field);

/** The stored copy back as the domain's address (a malformed row is a bug, not the user's). */
function addressFrom(json: Prisma.JsonValue | null): ShippingAddress | null {
  if (json === null) return null;
  if (typeof json !== 'object' || Array.isArray(json))
    throw new Error('cart_checkouts.shipping_address is not an object');
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

const addressJson = (address: ShippingAddress): Prisma.InputJsonObject => ({ ...address });

/** The choices the user's cart holds (none when it holds none). */
export async function checkoutOf(
  prisma: PrismaClient | Tx,
  userId: string,
): Promise<CheckoutChoices> {
  const row = await prisma.cartCheckout.findUnique({ where: { userId } });
  if (!row) return NO_CHOICES;
  return {
    shippingAddress: addressFrom(row.shippingAddress),
    shippingMethodId: row.shippingMethodId,
    discountCode: row.discountCode,
  };
}

/** The cart's lines and choices in Prisma: the store the checkout use cases work on. */
export function prismaCheckoutStore(prisma: PrismaClient): CheckoutStore {
  return {
    async read(userId) {
      const [lines, choices] = await Promise.all([
        cartLinesOf(prisma, userId),
        checkoutOf(prisma, userId),
      ]);
      return { lines, choices };
    },
    replaceIfUnchanged(userId, seen, next) {
      return prisma.$transaction(async (tx): Promise<CartState | null> => {
        await lockCart(tx, userId);
        const current = await checkoutOf(tx, userId);
        if (!sameChoices(current, seen)) return null;
        if (!sameChoices(current, next)) {
          const data = {
            shippingAddress: next.shippingAddress
              ? addressJson(next.shippingAddress)
              : (Prisma.DbNull as Prisma.NullableJsonNullValueInput),
            shippingMethodId: next.shippingMethodId,
            discountCode: next.discountCode,
          };
          await tx.cartCheckout.upsert({
            where: { userId },
            create: { userId, ...data },
            update: data,
          });
        }
        return { lines: await cartLinesOf(tx, userId), choices: next };
      });
    },
  };
}
