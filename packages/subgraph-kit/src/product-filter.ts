import { badUserInput } from './errors.ts';
import { parseId } from './ids.ts';

/**
 * The contract's ProductFilter, validated once for every subgraph that takes it (catalog lists
 * it over PostgreSQL, search over Elasticsearch), so both refuse the same inputs with the same
 * messages.
 */
export interface ProductFilterInput {
  categoryId?: string | null;
  sellerId?: string | null;
  minPrice?: string | null;
  maxPrice?: string | null;
  inStock?: boolean | null;
  text?: string | null;
}

/** Ids lower-case UUIDs, prices canonical two-digit decimals, text trimmed with spaces collapsed. */
export interface ProductFilterValues {
  categoryId?: string;
  sellerId?: string;
  minPrice?: string;
  maxPrice?: string;
  inStock?: boolean;
  text?: string;
}

/** Highest price a product may have or a filter may name (the column holds 12 digits, 2 after the point). */
export const MAX_PRICE = '1000000.00';
export const MAX_FILTER_TEXT = 200;
const DECIMAL = /^(\d{1,7})(?:\.(\d{1,2}))?$/;

/**
 * Parses a decimal price string ("24.99", "5", "0.5") into its canonical two-digit form.
 * Refuses negatives, exponents, more than two fraction digits, and anything above MAX_PRICE.
 */
export function parsePrice(value: string, field: string): string {
  const match = DECIMAL.exec(value.trim());
  if (!match)
    throw badUserInput(
      `${field} must be a decimal amount like "24.99" (at most two digits after the point, not negative)`,
      field,
    );
  const canonical = `${match[1]!.replace(/^0+(?=\d)/, '')}.${(match[2] ?? '').padEnd(2, '0')}`;
  if (compareDecimal(canonical, MAX_PRICE) > 0)
    throw badUserInput(`${field} must be at most ${MAX_PRICE}`, field);
  return canonical;
}

/** Compares two canonical decimal strings (as parsePrice returns) without floating point. */
export function compareDecimal(a: string, b: string): number {
  const [aw, af] = a.split('.') as [string, string];
  const [bw, bf] = b.split('.') as [string, string];
  if (aw.length !== bw.length) return aw.length - bw.length;
  if (aw !== bw) return aw < bw ? -1 : 1;
  return af === bf ? 0 : af < bf ? -1 : 1;
}

export function parseProductFilter(
  input: ProductFilterInput | null | undefined,
): ProductFilterValues {
  const filter: ProductFilterValues = {};
  if (!input) return filter;
  if (input.categoryId != null) filter.categoryId = parseId(input.categoryId, 'filter.categoryId');
  if (input.sellerId != null) filter.sellerId = parseId(input.sellerId, 'filter.sellerId');
  if (input.minPrice != null) filter.minPrice = parsePrice(input.minPrice, 'filter.minPrice');
  if (input.maxPrice != null) filter.maxPrice = parsePrice(input.maxPrice, 'filter.maxPrice');
  if (filter.minPrice && filter.maxPrice && compareDecimal(filter.minPrice, filter.maxPrice) > 0)
    throw badUserInput(
      'filter.minPrice must not be greater than filter.maxPrice',
      'filter.minPrice',
    );
  if (input.inStock != null) filter.inStock = input.inStock;
  if (input.text != null) {
    const text = input.text.trim().replace(/\s+/g, ' ');
    if (text.length > MAX_FILTER_TEXT)
      throw badUserInput(
        `filter.text must be at most ${MAX_FILTER_TEXT} characters`,
        'filter.text',
      );
    if (text) filter.text = text;
  }
  return filter;
}
