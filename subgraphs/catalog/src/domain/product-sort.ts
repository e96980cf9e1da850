import { invalid } from './errors.ts';

export const PRODUCT_SORTS = ['PRICE_ASC', 'PRICE_DESC', 'NEWEST', 'RATING', 'NAME'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];
export const DEFAULT_SORT: ProductSort = 'NEWEST';

/** The columns a product list sorts on; every sort ends with the id, so no two products tie. */
export interface SortableProduct {
  id: string;
  price: { toFixed(digits: number): string } | string;
  createdAt: Date;
  ratingAvg: number | null;
  ratingCount: number;
  name: string;
}

/**
 * Where a page ends, as the values of the sort's keys. Each sort orders by:
 * PRICE_ASC (price, id) ascending; PRICE_DESC (price, id) descending; NEWEST (createdAt, id)
 * descending; RATING (rating or 0 when unrated, review count, id) descending; NAME (name, id)
 * ascending.
 */
export type SortKey =
  | { sort: 'PRICE_ASC' | 'PRICE_DESC'; price: string; id: string }
  | { sort: 'NEWEST'; createdAt: Date; id: string }
  | { sort: 'RATING'; rating: number; count: number; id: string }
  | { sort: 'NAME'; name: string; id: string };

export function sortKeyOf(sort: ProductSort, p: SortableProduct): SortKey {
  switch (sort) {
    case 'PRICE_ASC':
    case 'PRICE_DESC':
      return {
        sort,
        price: typeof p.price === 'string' ? p.price : p.price.toFixed(2),
        id: p.id,
      };
    case 'NEWEST':
      return { sort, createdAt: p.createdAt, id: p.id };
    case 'RATING':
      return { sort, rating: p.ratingAvg ?? 0, count: p.ratingCount, id: p.id };
    case 'NAME':
      return { sort, name: p.name, id: p.id };
  }
}

/** Opaque cursor: base64url of a JSON tuple that names its sort, so it cannot be used with another. */
export function encodeSortCursor(key: SortKey): string {
  const parts: unknown[] = (() => {
    switch (key.sort) {
      case 'PRICE_ASC':
      case 'PRICE_DESC':
        return [key.sort, key.price, key.id];
      case 'NEWEST':
        return [key.sort, key.createdAt.toISOString(), key.id];
      case 'RATING':
        return [key.sort, key.rating, key.count, key.id];
      case 'NAME':
        return [key.sort, key.name, key.id];
    }
  })();
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PRICE = /^\d{1,10}(?:\.\d{1,2})?$/;
const bad = () => invalid('after', 'after is not a valid cursor');

/** Reads an `after` cursor for `sort`; refuses malformed cursors and cursors of another sort. */
export function decodeSortCursor(
  after: string | null | undefined,
  sort: ProductSort,
): SortKey | null {
  if (after === null || after === undefined) return null;
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parts) || typeof parts[0] !== 'string') throw bad();
  if (parts[0] !== sort) {
    if ((PRODUCT_SORTS as readonly string[]).includes(parts[0]))
      throw invalid(
        'after',
        `after is a cursor of the ${parts[0]} sort; it cannot page the ${sort} sort`,
      );
    throw bad();
  }
  const id = parts.at(-1);
  if (typeof id !== 'string' || !UUID.test(id)) throw bad();
  switch (sort) {
    case 'PRICE_ASC':
    case 'PRICE_DESC': {
      const [, price] = parts;
      if (parts.length !== 3 || typeof price !== 'string' || !PRICE.test(price)) throw bad();
      return { sort, price, id };
    }
    case 'NEWEST': {
      const [, iso] = parts;
      const createdAt = new Date(typeof iso === 'string' ? iso : NaN);
      if (parts.length !== 3 || Number.isNaN(createdAt.getTime())) throw bad();
      return { sort, createdAt, id };
    }
    case 'RATING': {
      const [, rating, count] = parts;
      if (
        parts.length !== 4 ||
        typeof rating !== 'number' ||
        !(rating >= 0 && rating <= 5) ||
        typeof count !== 'number' ||
        !Number.isInteger(count) ||
        count < 0
      )
        throw bad();
      return { sort, rating, count, id };
    }
    case 'NAME': {
      const [, name] = parts;
      if (parts.length !== 3 || typeof name !== 'string' || name.length > 400) throw bad();
      return { sort, name, id };
    }
  }
}
