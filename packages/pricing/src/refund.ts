/**
 * What a return gives back, from what the order paid, in integer minor units.
 *
 * - A line paid its price after its discount, plus its tax in a NET store (a GROSS price already
 *   holds the tax). Units sent back get that amount in proportion to units, computed as
 *   cumulative shares: the k-th returned unit of a line of q is worth
 *   round(paid x k / q) - round(paid x (k - 1) / q), so however a line is returned (at once or
 *   over several returns) the parts add up to exactly what the line paid, never a cent more.
 * - Shipping (with its tax in a NET store) comes back only with the return that makes the whole
 *   order returned: a parcel partly kept was still delivered.
 *
 * Pure arithmetic: the order service checks quantities against the order first (a request for
 * more units than remain is the customer's error, refused there with a message); here it is a
 * PricingInputError.
 */
import { PricingInputError } from './errors.ts';
import { assertMinorUnits, assertWholeNumber, type PriceMode } from './model.ts';
import { scaleHalfEven } from './rounding.ts';

/** One line of a placed order, as its snapshot holds it. */
export interface PaidLine {
  productId: string;
  quantity: number;
  /** Price of one unit, in the store's price mode. */
  unitPrice: number;
  /** The line's share of the order's discount. */
  discount: number;
  /** The line's tax (added in NET, included in GROSS). */
  tax: number;
}

export interface PaidOrder {
  priceMode: PriceMode;
  lines: readonly PaidLine[];
  /** The shipping charge and its tax, as placed. */
  shipping: number;
  shippingTax: number;
}

/** Units of a product: sent back in this return, or already returned before it. */
export interface ReturnedUnits {
  productId: string;
  quantity: number;
}

export interface ReturnRefund {
  lines: { productId: string; quantity: number; refund: number }[];
  /** The shipping part: its charge and tax when this return completes the order's return, else 0. */
  shipping: number;
  total: number;
  /** True when, with this return, every unit of the order has come back. */
  wholeOrder: boolean;
}

/** What one line brought in: price x units - discount (+ tax in NET). */
export function paidForLine(line: PaidLine, priceMode: PriceMode): number {
  assertWholeNumber(line.quantity, 'quantity', 1);
  assertMinorUnits(line.unitPrice, 'unit price');
  assertMinorUnits(line.discount, 'discount');
  assertMinorUnits(line.tax, 'tax');
  const paid = line.unitPrice * line.quantity - line.discount;
  return priceMode === 'NET' ? paid + line.tax : paid;
}

function unitsByProduct(units: readonly ReturnedUnits[], what: string): Map<string, number> {
  const byProduct = new Map<string, number>();
  for (const { productId, quantity } of units) {
    assertWholeNumber(quantity, `${what} quantity`, 1);
    byProduct.set(productId, (byProduct.get(productId) ?? 0) + quantity);
  }
  return byProduct;
}

/**
 * The refund of `returning` on `order`, given the units `alreadyReturned` by earlier returns.
 * Lines come out in the order of `returning` (merged by product).
 */
export function refundForReturn(
  order: PaidOrder,
  returning: readonly ReturnedUnits[],
  alreadyReturned: readonly ReturnedUnits[] = [],
): ReturnRefund {
  const before = unitsByProduct(alreadyReturned, 'returned');
  const now = unitsByProduct(returning, 'return');
  if (now.size === 0) throw new PricingInputError('a return needs at least one line');
  const byProduct = new Map<string, PaidLine>();
  for (const line of order.lines) {
    if (byProduct.has(line.productId))
      throw new PricingInputError(`product ${line.productId} is on two lines of the order`);
    byProduct.set(line.productId, line);
  }
  const lines = [...now].map(([productId, quantity]) => {
    const line = byProduct.get(productId);
    if (!line) throw new PricingInputError(`product ${productId} is not in the order`);
    const earlier = before.get(productId) ?? 0;
    if (earlier + quantity > line.quantity)
      throw new PricingInputError(
        `${earlier + quantity} units of ${productId} returned, ${line.quantity} bought`,
      );
    const paid = paidForLine(line, order.priceMode);
    const refund =
      scaleHalfEven(paid, earlier + quantity, line.quantity) -
      scaleHalfEven(paid, earlier, line.quantity);
    return { productId, quantity, refund };
  });
  const wholeOrder = order.lines.every(
    (line) => (before.get(line.productId) ?? 0) + (now.get(line.productId) ?? 0) === line.quantity,
  );
  assertMinorUnits(order.shipping, 'shipping');
  assertMinorUnits(order.shippingTax, 'shipping tax');
  const shipping = wholeOrder
    ? order.shipping + (order.priceMode === 'NET' ? order.shippingTax : 0)
    : 0;
  const total = lines.reduce((sum, line) => sum + line.refund, shipping);
  return { lines, shipping, total, wholeOrder };
}
