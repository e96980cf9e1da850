/**
 * An order's checkout as the graph shows it: read from the snapshot placeOrder wrote, never
 * from today's rates, codes or address book.
 */
import type { AddressCopy } from '@shop/addresses';
import { money } from '@shop/subgraph-kit';
import type { OrderWithItems } from '../data/orders.ts';

export function orderTotals(o: OrderWithItems) {
  // Orders placed before the checkout existed have only a total: it was all products.
  const legacy = o.shippingMethod === null;
  return {
    subtotal: money(legacy ? o.totalAmount : o.subtotalAmount, o.currency),
    discount: money(o.discountAmount, o.currency),
    shipping: money(o.shippingAmount, o.currency),
    tax: money(o.taxAmount, o.currency),
    total: money(o.totalAmount, o.currency),
  };
}

/** Orders keep the cart's copy (orders from before `isDefault` was copied lack it). */
type AddressSnapshot = Omit<AddressCopy, 'isDefault'> & { isDefault?: boolean };

export function shippingAddressOf(o: OrderWithItems) {
  const address = o.shippingAddress as unknown as AddressSnapshot | null;
  return address ? { ...address, isDefault: address.isDefault ?? false } : null;
}

interface MethodSnapshot {
  id: string;
  name: string;
  carrier: string;
  price: string;
  estimatedDays: { min: number; max: number };
}

export function shippingMethodOf(o: OrderWithItems) {
  const method = o.shippingMethod as unknown as MethodSnapshot | null;
  if (!method) return null;
  return {
    method: { id: method.id, name: method.name, carrier: method.carrier },
    price: money(method.price, o.currency),
    estimatedDays: method.estimatedDays,
  };
}
