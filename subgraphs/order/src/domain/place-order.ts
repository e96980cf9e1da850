/**
 * Placing an order, as pure rules: the idempotency key's format, and the price snapshot built
 * from the cart's lines and the catalog's current facts about their products.
 */
import { DomainError, fromCents, multiply, sum, toCents } from '@shop/subgraph-kit';

export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;

export function validateIdempotencyKey(key: string): string {
  if (!IDEMPOTENCY_KEY.test(key))
    throw new DomainError(
      'BAD_USER_INPUT',
      'idempotencyKey must be 8 to 128 characters of A-Z, a-z, 0-9, ".", "_", ":" or "-"',
      { field: 'idempotencyKey' },
    );
  return key;
}

export interface CartLineInput {
  productId: string;
  quantity: number;
}

export interface CatalogFacts {
  id: string;
  name: string;
  price: { amount: string; currency: string };
  stock: number;
}

export interface SnapshotLine {
  productId: string;
  productName: string;
  quantity: number;
  /** Canonical decimal string, e.g. "24.99". */
  unitPrice: string;
}

export interface PriceSnapshot {
  lines: SnapshotLine[];
  /** Canonical decimal string. */
  total: string;
  currency: string;
}

/**
 * The order's lines with the catalog's current prices and their total. Refuses an empty cart,
 * products that left the catalog, more units than are in stock, and mixed currencies.
 */
export function priceSnapshot(
  lines: readonly CartLineInput[],
  products: ReadonlyMap<string, CatalogFacts | null>,
): PriceSnapshot {
  if (lines.length === 0)
    throw new DomainError('BAD_USER_INPUT', 'The cart is empty: add products first');
  const snapshot: SnapshotLine[] = [];
  let currency: string | undefined;
  for (const line of lines) {
    const product = products.get(line.productId);
    if (!product)
      throw new DomainError(
        'NOT_FOUND',
        `A product in the cart (${line.productId}) is no longer in the catalog`,
      );
    if (product.stock < line.quantity)
      throw new DomainError(
        'OUT_OF_STOCK',
        `Only ${product.stock} unit(s) of ${product.name} are in stock (${line.quantity} in the cart)`,
      );
    currency ??= product.price.currency;
    if (product.price.currency !== currency)
      throw new Error(`cart mixes currencies ${currency} and ${product.price.currency}`);
    let unitPrice: string;
    try {
      unitPrice = fromCents(toCents(product.price.amount), currency).amount;
    } catch {
      throw new Error(
        `catalog price of ${product.id} is not a money amount: ${product.price.amount}`,
      );
    }
    snapshot.push({
      productId: product.id,
      productName: product.name,
      quantity: line.quantity,
      unitPrice,
    });
  }
  const total = sum(
    snapshot.map((l) => multiply({ amount: l.unitPrice, currency: currency! }, l.quantity)),
    currency!,
  );
  return { lines: snapshot, total: total.amount, currency: currency! };
}
