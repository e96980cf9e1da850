import type { ProductSearchFilter } from '@shop/search-client';

/**
 * The ProductFilter rules, as the catalog applies them (same limits and messages), for the
 * search subgraph. Returns the validated filter or the first problem with its field.
 */
export interface FilterInput {
  categoryId?: string | null;
  sellerId?: string | null;
  minPrice?: string | null;
  maxPrice?: string | null;
  inStock?: boolean | null;
  text?: string | null;
}

export type FilterResult =
  { ok: true; filter: ProductSearchFilter } | { ok: false; field: string; message: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DECIMAL = /^(\d{1,7})(?:\.(\d{1,2}))?$/;
export const MAX_PRICE = 1_000_000;
export const MAX_FILTER_TEXT = 200;

/** Canonical "12.50" or null when the text is not a valid price. */
export function parsePrice(value: string): string | null {
  const match = DECIMAL.exec(value.trim());
  if (!match) return null;
  const canonical = `${match[1]!.replace(/^0+(?=\d)/, '')}.${(match[2] ?? '').padEnd(2, '0')}`;
  return Number(canonical) > MAX_PRICE ? null : canonical;
}

export function parseSearchFilter(input: FilterInput | null | undefined): FilterResult {
  const filter: ProductSearchFilter = {};
  if (!input) return { ok: true, filter };
  for (const key of ['categoryId', 'sellerId'] as const) {
    const value = input[key];
    if (value == null) continue;
    if (!UUID.test(value))
      return { ok: false, field: `filter.${key}`, message: `filter.${key} is not a valid id` };
    filter[key] = value.toLowerCase();
  }
  for (const key of ['minPrice', 'maxPrice'] as const) {
    const value = input[key];
    if (value == null) continue;
    const price = parsePrice(value);
    if (price === null)
      return {
        ok: false,
        field: `filter.${key}`,
        message: `filter.${key} must be a decimal amount from 0 to ${MAX_PRICE}.00 like "24.99" (at most two digits after the point)`,
      };
    filter[key] = price;
  }
  if (filter.minPrice && filter.maxPrice && Number(filter.minPrice) > Number(filter.maxPrice))
    return {
      ok: false,
      field: 'filter.minPrice',
      message: 'filter.minPrice must not be greater than filter.maxPrice',
    };
  if (input.inStock != null) filter.inStock = input.inStock;
  if (input.text != null) {
    const text = input.text.trim().replace(/\s+/g, ' ');
    if (text.length > MAX_FILTER_TEXT)
      return {
        ok: false,
        field: 'filter.text',
        message: `filter.text must be at most ${MAX_FILTER_TEXT} characters`,
      };
    if (text) filter.text = text;
  }
  return { ok: true, filter };
}
