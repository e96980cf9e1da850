/** The cart's rules, free of GraphQL and Prisma: what a change may do and what it results in. */
import { DomainError } from '@shop/subgraph-kit';

export const MAX_QUANTITY_PER_LINE = 99;
export const MAX_LINES = 50;
/** The store's currency: the currency of an empty cart's subtotal. */
export const STORE_CURRENCY = 'USD';

/** One line of a cart as the domain sees it. */
export interface CartLine {
  productId: string;
  quantity: number;
  addedAt: Date;
}

/** What the catalog says about a product right now (null: no such product). */
export interface ProductFacts {
  stock: number;
  /**
   * Set when the product was withdrawn from sale (soft delete): the catalog still resolves it
   * for the lines that hold it, but no unit of it may go into a cart any more.
   */
  deletedAt?: string | null;
}

/** The product, if units of it may go into a cart: it exists and is still sold. */
function forSale(product: ProductFacts | null): ProductFacts {
  if (!product || product.deletedAt)
    throw new DomainError('NOT_FOUND', 'No such product', { field: 'productId' });
  return product;
}

export function validateQuantity(quantity: number, field = 'quantity'): number {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY_PER_LINE)
    throw new DomainError(
      'BAD_USER_INPUT',
      `${field} must be a whole number from 1 to ${MAX_QUANTITY_PER_LINE}`,
      { field },
    );
  return quantity;
}

function requireStock(facts: ProductFacts | null, wanted: number): void {
  const product = forSale(facts);
  if (product.stock < wanted)
    throw new DomainError(
      'OUT_OF_STOCK',
      product.stock === 0
        ? 'The product is out of stock'
        : `Only ${product.stock} unit(s) of the product are in stock`,
      { field: 'quantity' },
    );
}

/** The line's new quantity after adding `adding` units, or why it cannot be added. */
export function quantityAfterAdd(
  lines: readonly CartLine[],
  productId: string,
  adding: number,
  product: ProductFacts | null,
): number {
  validateQuantity(adding);
  forSale(product);
  const existing = lines.find((line) => line.productId === productId);
  if (!existing && lines.length >= MAX_LINES)
    throw new DomainError('BAD_USER_INPUT', `A cart holds at most ${MAX_LINES} products`);
  const quantity = (existing?.quantity ?? 0) + adding;
  if (quantity > MAX_QUANTITY_PER_LINE)
    throw new DomainError(
      'BAD_USER_INPUT',
      `A cart line holds at most ${MAX_QUANTITY_PER_LINE} units (${existing?.quantity ?? 0} already in the cart)`,
      { field: 'quantity' },
    );
  requireStock(product, quantity);
  return quantity;
}

/** Checks setting a line that is in the cart to `quantity` units. */
export function checkUpdate(
  lines: readonly CartLine[],
  productId: string,
  quantity: number,
  product: ProductFacts | null,
): number {
  validateQuantity(quantity);
  if (!lines.some((line) => line.productId === productId))
    throw new DomainError('NOT_FOUND', 'The product is not in the cart', { field: 'productId' });
  requireStock(product, quantity);
  return quantity;
}

export const itemCount = (lines: readonly CartLine[]): number =>
  lines.reduce((total, line) => total + line.quantity, 0);
